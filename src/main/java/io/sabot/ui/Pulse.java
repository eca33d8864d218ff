package io.sabot.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import javafx.application.Platform;

/**
 * The console's heartbeat, on demand. A daemon thread looks every {@link #PERIOD_MS} ms whether
 * there is anything to apply (the engine reported something, a view asked with {@link #wake}) or a
 * second passed (uptimes tick); only then does it post one tick to the FX thread, and never a
 * second one while the first is in flight. So events reach the UI coalesced, at most 10 times a
 * second, and an idle console wakes the FX thread about once a second instead of 60 times
 * (an {@code AnimationTimer} keeps JavaFX pulsing at 60 Hz for as long as it runs).
 *
 * <p>It also measures itself: the work of each tick, per second and the longest, which the
 * FX-thread benchmark reports.
 */
public final class Pulse {
    private static final System.Logger LOG = System.getLogger("io.sabot.ui");
    /** How often the daemon thread looks for work: the most ticks a second is 1000 / PERIOD_MS. */
    public static final long PERIOD_MS = 100;
    private static final long IDLE_TICK_NANOS = 1_000_000_000L;
    private final List<LongConsumer> steps = new ArrayList<>();
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicBoolean woken = new AtomicBoolean(true);
    private volatile BooleanSupplier pending = () -> false;
    private ScheduledExecutorService timer;
    private volatile long lastTick;
    private long windowStart;
    private long busyInWindow;
    private volatile long lastSecondBusyNanos;
    private volatile long maxWorkNanos;
    private volatile long maxGapNanos;
    private long lastFrame;
    private volatile long frames;
    private volatile long lastWorkNanos;
    private volatile long lastWorkCpuNanos;
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    /** Adds a step; steps run in the order added, with the tick's timestamp (ns). */
    public void add(LongConsumer step) { steps.add(step); }

    /** What says there is work (the live feed's pending flag); read by the daemon thread. */
    public void setPending(BooleanSupplier p) { pending = p == null ? () -> false : p; }

    /** Asks for a tick soon (any thread). */
    public void wake() { woken.set(true); }

    public synchronized void start() {
        if (timer != null) return;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sabot-ui-pulse");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::check, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (timer != null) timer.shutdownNow();
        timer = null;
    }

    private void check() {
        boolean due = woken.getAndSet(false) | pending.getAsBoolean() | System.nanoTime() - lastTick >= IDLE_TICK_NANOS;
        if (due && inFlight.compareAndSet(false, true)) {
            try {
                Platform.runLater(this::tick);
            } catch (IllegalStateException toolkitGone) {
                inFlight.set(false);
            }
        }
    }

    private void tick() {
        try {
            handle(System.nanoTime());
        } finally {
            inFlight.set(false);
        }
    }

    /** One tick on the FX thread (tests may call it directly). */
    public void handle(long now) {
        lastTick = now;
        long t0 = System.nanoTime();
        long c0 = CPU.getCurrentThreadCpuTime();
        if (lastFrame != 0) maxGapNanos = Math.max(maxGapNanos, now - lastFrame);
        lastFrame = now;
        for (LongConsumer s : steps) {
            try {
                s.accept(now);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "console: pulse step failed: " + e, e);
            }
        }
        long work = System.nanoTime() - t0;
        lastWorkNanos = work;
        lastWorkCpuNanos = CPU.getCurrentThreadCpuTime() - c0;
        if (lastWorkCpuNanos > maxWorkCpuNanos) maxWorkCpuNanos = lastWorkCpuNanos;
        maxWorkNanos = Math.max(maxWorkNanos, work);
        frames++;
        if (t0 - windowStart >= 1_000_000_000L) {
            lastSecondBusyNanos = busyInWindow;
            busyInWindow = 0;
            windowStart = t0;
        }
        busyInWindow += work;
    }

    /** Work done in ticks during the last full second, in ns. */
    public long lastSecondBusyNanos() { return lastSecondBusyNanos; }

    public long maxWorkNanos() { return maxWorkNanos; }

    /** CPU time of the FX thread in the most recent tick's work, in ns (not inflated by a busy machine). */
    public long lastWorkCpuNanos() { return lastWorkCpuNanos; }

    private volatile long maxWorkCpuNanos;

    /** The most CPU (ns) one tick's work took since the last call; resets it (the frame figures, any thread). */
    public long takeMaxWorkCpuNanos() {
        long m = maxWorkCpuNanos;
        maxWorkCpuNanos = 0;
        return m;
    }

    /** Work of the most recent tick, in ns. */
    public long lastWorkNanos() { return lastWorkNanos; }

    /** Longest time between two ticks. */
    public long maxGapNanos() { return maxGapNanos; }

    /** Ticks so far. */
    public long frames() { return frames; }

    public void resetStats() {
        maxWorkNanos = 0;
        maxGapNanos = 0;
        lastFrame = 0;
    }
}
