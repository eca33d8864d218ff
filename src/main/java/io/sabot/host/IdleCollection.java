package io.sabot.host;

import io.sabot.engine.EngineEvent;
import io.sabot.engine.EngineListener;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.Subscription;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One full collection of the daemon's heap once the fleet has been quiet for a while after some
 * work (a transition), as G1's periodic collection does for the console; then none until there
 * is work again.
 *
 * <p>Why: the daemon's serial collector gives memory back ({@code MaxHeapFreeRatio}) only in a full
 * collection, and left to itself it runs one whenever the old generation fills, often well after a
 * burst, in the middle of quiet time: 20-150 ms of a core at once, the idle figure of a 10 s window
 * read 0.4 % at 100 agents and 1.3 % at 1,000 with it (docs/benchmarks.md, session 6). Collected
 * while nothing happens, the burst's garbage is gone and the heap sized down at a moment nobody
 * waits for. Held by {@code IdleCollectionTest}.
 */
public final class IdleCollection implements AutoCloseable {
    /** How long the fleet must have been quiet. */
    public static final long QUIET_MS = 10_000;

    private final AtomicLong lastWork = new AtomicLong();   // nanos of the last transition, 0: none since the last collection
    private final AtomicLong collections = new AtomicLong();
    private final LongSupplier nanos;
    private final long quietNanos;
    private final Runnable collect;
    private final ScheduledExecutorService timer;
    private final Subscription sub;

    /** For the daemon: {@link System#gc()} {@link #QUIET_MS} after the last transition, checked every 2 s. */
    public static IdleCollection start(LocalEngine engine) {
        return new IdleCollection(engine::subscribe, QUIET_MS, 2_000, System::nanoTime, System::gc);
    }

    IdleCollection(java.util.function.Function<EngineListener, Subscription> events, long quietMs, long checkMs, LongSupplier nanos, Runnable collect) {
        this.nanos = nanos;
        this.quietNanos = TimeUnit.MILLISECONDS.toNanos(quietMs);
        this.collect = collect;
        this.sub = events.apply(e -> {
            if (e instanceof EngineEvent.TransitionEvent) work();
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sabot-idle-gc");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, checkMs, checkMs, TimeUnit.MILLISECONDS);
    }

    void work() { lastWork.set(Math.max(1, nanos.getAsLong())); }

    /** Collects if there was work since the last collection and none for the quiet period. */
    void check() {
        long w = lastWork.get();
        if (w == 0 || nanos.getAsLong() - w < quietNanos) return;
        if (!lastWork.compareAndSet(w, 0)) return; // work came meanwhile: wait again
        collect.run();
        collections.incrementAndGet();
    }

    /** Collections made so far. */
    long collections() { return collections.get(); }

    @Override
    public void close() {
        sub.close();
        timer.shutdownNow();
    }
}
