package io.sabot.ui;

import io.sabot.engine.AssignmentView;
import io.sabot.engine.DeployResult;
import io.sabot.engine.Engine;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.EngineInfo;
import io.sabot.engine.EngineListener;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.MetricPoint;
import io.sabot.engine.MetricsSnapshot;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.engine.Subscription;
import io.sabot.telemetry.TraceView;
import io.sabot.engine.Transition;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.SpecException;
import io.sabot.spec.TopicSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Test-only: a real LocalEngine (real processes) plus synthetic data for what other modules will
 * provide later (metrics sampler, partition manager, telemetry queries), published through
 * {@code LocalEngine.publish} exactly as those modules will. Used for screenshots and demos.
 */
public final class DemoEngine implements Engine {
    private final LocalEngine inner;
    private final DemoTelemetry telemetry;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-metrics");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Map<Integer, String>> owners = new HashMap<>();
    private final Map<String, Set<Integer>> moved = new HashMap<>();
    private final Map<String, Long> epochs = new HashMap<>();
    private final Map<String, String> consumerOf = new LinkedHashMap<>();
    private final long t0 = System.currentTimeMillis();
    private final Map<String, List<MetricPoint>> history = new HashMap<>();

    public DemoEngine(LocalEngine inner, DemoTelemetry telemetry) {
        this.inner = inner;
        this.telemetry = telemetry;
    }

    /** Starts publishing metrics snapshots at {@code hz}. */
    public DemoEngine startMetrics(double hz) {
        ticker.scheduleAtFixedRate(this::publishMetrics, 0, (long) (1000 / hz), TimeUnit.MILLISECONDS);
        return this;
    }

    public void consumer(String topic, String agent) { consumerOf.put(topic, agent); }

    private void publishMetrics() {
        long now = System.currentTimeMillis();
        double t = (now - t0) / 1000.0;
        Map<String, MetricsSnapshot.InstanceMetrics> m = new LinkedHashMap<>();
        for (InstanceStatus s : inner.status(Selection.everything())) {
            if (s.pid() == null) continue;
            int h = Math.abs(s.id().hashCode());
            double cpu = 6 + (h % 23) + 9 * Math.sin(t / 7.0 + h % 10) + 3 * Math.sin(t * 1.3 + h);
            long rss = (48L + h % 90) * 1024 * 1024 + (long) (6 * 1024 * 1024 * Math.sin(t / 11.0 + h % 5));
            double rate = s.agent().equals("alerter") ? 12 + h % 5 : 180 + (h % 60) + 25 * Math.sin(t / 5.0 + h % 3);
            m.put(s.id(), new MetricsSnapshot.InstanceMetrics(Math.max(0.5, cpu), rss, 12, rate));
            synchronized (history) {
                history.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(new MetricPoint(now, cpu, rss));
            }
        }
        double hostCpu = 28 + 12 * Math.sin(t / 9.0) + 5 * Math.sin(t * 0.7);
        long total = 16L * 1024 * 1024 * 1024;
        long used = (long) (total * (0.46 + 0.03 * Math.sin(t / 13.0)));
        inner.runtime().publish(new EngineEvent.MetricsEvent(new MetricsSnapshot(now, hostCpu, used, total, m)));
    }

    /** Pre-fills five minutes of metrics history (as if the sampler had been running). */
    public void backfill(int seconds) {
        // the console's live rings are filled by events: publish past snapshots quickly
        long now = System.currentTimeMillis();
        List<InstanceStatus> st = inner.status(Selection.everything());
        for (int i = seconds; i > 0; i--) {
            long at = now - i * 1000L;
            double t = (at - t0) / 1000.0;
            Map<String, MetricsSnapshot.InstanceMetrics> m = new LinkedHashMap<>();
            for (InstanceStatus s : st) {
                if (s.pid() == null) continue;
                int h = Math.abs(s.id().hashCode());
                double cpu = 6 + (h % 23) + 9 * Math.sin(t / 7.0 + h % 10) + 3 * Math.sin(t * 1.3 + h);
                long rss = (48L + h % 90) * 1024 * 1024 + (long) (6 * 1024 * 1024 * Math.sin(t / 11.0 + h % 5));
                m.put(s.id(), new MetricsSnapshot.InstanceMetrics(Math.max(0.5, cpu), rss, 12, 150));
            }
            double hostCpu = 28 + 12 * Math.sin(t / 9.0) + 5 * Math.sin(t * 0.7);
            long total = 16L * 1024 * 1024 * 1024;
            inner.runtime().publish(new EngineEvent.MetricsEvent(new MetricsSnapshot(at, hostCpu, (long) (total * (0.46 + 0.03 * Math.sin(t / 13.0))), total, m)));
            if (i % 20 == 0) {
                try {
                    Thread.sleep(150); // let the console drain its bounded queue, as it would at 1 Hz
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    // ---- partitions (what the partition manager will do, simplified) ---------------------------

    private synchronized List<String> live(String agent) {
        List<String> out = new ArrayList<>();
        for (InstanceStatus s : inner.status(Selection.everything())) if (s.agent().equals(agent) && s.pid() != null) out.add(s.id());
        return out;
    }

    @Override
    public synchronized List<PartitionView> partitions(String topic) {
        List<PartitionView> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (TopicSpec t : inner.spec().topics()) {
            if (topic != null && !topic.equals(t.name())) continue;
            Map<Integer, String> own = owners.computeIfAbsent(t.name(), k -> new HashMap<>());
            List<String> members = live(consumerOf.getOrDefault(t.name(), ""));
            for (int p = 0; p < t.partitions(); p++) {
                if (!members.contains(own.get(p))) own.put(p, members.isEmpty() ? null : members.get(p % members.size()));
                long off = (now - t0) / 20 * (p % 4 + 1) + p * 1000L;
                long lag = own.get(p) == null ? 900 + p * 13 : (p * 37 + (now / 1000) % 17) % 120;
                out.add(new PartitionView(t.name(), p, own.get(p), epochs.getOrDefault(t.name(), 1L), off, lag,
                        own.get(p) == null ? 0 : t.ratePerSec() * (0.8 + (p % 5) / 10.0), moved.getOrDefault(t.name(), Set.of()).contains(p)));
            }
        }
        publishOwnership();
        return out;
    }

    /** Tells the engine which partitions each instance owns (status shows them), as the partition manager will. */
    private void publishOwnership() {
        Map<String, List<String>> per = new HashMap<>();
        owners.forEach((topic, own) -> own.forEach((p, o) -> {
            if (o != null) per.computeIfAbsent(o, k -> new ArrayList<>()).add(topic + ":" + p);
        }));
        for (InstanceStatus s : inner.status(Selection.everything())) inner.runtime().updatePartitions(s.id(), per.getOrDefault(s.id(), List.of()));
    }

    @Override
    public synchronized List<AssignmentView> rebalance(String topic, String strategy, String reason) {
        List<AssignmentView> out = new ArrayList<>();
        for (TopicSpec t : inner.spec().topics()) {
            if (topic != null && !topic.equals(t.name())) continue;
            List<String> members = live(consumerOf.getOrDefault(t.name(), ""));
            Map<Integer, String> own = owners.computeIfAbsent(t.name(), k -> new HashMap<>());
            Set<Integer> mv = new HashSet<>();
            for (int p = 0; p < t.partitions(); p++) {
                if (members.isEmpty()) break;
                // like a sticky assignor after a change: most partitions stay, a few move
                String want = p % 5 == 2 ? members.get((members.indexOf(own.get(p)) + 1 + members.size()) % members.size()) : own.get(p);
                if (want == null) want = members.get(p % members.size());
                if (!want.equals(own.get(p))) mv.add(p);
                own.put(p, want);
            }
            long e = epochs.merge(t.name(), 1L, Long::sum);
            moved.put(t.name(), mv);
            publishOwnership(); // state first, then the event that announces it
            AssignmentView a = new AssignmentView(t.name(), e, strategy, reason, new HashMap<>(own), new ArrayList<>(mv), List.of(), System.currentTimeMillis());
            inner.runtime().publish(new EngineEvent.AssignmentEvent(a));
            out.add(a);
        }
        return out;
    }

    @Override
    public List<TraceView> traces(int limit) { return telemetry == null ? List.of() : telemetry.traces(limit); }

    @Override
    public List<MetricPoint> metricsHistory(String instanceId, long fromMs, long toMs) {
        synchronized (history) {
            return history.getOrDefault(instanceId, List.of()).stream().filter(p -> p.timeMs() >= fromMs && p.timeMs() <= toMs).toList();
        }
    }

    // ---- delegation ------------------------------------------------------------------------------

    @Override
    public DeployResult deploy(FleetSpec spec) throws SpecException { return inner.deploy(spec); }

    @Override
    public List<LifecycleResult> remove(List<String> agents) { return inner.remove(agents); }

    @Override
    public FleetSpec spec() { return inner.spec(); }

    @Override
    public List<LifecycleResult> start(Selection t, Integer c, Long to) { return inner.start(t, c, to); }

    @Override
    public List<LifecycleResult> stop(Selection t, boolean f, Long to) { return inner.stop(t, f, to); }

    @Override
    public List<LifecycleResult> restart(Selection t, boolean r, Long to) { return inner.restart(t, r, to); }

    @Override
    public List<InstanceStatus> status(Selection t) { return inner.status(t); }

    @Override
    public List<Transition> history(String id) { return inner.history(id); }

    @Override
    public List<String> logs(String id, int lines) { return inner.logs(id, lines); }

    @Override
    public Subscription followLogs(String id, Consumer<String> sink) { return inner.followLogs(id, sink); }

    @Override
    public Subscription subscribe(EngineListener l) { return inner.subscribe(l); }

    @Override
    public EngineInfo info() { return inner.info(); }

    @Override
    public void close() { ticker.shutdownNow(); }
}
