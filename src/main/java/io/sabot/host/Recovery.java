package io.sabot.host;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.concurrent.Threads;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.Selection;
import io.sabot.partition.PartitionService;
import io.sabot.process.Signals;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.GroupSpec;
import io.sabot.spec.SpecException;
import io.sabot.spec.TopicSpec;
import io.sabot.store.AssignmentRecord;
import io.sabot.store.DesiredStateRecord;
import io.sabot.store.InstanceRecord;
import io.sabot.store.OffsetRecord;
import io.sabot.store.RecoveredState;
import io.sabot.store.SpecRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a new engine does with the store of the one before it: stop any process the old engine
 * left behind (same pid and same start time: never a stranger that reused the pid), bring the
 * specs and topics back, continue epochs and offsets, and start again every agent that should
 * be running, like PM2's resurrect but automatic.
 */
final class Recovery {
    private static final System.Logger LOG = System.getLogger("io.sabot.host");
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Recovery() {}

    /** Kills what a crashed engine left running (normally nothing: the watchdog already did). Returns how many. */
    static int stopLeftovers(RecoveredState rec) {
        int n = 0;
        for (InstanceRecord i : rec.instances()) {
            if (i.pid() == null || i.processStart() == null) continue;
            Optional<Instant> started = ProcessHandle.of(i.pid()).flatMap(h -> h.info().startInstant());
            if (started.isEmpty() || started.get().toEpochMilli() != i.processStart().toEpochMilli()) continue;
            // the agent led its own process group (setsid): the whole tree goes
            Signals.group(i.pid(), Signals.Sig.KILL);
            Signals.process(i.pid(), Signals.Sig.KILL);
            n++;
        }
        return n;
    }

    /** Restores specs, epochs and offsets; returns the agents to start again. */
    static List<String> restore(LocalEngine engine, PartitionService partitions, RecoveredState rec) {
        List<AgentSpec> agents = new ArrayList<>();
        List<TopicSpec> topics = new ArrayList<>();
        List<io.sabot.spec.ClusterSpec> clusters = new ArrayList<>();
        List<io.sabot.spec.ConsumerGroupSpec> consumerGroups = new ArrayList<>();
        List<GroupSpec> groups = new ArrayList<>();
        List<io.sabot.spec.AlertSpec> alerts = new ArrayList<>();
        for (SpecRecord s : rec.specs()) {
            try {
                if (s.name().startsWith(StoreBridge.ALERT_PREFIX)) alerts.add(JSON.readValue(s.json(), io.sabot.spec.AlertSpec.class));
                else if (s.name().startsWith(StoreBridge.TOPIC_PREFIX)) topics.add(JSON.readValue(s.json(), TopicSpec.class));
                else if (s.name().startsWith(StoreBridge.CLUSTER_PREFIX)) clusters.add(JSON.readValue(s.json(), io.sabot.spec.ClusterSpec.class));
                else if (s.name().startsWith(StoreBridge.CONSUMER_GROUP_PREFIX)) consumerGroups.add(JSON.readValue(s.json(), io.sabot.spec.ConsumerGroupSpec.class));
                else if (s.name().startsWith(StoreBridge.GROUP_PREFIX)) groups.add(JSON.readValue(s.json(), GroupSpec.class));
                else agents.add(JSON.readValue(s.json(), AgentSpec.class));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "recovery: stored spec " + s.name() + " is unreadable, skipped: "
                        + io.sabot.errors.UserMessages.describe(e));
            }
        }
        java.util.Set<String> inUse = new java.util.HashSet<>();
        for (AgentSpec a : agents) inUse.add(a.group());
        groups.removeIf(g -> !inUse.contains(g.name())); // settings of a group whose agents were all removed
        for (AssignmentRecord a : rec.assignments().values()) partitions.restoreEpoch(a.group(), a.topic(), a.epoch());
        if (!agents.isEmpty() || !topics.isEmpty() || !alerts.isEmpty()) {
            try {
                engine.deploy(new FleetSpec(agents, topics, groups, alerts, clusters, consumerGroups));
            } catch (SpecException e) {
                LOG.log(System.Logger.Level.WARNING, "recovery: stored specs no longer deploy: " + e.getMessage());
                return List.of();
            }
        }
        for (OffsetRecord o : rec.offsets()) partitions.restoreOffset(o.group(), o.topic(), o.partition(), o.offset());
        List<String> start = new ArrayList<>();
        for (DesiredStateRecord d : rec.desired().values()) {
            if (d.running() && agents.stream().anyMatch(a -> a.name().equals(d.agent()))) start.add(d.agent());
        }
        return start;
    }

    /** Starts the agents that should run, in the background so the engine answers at once. */
    static void resurrect(LocalEngine engine, List<String> agents) {
        if (agents.isEmpty()) return;
        Threads.start("sabot-resurrect", () -> {
            try {
                engine.start(Selection.of(agents), null, null);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "recovery: could not restart " + agents + ": " + io.sabot.errors.UserMessages.describe(e));
            }
        });
    }
}
