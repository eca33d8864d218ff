package io.sabot.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether anyone is looking at the live figures (CPU, memory, threads of each instance), so the
 * metrics sampler can sample at full rate only then and coarsely otherwise (issue 13: an idle
 * engine's cost must not grow with the fleet). Someone looks while a viewer holds a watch (an
 * event stream of the control socket, the console) and for {@link #LOOK_HOLD_NANOS} after
 * anyone read the status (the CLI, the console's poller, a Prometheus scrape). Lock-free.
 * Held by {@code FigureDemandTest}.
 */
public final class FigureDemand {
    /** How long one look at the status keeps the sampler at full rate (a poller, e.g. a Prometheus scrape every 15 s, keeps it there). */
    static final long LOOK_HOLD_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final AtomicInteger watchers = new AtomicInteger();
    private volatile long lastLookNanos;
    private volatile boolean looked;

    /** A viewer watches until it closes the subscription. */
    public Subscription watch() {
        watchers.incrementAndGet();
        java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) watchers.decrementAndGet();
        };
    }

    /** Someone read the figures just now. */
    public void look() {
        lastLookNanos = System.nanoTime();
        looked = true;
    }

    /** Whether a viewer watches or someone looked recently. */
    public boolean watched() {
        return watchers.get() > 0 || (looked && System.nanoTime() - lastLookNanos < LOOK_HOLD_NANOS);
    }
}
