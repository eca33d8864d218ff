package io.sabot.metrics;

/**
 * A process's CPU share over the last {@link #WINDOW_NANOS} (a sliding window), from cumulative
 * CPU time samples. {@code /proc/PID/stat} counts CPU time in 10 ms clock ticks, so a 1 s
 * difference can only say 0 %, 1 % or 2 % for a process that uses 0.4 % (the chart jumped
 * between them); over 10 s the step is 0.1 % and the figure holds still. Allocation-free after
 * construction (a ring of samples), for the sampler's hot loop.
 *
 * <p>Guarantees (CpuWindowTest): a steady 0.4 % reads 0.4 % (±0.1) at every sample once the
 * window is full; a process that starts working shows it within one sample; the window never
 * reaches back past {@link #WINDOW_NANOS} (plus one sample).
 */
public final class CpuWindow {
    /** How far back the share is computed. */
    public static final long WINDOW_NANOS = 10_000_000_000L;
    private static final int SLOTS = 64; // room for 1 Hz samples over the window, and faster ones
    private final long[] times = new long[SLOTS];
    private final long[] cpu = new long[SLOTS];
    private int start, size;

    /**
     * Adds a sample ({@code System.nanoTime()}, cumulative CPU time of the process in ns) and
     * returns its CPU share in percent of one core over the window ending now (0 for the first).
     */
    public double add(long nowNanos, long cpuNanos) {
        // drop samples older than the window, keeping the newest one at or before its start
        while (size >= 2 && nowNanos - times[(start + 1) % SLOTS] >= WINDOW_NANOS) {
            start = (start + 1) % SLOTS;
            size--;
        }
        if (size == SLOTS) {
            start = (start + 1) % SLOTS;
            size--;
        }
        int i = (start + size) % SLOTS;
        times[i] = nowNanos;
        cpu[i] = cpuNanos;
        size++;
        if (size < 2) return 0;
        long dt = nowNanos - times[start];
        long dc = cpuNanos - cpu[start];
        if (dt <= 0 || dc < 0) return 0;
        return dc * 100.0 / dt;
    }

    /** Forgets the samples (a new process on a reused pid). */
    public void reset() {
        start = 0;
        size = 0;
    }
}
