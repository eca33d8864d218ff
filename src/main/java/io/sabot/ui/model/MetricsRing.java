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

    public int size() { return size; }

    public long time(int k) { return time[(start + k) % time.length]; }

    public double cpu(int k) { return cpu[(start + k) % time.length]; }

    public long mem(int k) { return mem[(start + k) % time.length]; }

    public double lastCpu() { return size == 0 ? 0 : cpu(size - 1); }

    public long lastMem() { return size == 0 ? 0 : mem(size - 1); }
}
