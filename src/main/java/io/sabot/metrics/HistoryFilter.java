package io.sabot.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * Which samples go into the durable metrics history: the figures of a steady process are written
 * once a minute, a change as soon as it shows (but not more often than every {@code minGapMs}).
 * The live figures (status, the console's charts, the event stream) still see every sample; only
 * the store is spared rows that repeat the previous one. A sample is kept when, since the subject's
 * last kept sample, {@code maxGapMs} have passed, or {@code minGapMs} have passed and its CPU moved
 * by {@code cpuPoints} points, its memory by {@code rssFraction} or its thread count at all.
 * Thread-confined (the caller's one thread). Held by {@code HistoryFilterTest}.
 */
public final class HistoryFilter {
    private record Kept(long timeMs, double cpu, long rss, int threads) {}

    private final long minGapMs;
    private final long maxGapMs;
    private final double cpuPoints;
    private final double rssFraction;
    private final Map<String, Kept> last = new HashMap<>();

    public HistoryFilter(long minGapMs, long maxGapMs, double cpuPoints, double rssFraction) {
        this.minGapMs = minGapMs;
        this.maxGapMs = maxGapMs;
        this.cpuPoints = cpuPoints;
        this.rssFraction = rssFraction;
    }

    /** 5 s between changes at most, a row a minute when nothing changes; 2 CPU points, 2 % memory. */
    public static HistoryFilter defaults() { return new HistoryFilter(5_000, 60_000, 2.0, 0.02); }

    /** Whether this sample is to be written (and if so it becomes the subject's last kept one). */
    public boolean admit(String subject, long timeMs, double cpu, long rss, int threads) {
        Kept k = last.get(subject);
        boolean keep;
        if (k == null || timeMs - k.timeMs >= maxGapMs || timeMs < k.timeMs) {
            keep = true;
        } else if (timeMs - k.timeMs < minGapMs) {
            keep = false;
        } else {
            keep = Math.abs(cpu - k.cpu) >= cpuPoints || Math.abs(rss - k.rss) > rssFraction * Math.max(1, k.rss) || threads != k.threads;
        }
        if (keep) last.put(subject, new Kept(timeMs, cpu, rss, threads));
        return keep;
    }

    /** Forgets a subject (its instance is gone): its next sample is kept. */
    public void forget(String subject) { last.remove(subject); }
}
