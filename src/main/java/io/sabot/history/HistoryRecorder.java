package io.sabot.history;

import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.engine.UsageHistory;
import io.sabot.spec.InstanceIds;
import io.sabot.store.UsageRepository;
import io.sabot.store.UsageSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Usage history per agent and per consumer group: every {@value #SAMPLE_SECONDS} s, on a thread
 * of its own, the engine's status and partitions are summed per agent ({@code agent:NAME}: CPU,
 * memory, records/s, lag in records and seconds, restarts since the last sample) and per consumer
 * group ({@code group:NAME}: the partitions its instances own) and written in one batch. Raw rows
 * become minute rows after an hour and go after 7 days ({@link UsageRepository#downsample}).
 *
 * <p>Consumer group: today an agent that consumes a topic is its own consumer group (the
 * contract's {@code consumerGroup} defaults to the agent's name); lag seconds are records behind
 * divided by the topic's production rate per partition (the worst partition of the group).
 *
 * <p>A steady subject is not written again and again (issue 13: a thousand idle agents wrote a
 * thousand equal rows every 5 s): a sample equal to the subject's last written row, without
 * restarts, is left out unless {@link #STEADY_ROW_MS} passed since that row. Nothing is lost: a
 * query fills the buckets after a row, up to {@link #FILL_MS}, with that row's figures (what the
 * left-out samples said); a subject that is gone stops there. Held by {@code SteadyRowsTest}.
 */
public final class HistoryRecorder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.sabot.history");
    public static final int SAMPLE_SECONDS = UsageRepository.RAW_RESOLUTION;
    static final long RAW_KEEP_MS = 3_600_000L;
    static final long KEEP_MS = 7 * 86_400_000L;
    /** A steady subject still gets a row this often (so every minute row has one, and a gap means the subject was gone). */
    static final long STEADY_ROW_MS = 55_000L;
    /** How far after a row a query carries its figures into empty buckets: the longest gap between two rows of a present subject, and a sample's slack. */
    static final long FILL_MS = STEADY_ROW_MS + 2L * SAMPLE_SECONDS * 1000L;

    private final LocalEngine engine;
    private final UsageRepository store;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sabot-history");
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        return t;
    });
    /** Restarts per instance at the last sample. */
    private final Map<String, Integer> lastRestarts = new HashMap<>();
    /** Leaves out rows that repeat the last one written (the sampling thread only). */
    private final SteadyRows steady = new SteadyRows(STEADY_ROW_MS);
    private long lastPrune;

    public HistoryRecorder(LocalEngine engine, UsageRepository store) {
        this.engine = engine;
        this.store = store;
        timer.scheduleWithFixedDelay(this::sampleSafely, SAMPLE_SECONDS, SAMPLE_SECONDS, TimeUnit.SECONDS);
    }

    private void sampleSafely() {
        try {
            long now = System.currentTimeMillis();
            store.insert(steady.changed(sample(now, engine.statusUnseen(Selection.everything()), engine.partitions(null))));
            if (now - lastPrune > 5 * 60_000L) {
                lastPrune = now;
                store.downsample(now - RAW_KEEP_MS, now - KEEP_MS);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "history: " + e.getMessage());
        }
    }

    /** One row per agent and per consumer group from a look at status and partitions. */
    List<UsageSample> sample(long now, List<InstanceStatus> status, List<PartitionView> partitions) {
        Map<String, double[]> agents = new LinkedHashMap<>(); // cpu, rss, rate, lagRecords, lagSeconds, restarts
        for (InstanceStatus s : status) {
            double[] a = agents.computeIfAbsent(s.agent(), k -> new double[6]);
            a[0] += s.cpuPercent();
            a[1] += s.memoryBytes();
            a[2] += s.messagesPerSec();
            int was = lastRestarts.getOrDefault(s.id(), s.restarts());
            a[5] += Math.max(0, s.restarts() - was);
            lastRestarts.put(s.id(), s.restarts());
        }
        Map<String, double[]> groups = new LinkedHashMap<>();
        for (PartitionView p : partitions) {
            if (p.owner() == null) continue;
            String agent = InstanceIds.agentOf(p.owner());
            double secs = p.ratePerSec() > 0 ? p.lag() / p.ratePerSec() : 0;
            for (Map<String, double[]> m : List.of(agents, groups)) {
                double[] g = m.computeIfAbsent(agent, k -> new double[6]);
                g[3] += p.lag();
                g[4] = Math.max(g[4], secs);
            }
        }
        // agents without partitions report lag in their heartbeats
        for (InstanceStatus s : status) {
            double[] a = agents.get(s.agent());
            if (!groups.containsKey(s.agent())) a[3] += s.lag();
        }
        for (Map.Entry<String, double[]> e : groups.entrySet()) {
            double[] a = agents.get(e.getKey());
            if (a != null) e.getValue()[2] = a[2]; // what the group's members process
        }
        List<UsageSample> rows = new ArrayList<>();
        agents.forEach((k, a) -> rows.add(row("agent:" + k, now, a)));
        groups.forEach((k, a) -> rows.add(row("group:" + k, now, a)));
        return rows;
    }

    private static UsageSample row(String subject, long now, double[] a) {
        return new UsageSample(subject, now, UsageRepository.RAW_RESOLUTION, a[0], (long) a[1], a[2], (long) a[3], a[4], (long) a[5]);
    }

    /** History of a subject over a range, at most {@link Ranges#MAX_POINTS} points. */
    public UsageHistory usage(String subject, String range) {
        return query(store, subject, range, System.currentTimeMillis());
    }

    static UsageHistory query(UsageRepository store, String subject, String range, long now) {
        if (subject == null || !(subject.startsWith("agent:") || subject.startsWith("group:"))) {
            throw new IllegalArgumentException("history subject must be agent:NAME or group:NAME, was \"" + subject + "\"");
        }
        Ranges r = Ranges.of(range);
        long from = now - r.spanMs;
        long to = now + 1;
        int max = Ranges.MAX_POINTS;
        long bucket = Math.max(1, (to - from + max - 1) / max);
        List<UsageHistory.UsagePoint> pts = new ArrayList<>();
        List<UsageSample> rows = store.series(subject, from, to, max);
        for (int i = 0; i < rows.size(); i++) {
            UsageSample s = rows.get(i);
            pts.add(new UsageHistory.UsagePoint(s.timeMs(), s.cpu(), s.rss(), s.rate(), s.lagRecords(), s.lagSeconds(), s.restarts()));
            // the samples left out after a row said what it says (see changed): its figures, no restarts
            long until = Math.min(i + 1 < rows.size() ? rows.get(i + 1).timeMs() : Math.min(to, now), s.timeMs() + bucket + FILL_MS);
            for (long t = s.timeMs() + bucket; t < until; t += bucket) {
                pts.add(new UsageHistory.UsagePoint(t, s.cpu(), s.rss(), s.rate(), s.lagRecords(), s.lagSeconds(), 0));
            }
        }
        return new UsageHistory(subject, r.wire, from, to, bucket, max, pts);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
