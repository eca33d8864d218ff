package io.sabot.metrics;

import io.sabot.concurrent.Threads;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.MetricsSnapshot;
import io.sabot.engine.Ports;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples every live instance and the host once a second (from /proc: see {@link ProcSampler}),
 * writes the figures into the engine's status and publishes one "metrics" event per tick for
 * the console's charts and the store's history. Reads the fleet without taking the engine's lock.
 */
public final class MetricsService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.sabot.metrics");
    private final Ports.Events events;
    private final Ports.Figures figures;
    private final ProcSampler sampler = new ProcSampler();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Threads.named("sabot-metrics"));

    public MetricsService(Ports.Events events, Ports.Figures figures, long periodMs) {
        this.events = events;
        this.figures = figures;
        timer.scheduleAtFixedRate(this::tick, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    void tick() {
        try {
            Map<String, Long> pids = figures.livePids();
            Map<Long, ProcessSample> samples = sampler.sampleAll(pids.values());
            Map<String, Double> rates = figures.messageRates();
            Map<String, MetricsSnapshot.InstanceMetrics> out = new HashMap<>();
            for (Map.Entry<String, Long> e : pids.entrySet()) {
                ProcessSample p = samples.get(e.getValue());
                if (p == null) continue;
                figures.updateMetrics(e.getKey(), p.cpuPercent(), p.rssBytes(), p.threads());
                out.put(e.getKey(), new MetricsSnapshot.InstanceMetrics(p.cpuPercent(), p.rssBytes(), p.threads(),
                        rates.getOrDefault(e.getKey(), 0.0)));
            }
            HostSample h = sampler.sampleHost();
            events.publish(new EngineEvent.MetricsEvent(new MetricsSnapshot(System.currentTimeMillis(), h.cpuPercent(),
                    h.memUsedBytes(), h.memTotalBytes(), out)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "metrics sampler: " + e);
        }
    }

    @Override
    public void close() { timer.shutdownNow(); }
}
