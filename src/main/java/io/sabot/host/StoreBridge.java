package io.sabot.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.engine.AssignmentView;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.InstanceState;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.Ports;
import io.sabot.engine.MetricsSnapshot;
import io.sabot.engine.OffsetCommit;
import io.sabot.engine.Subscription;
import io.sabot.engine.Transition;
import io.sabot.metrics.HistoryFilter;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.GroupSpec;
import io.sabot.spec.InstanceIds;
import io.sabot.spec.TopicSpec;
import io.sabot.store.AgentRemovalRecord;
import io.sabot.store.AssignmentRecord;
import io.sabot.store.DesiredStateRecord;
import io.sabot.store.EventRecord;
import io.sabot.store.InstanceRecord;
import io.sabot.store.JournalWriter;
import io.sabot.store.MetricRecord;
import io.sabot.store.OffsetRecord;
import io.sabot.store.ResultRecord;
import io.sabot.store.SpecRecord;
import io.sabot.store.TransitionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes what the engine reports into the store's journal: transitions, results, specs,
 * desired state, instances (pid and start time, to find leftovers after a crash), offsets and
 * assignments durably (group-committed); metrics lazily. Submitting never waits for the disk;
 * the engine's durability barrier ({@code journal.sync()}) does, before an operation is acknowledged.
 */
public final class StoreBridge implements AutoCloseable {
    /** Spec records of topics are named with this prefix (agent names cannot contain ':'). */
    public static final String TOPIC_PREFIX = "topic:";
    /** Spec records of Kafka clusters are named with this prefix. */
    public static final String CLUSTER_PREFIX = "cluster:";
    /** Spec records of consumer groups' settings (who coordinates them) are named with this prefix. */
    public static final String CONSUMER_GROUP_PREFIX = "consumer-group:";
    /** Spec records of alert rules are named with this prefix. */
    public static final String ALERT_PREFIX = "alert:";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String GROUP_PREFIX = "group:";
    private static final System.Logger LOG = System.getLogger("io.sabot.host");

    private final JournalWriter journal;
    private final Subscription sub;
    private final HistoryFilter history = HistoryFilter.defaults();
    private final Subscription spawns;
    /** Each agent's instance count, from the latest spec event (a spec event always comes before the desired state it explains). */
    private volatile Map<String, Integer> concurrency = Map.of();

    /**
     * @param events    what the engine reports
     * @param instances new processes (their pid and start time, to find leftovers after a crash)
     */
    public StoreBridge(Ports.Events events, Ports.Instances instances, JournalWriter journal) {
        this.journal = journal;
        this.sub = events.subscribe(this::onEvent);
        this.spawns = instances.onSpawn((id, pid, pgid, ticks, spec) -> {
            // from the ticks read at the spawn, as the JDK computes startInstant() (which Recovery compares
            // with): ProcessHandle.info() read five /proc files per spawn (issue 13)
            Instant started = ticks >= 0 ? io.sabot.process.ProcStat.startInstant(ticks)
                    : ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).orElse(null);
            journal.submit(new InstanceRecord(id, spec.name(), InstanceIds.indexOf(id), pid, started, InstanceState.STARTING.name(), Instant.now()));
        });
    }

    private void onEvent(EngineEvent e) {
        try {
            if (e instanceof EngineEvent.TransitionEvent t) {
                transition(t.transition());
            } else if (e instanceof EngineEvent.ResultEvent re) {
                LifecycleResult r = re.result();
                journal.submit(new ResultRecord(Instant.now(), r.operation(), r.instance(), r.success(), name(r.previousState()),
                        name(r.newState()), Duration.ofMillis(r.durationMs()), r.error(), r.traceId()));
            } else if (e instanceof EngineEvent.SpecEvent s) {
                specs(s.spec());
            } else if (e instanceof EngineEvent.RemovedEvent r) {
                for (String n : r.agents()) journal.submit(new AgentRemovalRecord(n, Instant.now()));
            } else if (e instanceof EngineEvent.DesiredEvent d) {
                desired(d.desired());
            } else if (e instanceof EngineEvent.OffsetEvent oe) {
                OffsetCommit o = oe.offset();
                journal.submit(new OffsetRecord(o.group(), o.topic(), o.partition(), o.offset(), Instant.ofEpochMilli(o.timeMs())));
            } else if (e instanceof EngineEvent.AssignmentEvent a) {
                assignment(a.assignment());
            } else if (e instanceof EngineEvent.MetricsEvent m) {
                metrics(m.metrics());
            } else if (e instanceof EngineEvent.NoticeEvent n) {
                journal.submit(new EventRecord(Instant.now(), "notice", null, n.text()));
            } else if (e instanceof EngineEvent.GroupEvent g) {
                EngineEvent.GroupChange c = g.change();
                journal.submit(new EventRecord(Instant.ofEpochMilli(c.timeMs()), "group", null,
                        "group " + c.group() + " " + c.state() + (c.reason() == null ? "" : ": " + c.reason())));
            }
        } catch (RuntimeException ex) {
            String line = "store: could not record the " + e.type() + " event: " + io.sabot.errors.UserMessages.describe(ex);
            if (!line.equals(lastComplaint)) LOG.log(System.Logger.Level.WARNING, line); // once, not once per event
            lastComplaint = line;
        }
    }

    private volatile String lastComplaint;

    private static String name(InstanceState s) { return s == null ? null : s.name(); }

    private void transition(Transition t) {
        journal.submit(new TransitionRecord(Instant.ofEpochMilli(t.timeMs()), t.instance(), name(t.from()), t.to().name(), t.cause(),
                t.exitCode(), t.signal(), t.reason(), t.traceId()));
        if (!t.to().live()) {
            synchronized (history) { history.forget(t.instance()); }
            journal.submit(new InstanceRecord(t.instance(), InstanceIds.agentOf(t.instance()), InstanceIds.indexOf(t.instance()),
                    null, null, t.to().name(), Instant.now()));
        }
    }

    private void specs(FleetSpec f) {
        Instant now = Instant.now();
        Map<String, Integer> n = new java.util.HashMap<>();
        for (AgentSpec a : f.agents()) n.put(a.name(), a.concurrency());
        concurrency = n;
        try {
            for (AgentSpec a : f.agents()) journal.submit(new SpecRecord(a.name(), JSON.writeValueAsString(a), now));
            for (TopicSpec t : f.topics()) journal.submit(new SpecRecord(TOPIC_PREFIX + t.name(), JSON.writeValueAsString(t), now));
            for (io.sabot.spec.ClusterSpec c : f.clusters()) journal.submit(new SpecRecord(CLUSTER_PREFIX + c.name(), JSON.writeValueAsString(c), now));
            for (io.sabot.spec.ConsumerGroupSpec g : f.consumerGroups()) journal.submit(new SpecRecord(CONSUMER_GROUP_PREFIX + g.name(), JSON.writeValueAsString(g), now));
            for (GroupSpec g : f.groups()) journal.submit(new SpecRecord(GROUP_PREFIX + g.name(), JSON.writeValueAsString(g), now));
            for (io.sabot.spec.AlertSpec a : f.alerts()) journal.submit(new SpecRecord(ALERT_PREFIX + a.name(), JSON.writeValueAsString(a), now));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void desired(Map<String, Boolean> d) {
        Instant now = Instant.now();
        Map<String, Integer> concurrency = this.concurrency;
        for (Map.Entry<String, Boolean> e : d.entrySet()) {
            journal.submit(new DesiredStateRecord(e.getKey(), e.getValue(), concurrency.getOrDefault(e.getKey(), 1), now));
        }
    }

    private void assignment(AssignmentView a) {
        int n = a.owners().keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        n = Math.max(n, a.unassigned().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1);
        List<String> owners = new ArrayList<>();
        for (int p = 0; p < n; p++) owners.add(a.owners().get(p));
        journal.submit(new AssignmentRecord(a.topic(), a.epoch(), a.strategy(), a.reason(), owners, a.moved().size(),
                Instant.ofEpochMilli(a.timeMs()), a.group()));
    }

    /** Metrics history at an adaptive rate (see {@link HistoryFilter}): a steady fleet writes a row per instance a minute. */
    private void metrics(MetricsSnapshot m) {
        Instant t = Instant.ofEpochMilli(m.timeMs());
        synchronized (history) {
            if (history.admit(MetricRecord.HOST, m.timeMs(), m.hostCpuPercent(), m.hostMemoryUsedBytes(), 0)) {
                journal.submit(new MetricRecord(MetricRecord.HOST, t, m.hostCpuPercent(), m.hostMemoryUsedBytes(), 0, 1));
            }
            for (Map.Entry<String, MetricsSnapshot.InstanceMetrics> e : m.instances().entrySet()) {
                MetricsSnapshot.InstanceMetrics im = e.getValue();
                if (history.admit(e.getKey(), m.timeMs(), im.cpuPercent(), im.rssBytes(), im.threads())) {
                    journal.submit(new MetricRecord(e.getKey(), t, im.cpuPercent(), im.rssBytes(), im.threads(), 1));
                }
            }
        }
    }

    @Override
    public void close() {
        sub.close();
        spawns.close();
    }
}
