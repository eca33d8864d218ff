package io.sabot.metrics;

import io.sabot.engine.EngineEvent;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.MetricsSnapshot;
import io.sabot.engine.Selection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples every live instance and the host once a second (from /proc: see {@link ProcSampler}),
 * writes the figures into the engine's status and publishes one "metrics" event per tick for
 * the console's charts and the store's history.
 */
public final class MetricsService implements AutoCloseable {
    private final LocalEngine engine;
    private final ProcSampler sampler = new ProcSampler();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sabot-metrics");
        t.setDaemon(true);
        return t;
    });

    public MetricsService(LocalEngine engine, long periodMs) {
        this.engine = engine;
        timer.scheduleAtFixedRate(this::tick, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    void tick() {
        try {
            Map<String, Long> pids = engine.livePids();
            Map<Long, ProcessSample> samples = sampler.sampleAll(pids.values());
            Map<String, Double> rates = new HashMap<>();
            for (InstanceStatus s : engine.status(Selection.everything())) rates.put(s.id(), s.messagesPerSec());
            Map<String, MetricsSnapshot.InstanceMetrics> out = new HashMap<>();
            for (Map.Entry<String, Long> e : pids.entrySet()) {
                ProcessSample p = samples.get(e.getValue());
                if (p == null) continue;
                engine.updateMetrics(e.getKey(), p.cpuPercent(), p.rssBytes(), p.threads());
                out.put(e.getKey(), new MetricsSnapshot.InstanceMetrics(p.cpuPercent(), p.rssBytes(), p.threads(),
                        rates.getOrDefault(e.getKey(), 0.0)));
            }
            HostSample h = sampler.sampleHost();
            engine.publish(new EngineEvent.MetricsEvent(new MetricsSnapshot(System.currentTimeMillis(), h.cpuPercent(),
                    h.memUsedBytes(), h.memTotalBytes(), out)));
        } catch (RuntimeException e) {
            System.err.println("sabot: metrics sampler: " + e);
        }
    }

    @Override
    public void close() { timer.shutdownNow(); }
}
