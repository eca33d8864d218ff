package io.sabot.partition;

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
import io.sabot.spec.ClusterSpec;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.TopicSpec;
import io.sabot.spec.TopicStrategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The consumer groups attached to an engine. Every agent that consumes topics is (with any agent
 * naming the same {@code consumerGroup}) one consumer group; each (group, topic) is a lane of its
 * own with every partition of the topic, its own epochs, offsets and lag. Instances of the group
 * become members of its lanes when RUNNING and stop being members when they stop, crash or turn
 * unhealthy; assign/revoke go to agents over the protocol, their acks and commits come back the
 * same way. Engine events are handled in order on one thread of this service's own, so the
 * engine never waits on a rebalance.
 *
 * <p>Kafka topics are lanes too, added once {@link ExternalTopics} has read the partition count and
 * the group's committed offsets from the broker; accepted commits go back to it (to Kafka).
 */
public final class PartitionService implements Answers.Partitions, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.sabot.partition");
    private final Ports.Instances instances;
    private final Ports.Figures figures;
    private final Ports.Events events;
    private final ConsumerGroups groups;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(Threads.named("sabot-partitions"));
    private final Map<String, Set<Integer>> lastMoved = new ConcurrentHashMap<>();
    /** RUNNING instances -> their consumer group. */
    private final Map<String, String> memberOf = new ConcurrentHashMap<>();
    private final List<Subscription> subs = new ArrayList<>();
    /** Handoffs as spans of the operations that caused them (null: not traced). */
    private volatile HandoffSpans spans;
    /** Latest stored epoch per lane, so a restarted engine continues the numbering. */
    private final Map<String, Long> lastEpochs = new ConcurrentHashMap<>();
    /** Offsets read from the store for lanes not created yet. */
    private final Map<String, Map<Integer, Long>> storedOffsets = new ConcurrentHashMap<>();
    /** Topics by name, as last deployed (worker thread). */
    private volatile Map<String, TopicSpec> topics = Map.of();
    private volatile Map<String, ClusterSpec> clusters = Map.of();
    /** The deployed spec (which consumer groups Kafka coordinates). */
    private volatile FleetSpec deployed = new FleetSpec(List.of(), List.of());
    /** Lanes (group, topic) the deployed spec wants. */
    private volatile Set<String> wantedLanes = Set.of();
    private volatile ExternalTopics external;
    private final java.util.function.Function<ConsumerGroups, ExternalTopics> externalFactory;

    /**
     * @param events    transitions, specs and metrics in; assignments and offsets out
     * @param instances agents' messages in; assign/revoke out; kills for revokes not acknowledged
     * @param figures   where each instance's partitions are shown
     * @param spec      the fleet deployed now (its topics become the managers')
     */
    public PartitionService(Ports.Events events, Ports.Instances instances, Ports.Figures figures, FleetSpec spec) {
        this(events, instances, figures, spec, PartitionManager.Options.DEFAULTS);
    }

    public PartitionService(Ports.Events events, Ports.Instances instances, Ports.Figures figures, FleetSpec spec,
                            PartitionManager.Options options) {
        this(events, instances, figures, spec, options, null);
    }

    /**
     * @param externalFactory creates the Kafka side the first time a deployed spec has a Kafka
     *                        topic (null: Kafka topics are never served); kept off otherwise so an
     *                        engine without Kafka topics never loads Kafka's classes
     */
    public PartitionService(Ports.Events events, Ports.Instances instances, Ports.Figures figures, FleetSpec spec,
                            PartitionManager.Options options,
                            java.util.function.Function<ConsumerGroups, ExternalTopics> externalFactory) {
        this.events = events;
        this.instances = instances;
        this.figures = figures;
        this.externalFactory = externalFactory;
        this.groups = new ConsumerGroups(new Sink(), options);
        groups.addListener(this::onAssignment);
        subs.add(events.subscribe(e -> {
            if (e instanceof EngineEvent.TransitionEvent || e instanceof EngineEvent.SpecEvent || e instanceof EngineEvent.MetricsEvent) {
                worker.execute(() -> handle(e));
            }
        }));
        subs.add(instances.onAgentMessages((id, msg) -> worker.execute(() -> onMessage(id, msg))));
        syncTopics(spec);
    }

    public ConsumerGroups groups() { return groups; }

    /** Traces each handoff (revoke, ack, assign) inside the operation that caused it. */
    public void traceHandoffs(HandoffSpans s) { this.spans = s; }

    /** The manager of one consumer group, if it has lanes. */
    public Optional<PartitionManager> group(String name) { return groups.find(name); }

    /** The Kafka side, once a spec had a Kafka topic (null before). */
    public ExternalTopics external() { return external; }

    static String lane(String group, String topic) { return group + '\u0000' + topic; }

    /** The latest epoch stored for a lane by an earlier engine (call before its topic is deployed). */
    public void restoreEpoch(String group, String topic, long epoch) { lastEpochs.put(lane(group, topic), epoch); }

    /** A committed offset read back from the store when an engine starts (embedded topics; Kafka keeps its own). */
    public void restoreOffset(String group, String topic, int partition, long offset) {
        worker.execute(() -> {
            Optional<PartitionManager> m = groups.find(group);
            TopicSpec t = topics.get(topic);
            if (t != null && t.isKafka()) return; // Kafka's committed offsets are the truth for Kafka topics
            if (m.isPresent() && m.get().topic(topic).isPresent()) {
                if (partition < m.get().topic(topic).get().partitions()) m.get().commit(topic, partition, offset);
            } else {
                storedOffsets.computeIfAbsent(lane(group, topic), k -> new ConcurrentHashMap<>()).merge(partition, offset, Math::max);
            }
        });
    }

    /** Runs {@code r} after every event queued so far was handled (tests, recovery). */
    public void sync() {
        try {
            worker.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("partition service did not catch up: " + e, e);
        }
    }

    private void handle(EngineEvent e) {
        try {
            if (e instanceof EngineEvent.TransitionEvent t) onTransition(t.transition());
            else if (e instanceof EngineEvent.SpecEvent s) syncTopics(s.spec());
            else if (e instanceof EngineEvent.MetricsEvent m) onMetrics(m.metrics());
        } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "partition service: " + io.sabot.errors.UserMessages.describe(ex));
        }
    }

    // ---- lanes ---------------------------------------------------------------------------------

    /** The strategy of a lane: the agent's override, else the topic's. */
    private static TopicStrategy strategyOf(AgentSpec a, TopicSpec t) {
        return TopicStrategy.parse(a.partitionStrategy() != null ? a.partitionStrategy() : t.strategy());
    }

    private void syncTopics(FleetSpec spec) {
        Map<String, TopicSpec> byName = new LinkedHashMap<>();
        for (TopicSpec t : spec.topics()) byName.put(t.name(), t);
        Map<String, ClusterSpec> cs = new LinkedHashMap<>();
        for (ClusterSpec c : spec.clusters()) cs.put(c.name(), c);
        topics = byName;
        clusters = cs;
        deployed = spec;
        // wanted lanes: group -> topic -> strategy (first agent of the group that names an override wins)
        TreeMap<String, TreeMap<String, TopicStrategy>> wanted = new TreeMap<>();
        for (AgentSpec a : spec.agents()) {
            // a group Kafka coordinates has no lane here: its members subscribe() (sendSubscribe)
            if (io.sabot.spec.ConsumerGroupSpec.kafkaCoordinated(spec, a.consumerGroup())) continue;
            for (String topic : a.topics()) {
                TopicSpec t = byName.get(topic);
                if (t == null) continue;
                TreeMap<String, TopicStrategy> lanes = wanted.computeIfAbsent(a.consumerGroup(), g -> new TreeMap<>());
                TopicStrategy st = strategyOf(a, t);
                if (!lanes.containsKey(topic) || a.partitionStrategy() != null) lanes.put(topic, st);
            }
        }
        syncStandbys(spec, wanted.keySet());
        Set<String> lanes = new HashSet<>();
        wanted.forEach((g, ts) -> ts.keySet().forEach(t -> lanes.add(lane(g, t))));
        wantedLanes = lanes;
        boolean anyKafka = spec.topics().stream().anyMatch(TopicSpec::isKafka) || !spec.consumerGroups().isEmpty();
        if (anyKafka && external == null && externalFactory != null) {
            external = externalFactory.apply(groups);
        }
        ExternalTopics ext = external;
        if (ext != null) ext.deployed(spec);
        for (Map.Entry<String, TreeMap<String, TopicStrategy>> g : wanted.entrySet()) {
            for (Map.Entry<String, TopicStrategy> l : g.getValue().entrySet()) {
                TopicSpec t = byName.get(l.getKey());
                if (t.isKafka()) syncKafkaLane(g.getKey(), t, l.getValue());
                else syncEmbeddedLane(g.getKey(), t, l.getValue());
            }
        }
        // lanes nobody wants any more, or whose topic changed kind
        for (String g : groups.names()) {
            PartitionManager m = groups.find(g).orElse(null);
            if (m == null) continue;
            for (TopicConfig t : m.topics()) {
                TopicSpec now = byName.get(t.name());
                boolean want = wanted.containsKey(g) && wanted.get(g).containsKey(t.name());
                boolean wasKafka = m.originEpochMs(t.name()) == KAFKA_ORIGIN;
                if (!want || now == null || now.isKafka() != wasKafka) {
                    m.removeTopic(t.name());
                    if (wasKafka && ext != null) ext.forget(g, t.name());
                }
            }
            if (m.topics().isEmpty() && !wanted.containsKey(g)) groups.remove(g);
        }
    }

    /** Each engine-driven group keeps the standby replicas its agents' {@code state.standbys} ask for (the most any asks). */
    private void syncStandbys(FleetSpec spec, Set<String> engineGroups) {
        Map<String, Integer> want = new HashMap<>();
        for (AgentSpec a : spec.agents()) {
            if (a.state() != null) want.merge(a.consumerGroup(), a.state().standbys(), Math::max);
        }
        for (String g : engineGroups) groups.group(g).setStandbys(want.getOrDefault(g, 0));
    }

    /** Lanes whose members were sent standby lists (worker and delivery threads). */
    private final Set<String> standbyLanes = ConcurrentHashMap.newKeySet();

    /** Tells every member of the lane which partitions it keeps a warm copy of (the whole list; docs/state.md). */
    private void sendStandbys(PartitionAssignment next) {
        PartitionManager m = next.group() == null ? null : groups.find(next.group()).orElse(null);
        String lane = lane(next.group(), next.topic());
        // a lane whose standbys were turned off gets empty lists once, so its agents drop their copies
        if (m == null || m.standbys() == 0) {
            if (!standbyLanes.remove(lane)) return;
        } else {
            TopicSpec ts = topics.get(next.topic());
            if (ts != null && ts.isKafka()) return; // Kafka input: standbys are not followed yet (docs/state.md)
            standbyLanes.add(lane);
        }
        Map<Integer, String> sb = m == null ? Map.of() : m.standbysOf(next.topic());
        for (String id : next.members()) {
            List<Integer> mine = new ArrayList<>();
            sb.forEach((p, holder) -> { if (holder.equals(id)) mine.add(p); });
            instances.send(id, ProtocolCodec.encode(new ProtocolMessages.Standby(next.epoch(), next.topic(), mine)));
        }
    }

    /** Marks a Kafka lane's manager topic (its stream has no origin). */
    static final long KAFKA_ORIGIN = Long.MIN_VALUE;

    private void syncEmbeddedLane(String group, TopicSpec t, TopicStrategy st) {
        PartitionManager m = groups.group(group);
        Optional<TopicConfig> have = m.topic(t.name());
        if (have.isEmpty()) {
            m.addTopic(new TopicConfig(t.name(), t.partitions(), st, t.ratePerSec()), t.originEpochMs(),
                    lastEpochs.getOrDefault(lane(group, t.name()), 0L));
            Map<Integer, Long> stored = storedOffsets.remove(lane(group, t.name()));
            if (stored != null) stored.forEach((p, o) -> { if (p < t.partitions()) m.commit(t.name(), p, o); });
            addRunningMembers(group, t.name(), m);
        } else {
            if (have.get().strategy() != st) m.setStrategy(t.name(), st);
            for (int p = have.get().partitions(); p < t.partitions(); p++) m.addPartition(t.name(), null);
        }
    }

    private void syncKafkaLane(String group, TopicSpec t, TopicStrategy st) {
        ExternalTopics ext = external;
        if (ext == null) return;
        PartitionManager m = groups.group(group);
        Optional<TopicConfig> have = m.topic(t.name());
        if (have.isPresent()) {
            if (have.get().strategy() != st) m.setStrategy(t.name(), st);
            return;
        }
        // the lane exists once the broker told its partitions and the group's committed offsets
        ext.prepare(group, t, clusters.get(t.cluster()), (partitions, offsets) -> worker.execute(() -> {
            TopicSpec now = topics.get(t.name());
            if (now == null || !now.isKafka() || !wantedLanes.contains(lane(group, t.name()))) return; // undeployed meanwhile
            PartitionManager gm = groups.group(group);
            Optional<TopicConfig> cur = gm.topic(t.name());
            if (cur.isPresent()) {
                for (int p = cur.get().partitions(); p < partitions; p++) gm.addPartition(t.name(), null);
                return;
            }
            gm.addTopic(new TopicConfig(t.name(), partitions, st, 0.0), KAFKA_ORIGIN, lastEpochs.getOrDefault(lane(group, t.name()), 0L));
            gm.updateLogEnd(t.name(), null, null, true);
            for (int p = 0; p < partitions && p < offsets.length; p++) if (offsets[p] > 0) gm.commit(t.name(), p, offsets[p]);
            addRunningMembers(group, t.name(), gm);
        }));
    }

    /** Instances already RUNNING when their lane appears (a Kafka lane is ready after they started). */
    private void addRunningMembers(String group, String topic, PartitionManager m) {
        for (Map.Entry<String, String> e : memberOf.entrySet()) {
            if (!e.getValue().equals(group)) continue;
            AgentSpec s = instances.specOf(e.getKey());
            if (s != null && s.topics().contains(topic)) m.memberUp(topic, e.getKey());
        }
    }

    // ---- membership ----------------------------------------------------------------------------

    private void onTransition(Transition t) {
        AgentSpec s = instances.specOf(t.instance());
        HandoffSpans hs = spans;
        // handoff spans are keyed by topic: the next epoch of each of the agent's topics is this transition's doing
        if (hs != null && s != null) for (String topic : s.topics()) hs.cause(topic, t.traceId(), t.instance());
        if (t.to() == InstanceState.RUNNING) {
            if (s == null) return;
            // outputs first: the agent learns where to produce before it gets anything to consume
            ExternalTopics ext = external;
            if (ext != null && !s.outputs().isEmpty()) ext.sendOutputs(t.instance(), s);
            if (s.topics().isEmpty()) return;
            if (io.sabot.spec.ConsumerGroupSpec.kafkaCoordinated(deployed, s.consumerGroup())) {
                if (ext != null) {
                    String strategy = s.partitionStrategy();
                    if (strategy == null && topics.get(s.topic()) != null) strategy = topics.get(s.topic()).strategy();
                    ext.sendSubscribe(t.instance(), s, strategy);
                }
                return;
            }
            memberOf.put(t.instance(), s.consumerGroup());
            Optional<PartitionManager> m = groups.find(s.consumerGroup());
            if (m.isEmpty()) return;
            for (String topic : s.topics()) if (m.get().topic(topic).isPresent()) m.get().memberUp(topic, t.instance());
            return;
        }
        String group = memberOf.remove(t.instance());
        if (group != null) {
            Optional<PartitionManager> m = groups.find(group);
            if (m.isPresent()) for (TopicConfig tc : m.get().topics()) m.get().memberDown(tc.name(), t.instance());
        }
        // the process is gone: its partitions may go to others without waiting for a revoke
        if (t.to() == InstanceState.BACKOFF || t.to() == InstanceState.FAILED || t.to() == InstanceState.STOPPED) {
            groups.onInstanceDead(t.instance());
            if (hs != null) hs.dead(t.instance(), t.to() == InstanceState.STOPPED);
            figures.updatePartitions(t.instance(), List.of());
        }
    }

    private void onMetrics(MetricsSnapshot m) {
        for (Map.Entry<String, MetricsSnapshot.InstanceMetrics> e : m.instances().entrySet()) {
            String group = memberOf.get(e.getKey());
            if (group == null) continue;
            MetricsSnapshot.InstanceMetrics im = e.getValue();
            groups.find(group).ifPresent(pm -> pm.updateLoad(e.getKey(), new InstanceLoad(im.cpuPercent(), im.rssBytes(), im.messagesPerSec())));
        }
    }

    // ---- agent messages ------------------------------------------------------------------------

    private void onMessage(String id, ProtocolMessages.ToEngine msg) {
        try {
            handleMessage(id, msg);
        } catch (RuntimeException e) {
            // an agent's message must never take the partition service's thread down
            instances.note(id, "protocol message ignored: " + e.getMessage());
        }
    }

    private void handleMessage(String id, ProtocolMessages.ToEngine msg) {
        if (msg instanceof ProtocolMessages.Restore r) {
            HandoffSpans hs = spans;
            if (hs != null) hs.restore(id, r.topic(), r.partition(), r.store(), r.restored(), r.total(), r.done(), r.source(), r.durationMs());
            return;
        }
        if (!(msg instanceof ProtocolMessages.Commit) && !(msg instanceof ProtocolMessages.Ack)) return; // state reports: io.sabot.state
        String type = msg.type();
        AgentSpec s = instances.specOf(id);
        String group = memberOf.getOrDefault(id, s == null ? null : s.consumerGroup());
        String topic = msg instanceof ProtocolMessages.Commit c ? c.topic() : s == null ? null : s.topic();
        if (topic == null || group == null || msg instanceof ProtocolMessages.Drained) return;
        PartitionManager manager = groups.find(group).orElse(null);
        if (manager == null || manager.topic(topic).isEmpty()) {
            instances.note(id, type + " for unknown topic \"" + topic + "\" ignored (not one of consumer group \"" + group + "\"'s topics)");
            return;
        }
        if (msg instanceof ProtocolMessages.Ack a && a.op().equals(ProtocolMessages.OP_REVOKE)) {
            HandoffSpans hs = spans;
            if (hs != null) hs.acked("revoke", id, topic, a.epoch());
            manager.onRevokeAck(id, topic, a.epoch());
        } else if (msg instanceof ProtocolMessages.Ack a && a.op().equals(ProtocolMessages.OP_ASSIGN)) {
            HandoffSpans hs = spans;
            if (hs != null) hs.acked("assign", id, topic, a.epoch());
        } else if (msg instanceof ProtocolMessages.Commit c) {
            int p = c.partition();
            long offset = c.offset();
            TopicConfig tc = manager.topic(topic).get();
            int partitions = tc.partitions();
            if (p < 0 || p >= partitions || offset < 0) {
                instances.note(id, "commit ignored: " + topic + ":" + p + " offset " + offset + " is out of range (partitions 0.." + (partitions - 1) + ")");
                return;
            }
            boolean kafka = manager.originEpochMs(topic) == KAFKA_ORIGIN;
            // nothing past what the stream has produced can have been processed: such a commit would skip records
            // (a second's worth of slack covers an agent whose clock reading was a moment ahead of ours). A Kafka
            // partition's end is read at most once a second, so an agent is often ahead of it: no check there.
            long end = manager.highWatermark(topic, p);
            if (!kafka && offset > end + (long) Math.ceil(tc.ratePerSec()) + 1) {
                instances.note(id, "commit ignored: " + topic + ":" + p + " offset " + offset + " is beyond the end of the stream (" + end + ")");
                return;
            }
            if (manager.commit(id, topic, p, offset)) {
                long ts = c.timestampMs();
                ExternalTopics ext = external;
                if (kafka && ext != null) ext.committed(group, topic, p, offset, ts);
                events.publish(new EngineEvent.OffsetEvent(new OffsetCommit(topic, p, offset, id, System.currentTimeMillis(), group)));
            } else if (kafka) {
                ExternalTopics ext = external;
                if (ext != null) ext.fenced(group, topic, p, offset, id);
            }
        }
    }

    private void onAssignment(PartitionAssignment next, PartitionAssignment prev) {
        HandoffSpans hs = spans;
        if (hs != null) hs.epoch(next.topic(), next.epoch(), next.reason(), next.moved().size());
        lastMoved.put(lane(next.group(), next.topic()), new HashSet<>(next.moved()));
        Set<String> touched = new HashSet<>(next.members());
        if (prev != null) touched.addAll(prev.members());
        for (String id : touched) figures.updatePartitions(id, groups.partitionsOf(id));
        events.publish(new EngineEvent.AssignmentEvent(view(next)));
        sendStandbys(next);
    }

    static AssignmentView view(PartitionAssignment a) {
        Map<Integer, String> owners = new HashMap<>(a.ownerMap());
        return new AssignmentView(a.topic(), a.epoch(), a.strategy().jsonName(), a.reason(), owners, a.moved(), a.unassigned(),
                a.createdAtEpochMs(), a.group());
    }

    @Override
    public List<PartitionView> partitions(String topic) {
        List<PartitionStatus> rows = groups.status(topic);
        List<PartitionView> out = new ArrayList<>(rows.size());
        Map<String, TopicSpec> ts = topics;
        ExternalTopics ext = external;
        for (PartitionStatus r : rows) {
            Set<Integer> moved = lastMoved.getOrDefault(lane(r.group(), r.topic()), Set.of());
            TopicSpec t = ts.get(r.topic());
            String cluster = t == null ? null : t.cluster();
            Double lagSeconds = ext != null && cluster != null ? ext.lagSeconds(r.group(), r.topic(), r.partition(), r.lag())
                    : r.ratePerSec() > 0 ? r.lag() / r.ratePerSec() : null;
            out.add(new PartitionView(r.topic(), r.partition(), r.owner(), r.epoch(), r.committedOffset(), r.lag(), r.ratePerSec(),
                    moved.contains(r.partition()), r.group(), cluster, r.logEndOffset(), r.reachable(), lagSeconds,
                    r.owner() == null ? null : io.sabot.kafka.GroupMembership.localHost(), PartitionView.SABOT));
        }
        if (ext != null) out.addAll(ext.coordinatedPartitions(topic));
        return out;
    }

    @Override
    public List<AssignmentView> rebalance(String topic, String strategy, String reason) {
        Optional<TopicStrategy> override = strategy == null ? Optional.empty() : Optional.of(TopicStrategy.parse(strategy));
        List<AssignmentView> out = new ArrayList<>();
        for (PartitionManager m : groups.all()) {
            if (topic == null) {
                for (PartitionAssignment a : m.rebalanceAll(override, reason)) out.add(view(a));
            } else if (m.topic(topic).isPresent()) {
                out.add(view(m.rebalance(topic, override, reason)));
            }
        }
        return out;
    }

    /** The lane of (group, topic) told which partitions exist and the group's committed offsets. */
    @FunctionalInterface
    public interface LaneReady {
        void ready(int partitions, long[] committedOffsets);
    }

    /** Delivers the managers' decisions to agents over their stdin, encoded by the protocol's codec. */
    private final class Sink implements AssignmentSink {
        @Override
        public void revoke(String instance, String topic, long epoch, List<Integer> partitions) {
            HandoffSpans hs = spans;
            if (hs != null) hs.revoke(instance, topic, epoch, partitions);
            instances.send(instance, ProtocolCodec.encode(new ProtocolMessages.Revoke(epoch, topic, partitions)));
        }

        @Override
        public void assign(String instance, String topic, long epoch, List<PartitionStart> partitions) {
            AgentSpec spec = instances.specOf(instance);
            String group = memberOf.getOrDefault(instance, spec == null ? null : spec.consumerGroup());
            PartitionManager pm = group == null ? null : groups.find(group).orElse(null);
            TopicConfig t = pm == null ? null : pm.topic(topic).orElse(null);
            long origin = pm == null || t == null ? 0 : pm.originEpochMs(topic);
            TopicSpec ts = topics.get(topic);
            ExternalTopics ext = external;
            ProtocolMessages.KafkaCluster kafka = ts != null && ts.isKafka() && ext != null ? ext.describeSource(ts) : null;
            List<ProtocolMessages.PartitionOffset> ps = new ArrayList<>(partitions.size());
            for (PartitionStart p : partitions) ps.add(new ProtocolMessages.PartitionOffset(p.partition(), p.offset()));
            HandoffSpans hs = spans;
            if (hs != null) hs.assign(instance, topic, epoch, partitions.stream().map(PartitionStart::partition).toList());
            instances.send(instance, ProtocolCodec.encode(new ProtocolMessages.Assign(epoch, topic, t == null ? 0 : t.ratePerSec(),
                    origin == KAFKA_ORIGIN ? 0 : origin, ps, kafka, group)));
        }

        @Override
        public void revokeTimedOut(String instance, String topic, long epoch) {
            HandoffSpans hs = spans;
            if (hs != null) hs.timedOut(instance, topic, epoch);
            instances.kill(instance, Cause.HEALTH, "did not acknowledge revoke of " + topic + " epoch " + epoch + " in time");
        }
    }

    /**
     * The Kafka side of the partition service ({@code io.sabot.partition.KafkaTopics}): reads what a lane
     * needs from the broker, writes accepted commits back, measures log ends. Calls come from the
     * service's thread and must not block on the network.
     */
    public interface ExternalTopics extends AutoCloseable {
        /** A spec was deployed (clusters and topics may have changed). */
        void deployed(FleetSpec spec);

        /** Lane (group, topic) is wanted: read partitions and offsets, then call {@code ready} (from any thread). */
        void prepare(String group, TopicSpec topic, ClusterSpec cluster, LaneReady ready);

        /** Lane (group, topic) is gone. */
        void forget(String group, String topic);

        /** An accepted (fenced, monotonic) commit: write it to Kafka under the group id. */
        void committed(String group, String topic, int partition, long offset, long recordTimestampMs);

        /** A refused commit (not the holder, or not ahead): counted and reported, never written. */
        void fenced(String group, String topic, int partition, long offset, String instance);

        /** The connection facts an agent needs to read {@code topic} (put into the assign message). */
        ProtocolMessages.KafkaCluster describeSource(TopicSpec topic);

        /** Sends an instance the producer settings of its outputs. */
        void sendOutputs(String instance, AgentSpec spec);

        /** Sends an instance of a group Kafka coordinates the subscription that makes it join. */
        default void sendSubscribe(String instance, AgentSpec spec, String strategy) { }

        /** Partitions of the groups Kafka coordinates, as last read from the cluster ({@code topic} null: all). */
        default List<PartitionView> coordinatedPartitions(String topic) { return List.of(); }

        /** Lag in seconds where record timestamps allow, else null. */
        Double lagSeconds(String group, String topic, int partition, long lagRecords);

        @Override
        void close();
    }

    @Override
    public void close() {
        HandoffSpans hs = spans;
        if (hs != null) hs.close();
        subs.forEach(Subscription::close);
        worker.shutdownNow();
        try {
            worker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ExternalTopics ext = external;
        if (ext != null) ext.close();
        groups.close();
    }
}
