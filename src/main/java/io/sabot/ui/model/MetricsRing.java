package io.sabot.ui.model;

/** The last N metric samples of one instance (or the host), fixed arrays, FX thread only. */
public final class MetricsRing {
    private final long[] time;
    private final double[] cpu;
    private final long[] mem;
    private int start;
    private int size;

    public MetricsRing(int capacity) {
        time = new long[capacity];
        cpu = new double[capacity];
        mem = new long[capacity];
    }

    public void add(long timeMs, double cpuPercent, long memoryBytes) {
        if (size > 0 && timeMs <= time[(start + size - 1) % time.length]) return; // out of order or duplicate
        int i;
        if (size < time.length) {
            i = (start + size) % time.length;
            size++;
        } else {
            i = start;
            start = (start + 1) % time.length;
        }
        time[i] = timeMs;
        cpu[i] = cpuPercent;
        mem[i] = memoryBytes;
    }

    /**
     * Puts older samples (from the store's history, oldest first) in front of what the ring
     * holds, so a chart opened late still shows the last minutes.
     */
    public void prepend(long[] times, double[] cpus, long[] mems) {
        int n = size;
        long[] t0 = new long[n];
        double[] c0 = new double[n];
        long[] m0 = new long[n];
        for (int k = 0; k < n; k++) {
            t0[k] = time(k);
            c0[k] = cpu(k);
            m0[k] = mem(k);
        }
        long first = n == 0 ? Long.MAX_VALUE : t0[0];
        start = 0;
        size = 0;
        for (int k = 0; k < times.length; k++) if (times[k] < first) add(times[k], cpus[k], mems[k]);
        for (int k = 0; k < n; k++) add(t0[k], c0[k], m0[k]);
    }

    public int size() { return size; }

    public long time(int k) { return time[(start + k) % time.length]; }

    public double cpu(int k) { return cpu[(start + k) % time.length]; }

    public long mem(int k) { return mem[(start + k) % time.length]; }

    public double lastCpu() { return size == 0 ? 0 : cpu(size - 1); }

    public long lastMem() { return size == 0 ? 0 : mem(size - 1); }
}
