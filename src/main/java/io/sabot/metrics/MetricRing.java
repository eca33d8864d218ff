package io.sabot.metrics;

/**
 * A fixed-size ring of samples of one instance (e.g. 600 points = 10 minutes at 1 Hz) for live
 * charts. Writers {@link #add} from the sampling thread; readers copy the contents, oldest first,
 * into arrays they own and reuse ({@link #copyTo}), so a chart refresh allocates nothing per point.
 * Thread-safe (a short lock per add and per copy).
 */
public final class MetricRing {
    private final int capacity;
    private final long[] timestamps;
    private final double[] cpu;
    private final long[] rss;
    private final int[] threads;
    private int head;   // next write index
    private int size;
    private long added;

    public MetricRing(int capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("capacity must be > 0");
        this.capacity = capacity;
        this.timestamps = new long[capacity];
        this.cpu = new double[capacity];
        this.rss = new long[capacity];
        this.threads = new int[capacity];
    }

    public int capacity() {
        return capacity;
    }

    public synchronized int size() {
        return size;
    }

    /** How many samples were ever added (also a cheap "changed since" stamp for readers). */
    public synchronized long added() {
        return added;
    }

    public void add(ProcessSample s) {
        add(s.timestampMs(), s.cpuPercent(), s.rssBytes(), s.threads());
    }

    public synchronized void add(long timestampMs, double cpuPercent, long rssBytes, int threadCount) {
        timestamps[head] = timestampMs;
        cpu[head] = cpuPercent;
        rss[head] = rssBytes;
        threads[head] = threadCount;
        head = head + 1 == capacity ? 0 : head + 1;
        if (size < capacity) size++;
        added++;
    }

    public synchronized void clear() {
        head = 0;
        size = 0;
    }

    /**
     * Copies the samples, oldest first, into the given arrays (any may be null to skip that
     * series; each non-null one must hold {@link #capacity()} values) and returns how many were
     * copied.
     */
    public synchronized int copyTo(long[] timestampsOut, double[] cpuOut, long[] rssOut, int[] threadsOut) {
        int start = head - size;
        if (start < 0) start += capacity;
        int first = Math.min(size, capacity - start); // from start to the end of the arrays
        int second = size - first;                    // wrapped part, from index 0
        copy(timestamps, timestampsOut, start, first, second);
        copy(cpu, cpuOut, start, first, second);
        copy(rss, rssOut, start, first, second);
        copy(threads, threadsOut, start, first, second);
        return size;
    }

    private static void copy(Object src, Object dst, int start, int first, int second) {
        if (dst == null) return;
        System.arraycopy(src, start, dst, 0, first);
        System.arraycopy(src, 0, dst, first, second);
    }

    /** The newest sample, or null when empty. */
    public synchronized ProcessSample latest(long pid) {
        if (size == 0) return null;
        int i = head == 0 ? capacity - 1 : head - 1;
        return new ProcessSample(pid, cpu[i], rss[i], threads[i], timestamps[i]);
    }

    /** A copy of the contents in new arrays sized to fit (allocates; for tests and one-off reads). */
    public Snapshot snapshot() {
        long[] t = new long[capacity];
        double[] c = new double[capacity];
        long[] r = new long[capacity];
        int[] th = new int[capacity];
        int n = copyTo(t, c, r, th);
        return new Snapshot(n, t, c, r, th);
    }

    /** Arrays of {@link #capacity()} values of which the first {@code size} are valid, oldest first. */
    public record Snapshot(int size, long[] timestamps, double[] cpuPercent, long[] rssBytes, int[] threads) {}
}
