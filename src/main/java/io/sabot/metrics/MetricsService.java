package io.sabot.metrics;

import io.sabot.concurrent.Threads;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.MetricsSnapshot;
import io.sabot.engine.Ports;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the live instances and the host (from /proc: see {@link ProcSampler}), writes the
 * figures into the engine's status and publishes one "metrics" event per tick (about 1 Hz) for
 * the console's charts and the store's history.
 *
 * <p>Adaptive, so an idle fleet costs next to nothing: an instance whose process used CPU since
 * its last sample is sampled again at the next tick; one that did not is sampled half as often
 * each time, down to once every {@link #MAX_INTERVAL_TICKS} ticks (its figures do not change while
 * it sleeps; its CPU over the longer gap is still exact, from the difference of CPU times). A new
 * process is sampled at the next tick. A tick's event carries the instances sampled in it. One
 * pass over the engine per tick ({@link Ports.Figures#sampleLive}), without the engine's lock. Held by {@code MetricsServiceTest}.
 *
 * <p>At full rate only while someone looks ({@link Ports.Figures#figuresWatched}: a viewer, a recent
 * status read, alert rules): otherwise a pass runs every {@link #UNWATCHED_EVERY_TICKS} ticks and an
 * idle process is sampled at most every {@link #UNWATCHED_MAX_INTERVAL_TICKS} ticks, so an
 * unwatched idle fleet costs a wake-up a second whatever its size (issue 13). The first tick after
 * someone starts looking is a full pass, so what a viewer sees is fresh within a tick. Memory limits
 * do not depend on this rate (LimitEnforcer reads the processes it guards itself).
 */
public final class MetricsService implements AutoCloseable {
    /** The longest gap between two samples of an idle instance, in ticks. */
    static final int MAX_INTERVAL_TICKS = 10;
    /** While no one looks: a pass every this many ticks ... */
    static final int UNWATCHED_EVERY_TICKS = 5;
    /** ... and an idle process sampled at most every this many ticks (CPU over the gap is still exact). */
    static final int UNWATCHED_MAX_INTERVAL_TICKS = 60;

    private static final class Due {
        long pid;
        long nextTick;
        int interval = 1;
        long seenTick;
        boolean sampled; // the first sample of a process has no CPU figure yet
    }

    private static final System.Logger LOG = System.getLogger("io.sabot.metrics");
    private final Ports.Events events;
    private final Ports.Figures figures;
    private final ProcSampler sampler = new ProcSampler();
    private final Map<String, Due> due = new HashMap<>(); // sampling thread only
    private long tick;
    private boolean wasWatched = true;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Threads.named("sabot-metrics"));

    public MetricsService(Ports.Events events, Ports.Figures figures, long periodMs) {
        this.events = events;
        this.figures = figures;
        timer.scheduleAtFixedRate(this::tick, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    void tick() {
        try {
            long t = ++tick;
            boolean watched = figures.figuresWatched();
            if (watched && !wasWatched) { // someone started looking: everything fresh at this tick
                for (Due d : due.values()) {
                    d.nextTick = t;
                    d.interval = 1;
                }
            }
            wasWatched = watched;
            if (!watched && t % UNWATCHED_EVERY_TICKS != 0) return;
            int maxInterval = watched ? MAX_INTERVAL_TICKS : UNWATCHED_MAX_INTERVAL_TICKS;
            Map<String, MetricsSnapshot.InstanceMetrics> out = new HashMap<>();
            figures.sampleLive((id, pid, rate, sink) -> {
                Due d = due.get(id);
                if (d == null || d.pid != pid) { // new instance or a new process: sample now
                    if (d != null) sampler.forget(d.pid);
                    d = new Due();
                    d.pid = pid;
                    d.nextTick = t;
                    due.put(id, d);
                }
                d.seenTick = t;
                if (t < d.nextTick) return;
                ProcessSample p = sampler.sample(pid);
                if (p == null) return;
                sink.set(p.cpuPercent(), p.rssBytes(), p.threads());
                out.put(id, new MetricsSnapshot.InstanceMetrics(p.cpuPercent(), p.rssBytes(), p.threads(), rate));
                d.interval = p.cpuPercent() > 0 || !d.sampled ? 1 : Math.min(maxInterval, d.interval * 2);
                d.sampled = true;
                d.nextTick = t + d.interval;
            });
            for (Iterator<Due> it = due.values().iterator(); it.hasNext(); ) {
                Due d = it.next();
                if (d.seenTick != t) { // no process any more
                    sampler.forget(d.pid);
                    it.remove();
                }
            }
            HostSample h = sampler.sampleHost();
            events.publish(new EngineEvent.MetricsEvent(new MetricsSnapshot(System.currentTimeMillis(), h.cpuPercent(),
                    h.memUsedBytes(), h.memTotalBytes(), out)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "metrics sampler: " + io.sabot.errors.UserMessages.describe(e));
        }
    }

    @Override
    public void close() { timer.shutdownNow(); }
}
