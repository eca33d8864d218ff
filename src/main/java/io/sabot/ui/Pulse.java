package io.sabot.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import javafx.animation.AnimationTimer;

/**
 * The console's one AnimationTimer: once per pulse it runs the registered steps (apply what the
 * engine reported, redraw canvases that asked for it). It also measures itself: how long its
 * work took per pulse and per second, the figures the FX-thread benchmark reports.
 */
public final class Pulse extends AnimationTimer {
    private final List<LongConsumer> steps = new ArrayList<>();
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

    /** Adds a step; steps run in the order added, with the pulse's timestamp (ns). */
    public void add(LongConsumer step) { steps.add(step); }

    @Override
    public void handle(long now) {
        long t0 = System.nanoTime();
        long c0 = CPU.getCurrentThreadCpuTime();
        if (lastFrame != 0) maxGapNanos = Math.max(maxGapNanos, now - lastFrame);
        lastFrame = now;
        for (LongConsumer s : steps) {
            try {
                s.accept(now);
            } catch (RuntimeException e) {
                System.err.println("sabot console: pulse step failed: " + e);
                e.printStackTrace();
            }
        }
        long work = System.nanoTime() - t0;
        lastWorkNanos = work;
        lastWorkCpuNanos = CPU.getCurrentThreadCpuTime() - c0;
        maxWorkNanos = Math.max(maxWorkNanos, work);
        frames++;
        if (t0 - windowStart >= 1_000_000_000L) {
            lastSecondBusyNanos = busyInWindow;
            busyInWindow = 0;
            windowStart = t0;
        }
        busyInWindow += work;
    }

    /** Work done in the pulse during the last full second, in ns. */
    public long lastSecondBusyNanos() { return lastSecondBusyNanos; }

    public long maxWorkNanos() { return maxWorkNanos; }

    /** CPU time of the FX thread in the most recent pulse's work, in ns (not inflated by a busy machine). */
    public long lastWorkCpuNanos() { return lastWorkCpuNanos; }

    /** Work of the most recent pulse, in ns. */
    public long lastWorkNanos() { return lastWorkNanos; }

    /** Longest time between two pulses: what a user perceives as a stall. */
    public long maxGapNanos() { return maxGapNanos; }

    public long frames() { return frames; }

    public void resetStats() {
        maxWorkNanos = 0;
        maxGapNanos = 0;
        lastFrame = 0;
    }
}
