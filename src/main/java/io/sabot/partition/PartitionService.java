package io.sabot.partition;

import io.sabot.spec.TopicStrategy;
import io.sabot.concurrent.Threads;
import io.sabot.engine.Answers;
import io.sabot.engine.AssignmentView;
import io.sabot.engine.Cause;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.InstanceState;
import io.sabot.engine.MetricsSnapshot;
import io.sabot.engine.OffsetCommit;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Ports;
import io.sabot.engine.Subscription;
import io.sabot.engine.Transition;
import io.sabot.protocol.ProtocolCodec;
import io.sabot.protocol.ProtocolMessages;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.TopicSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The partition manager attached to an engine. Instances of the agents that consume a topic
 * become its members when RUNNING and stop being members when they stop, crash or turn
 * unhealthy; assign/revoke go to agents over the protocol, their acks and commits come back the
 * same way. Engine events are handled in order on one thread of this service's own, so the
 * engine never waits on a rebalance.
 */
public final class PartitionService implements Answers.Partitions, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.sabot.partition");
    private final Ports.Instances instances;
    private final Ports.Figures figures;
    private final Ports.Events events;
    private final PartitionManager manager;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(Threads.named("sabot-partitions"));
    private final Map<String, Set<Integer>> lastMoved = new ConcurrentHashMap<>();
    private final Map<String, String> memberOf = new ConcurrentHashMap<>();
    private final List<Subscription> subs = new ArrayList<>();
    /** Latest stored epoch per topic, so a restarted engine continues the numbering. */
    private final Map<String, Long> lastEpochs = new ConcurrentHashMap<>();

    /**
     * @param events    transitions, specs and metrics in; assignments and offsets out
     * @param instances agents' messages in; assign/revoke out; kills for revokes not acknowledged
     * @param figures   where each instance's partitions are shown
     * @param spec      the fleet deployed now (its topics become the manager's)
     */
    public PartitionService(Ports.Events events, Ports.Instances instances, Ports.Figures figures, FleetSpec spec) {
        this(events, instances, figures, spec, PartitionManager.Options.DEFAULTS);
    }

    public PartitionService(Ports.Events events, Ports.Instances instances, Ports.Figures figures, FleetSpec spec,
                            PartitionManager.Options options) {
        this.events = events;
        this.instances = instances;
        this.figures = figures;
        this.manager = new PartitionManager(new Sink(), options);
        manager.addListener(this::onAssignment);
        subs.add(events.subscribe(e -> {
            if (e instanceof EngineEvent.TransitionEvent || e instanceof EngineEvent.SpecEvent || e instanceof EngineEvent.MetricsEvent) {
                worker.execute(() -> handle(e));
            }
        }));
        subs.add(instances.onAgentMessages((id, msg) -> worker.execute(() -> onMessage(id, msg))));
        syncTopics(spec);
    }

    public PartitionManager manager() { return manager; }

    /** The latest epoch stored for a topic by an earlier engine (call before its topic is deployed). */
    public void restoreEpoch(String topic, long epoch) { lastEpochs.put(topic, epoch); }

    /** A committed offset read back from the store when an engine starts. */
    public void restoreOffset(String topic, int partition, long offset) {
        // on the worker, after the spec event of the deploy that brought the topic back
        worker.execute(() -> {
            if (manager.topic(topic).isPresent()) manager.commit(topic, partition, offset);
        });
    }

    private void handle(EngineEvent e) {
        try {
            if (e instanceof EngineEvent.TransitionEvent t) onTransition(t.transition());
            else if (e instanceof EngineEvent.SpecEvent s) syncTopics(s.spec());
            else if (e instanceof EngineEvent.MetricsEvent m) onMetrics(m.metrics());
        } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "partition service: " + ex);
        }
    }

    private void syncTopics(FleetSpec spec) {
        Set<String> wanted = new HashSet<>();
        for (TopicSpec t : spec.topics()) {
            wanted.add(t.name());
            TopicStrategy st = TopicStrategy.parse(t.strategy());
            Optional<TopicConfig> have = manager.topic(t.name());
            if (have.isEmpty()) {
                manager.addTopic(new TopicConfig(t.name(), t.partitions(), st, t.ratePerSec()), t.originEpochMs(),
                        lastEpochs.getOrDefault(t.name(), 0L));
            } else {
                if (have.get().strategy() != st) manager.setStrategy(t.name(), st);
                for (int p = have.get().partitions(); p < t.partitions(); p++) manager.addPartition(t.name(), null);
            }
        }
        for (TopicConfig t : manager.topics()) if (!wanted.contains(t.name())) manager.removeTopic(t.name());
    }

    private void onTransition(Transition t) {
        AgentSpec s = instances.specOf(t.instance());
        String topic = s == null ? memberOf.get(t.instance()) : s.topic();
        if (topic == null || manager.topic(topic).isEmpty()) return;
        if (t.to() == InstanceState.RUNNING) {
            memberOf.put(t.instance(), topic);
            manager.memberUp(topic, t.instance());
            return;
        }
        if (memberOf.remove(t.instance()) != null) manager.memberDown(topic, t.instance());
        // the process is gone: its partitions may go to others without waiting for a revoke
        if (t.to() == InstanceState.BACKOFF || t.to() == InstanceState.FAILED || t.to() == InstanceState.STOPPED) {
            manager.onInstanceDead(t.instance());
            figures.updatePartitions(t.instance(), List.of());
        }
    }

    private void onMetrics(MetricsSnapshot m) {
        for (Map.Entry<String, MetricsSnapshot.InstanceMetrics> e : m.instances().entrySet()) {
            if (!memberOf.containsKey(e.getKey())) continue;
            MetricsSnapshot.InstanceMetrics im = e.getValue();
            manager.updateLoad(e.getKey(), new InstanceLoad(im.cpuPercent(), im.rssBytes(), im.messagesPerSec()));
        }
    }

    private void onMessage(String id, ProtocolMessages.ToEngine msg) {
        try {
            handleMessage(id, msg);
        } catch (RuntimeException e) {
            // an agent's message must never take the partition service's thread down
            instances.note(id, "protocol message ignored: " + e.getMessage());
        }
    }

    private void handleMessage(String id, ProtocolMessages.ToEngine msg) {
        AgentSpec s = instances.specOf(id);
        String topic = msg instanceof ProtocolMessages.Commit c ? c.topic() : s == null ? null : s.topic();
        if (topic == null || msg instanceof ProtocolMessages.Drained) return;
        if (manager.topic(topic).isEmpty()) {
            instances.note(id, msg.type() + " for unknown topic \"" + topic + "\" ignored");
            return;
        }
        if (msg instanceof ProtocolMessages.Ack a && a.op().equals(ProtocolMessages.OP_REVOKE)) {
            manager.onRevokeAck(id, topic, a.epoch());
        } else if (msg instanceof ProtocolMessages.Commit c) {
            int p = c.partition();
            long offset = c.offset();
            int partitions = manager.topic(topic).get().partitions();
            if (p < 0 || p >= partitions || offset < 0) {
                instances.note(id, "commit ignored: " + topic + ":" + p + " offset " + offset + " is out of range (partitions 0.." + (partitions - 1) + ")");
                return;
            }
            // nothing past what the stream has produced can have been processed: such a commit would skip records
            // (a second's worth of slack covers an agent whose clock reading was a moment ahead of ours)
            long end = manager.highWatermark(topic, p);
            if (offset > end + (long) Math.ceil(manager.topic(topic).get().ratePerSec()) + 1) {
                instances.note(id, "commit ignored: " + topic + ":" + p + " offset " + offset + " is beyond the end of the stream (" + end + ")");
                return;
            }
            if (manager.commit(id, topic, p, offset)) {
                events.publish(new EngineEvent.OffsetEvent(new OffsetCommit(topic, p, offset, id, System.currentTimeMillis())));
            }
        }
    }

    private void onAssignment(PartitionAssignment next, PartitionAssignment prev) {
        lastMoved.put(next.topic(), new HashSet<>(next.moved()));
        Set<String> touched = new HashSet<>(next.members());
        if (prev != null) touched.addAll(prev.members());
        for (String id : touched) figures.updatePartitions(id, manager.partitionsOf(id));
        events.publish(new EngineEvent.AssignmentEvent(view(next)));
    }

    static AssignmentView view(PartitionAssignment a) {
        Map<Integer, String> owners = new HashMap<>(a.ownerMap());
        return new AssignmentView(a.topic(), a.epoch(), a.strategy().jsonName(), a.reason(), owners, a.moved(), a.unassigned(),
                a.createdAtEpochMs());
    }

    @Override
    public List<PartitionView> partitions(String topic) {
        List<PartitionStatus> rows = topic == null ? manager.status() : manager.status(topic);
        List<PartitionView> out = new ArrayList<>(rows.size());
        for (PartitionStatus r : rows) {
            Set<Integer> moved = lastMoved.getOrDefault(r.topic(), Set.of());
            out.add(new PartitionView(r.topic(), r.partition(), r.owner(), r.epoch(), r.committedOffset(), r.lag(), r.ratePerSec(),
                    moved.contains(r.partition())));
        }
        return out;
    }

    @Override
    public List<AssignmentView> rebalance(String topic, String strategy, String reason) {
        Optional<TopicStrategy> override = strategy == null ? Optional.empty() : Optional.of(TopicStrategy.parse(strategy));
        List<AssignmentView> out = new ArrayList<>();
        if (topic == null) {
            for (PartitionAssignment a : manager.rebalanceAll(override, reason)) out.add(view(a));
        } else {
            out.add(view(manager.rebalance(topic, override, reason)));
        }
        return out;
    }

    /** Delivers the manager's decisions to agents over their stdin, encoded by the protocol's codec. */
    private final class Sink implements AssignmentSink {
        @Override
        public void revoke(String instance, String topic, long epoch, List<Integer> partitions) {
            instances.send(instance, ProtocolCodec.encode(new ProtocolMessages.Revoke(epoch, topic, partitions)));
        }

        @Override
        public void assign(String instance, String topic, long epoch, List<PartitionStart> partitions) {
            TopicConfig t = manager.topic(topic).orElse(null);
            List<ProtocolMessages.PartitionOffset> ps = new ArrayList<>(partitions.size());
            for (PartitionStart p : partitions) ps.add(new ProtocolMessages.PartitionOffset(p.partition(), p.offset()));
            instances.send(instance, ProtocolCodec.encode(new ProtocolMessages.Assign(epoch, topic, t == null ? 0 : t.ratePerSec(),
                    manager.originEpochMs(topic), ps)));
        }

        @Override
        public void revokeTimedOut(String instance, String topic, long epoch) {
            instances.kill(instance, Cause.HEALTH, "did not acknowledge revoke of " + topic + " epoch " + epoch + " in time");
        }
    }

    @Override
    public void close() {
        subs.forEach(Subscription::close);
        worker.shutdownNow();
        try {
            worker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        manager.close();
    }
}
