package io.sabot.partition;

import io.sabot.engine.BrokerStatus;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.Ports;
import io.sabot.kafka.KafkaProperties;
import io.sabot.protocol.ProtocolCodec;
import io.sabot.protocol.ProtocolMessages;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.ClusterSpec;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.TopicSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The engine's side of Kafka topics: "Sabot assigns, Kafka stores". Guarantees
 * (KafkaPipelineTest, KafkaOffsetsTest):
 * <ul>
 *   <li>a (group, topic) lane starts at the group's offsets committed in Kafka, or at the topic's
 *       {@code start} (earliest/latest log offset) where the group has none;</li>
 *   <li>offsets the partition manager accepted (from the partition's holder, moving forward) are
 *       written to Kafka under the group id with {@code AdminClient.alterConsumerGroupOffsets}
 *       (the group has no members: agents read with {@code assign()}), batched (at most every
 *       {@value #FLUSH_MS} ms per cluster), never lower than what this engine wrote; a refused
 *       (fenced) commit never reaches Kafka;</li>
 *   <li>log-end offsets are read with one {@code listOffsets} per cluster at most once a second;
 *       lag = log end - committed;</li>
 *   <li>every call to a cluster runs on that cluster's own thread with short timeouts: the engine,
 *       its crash handling and its protocol threads never wait on a broker; an unreachable cluster
 *       is an event ({@link EngineEvent.BrokerEvent}, what {@code broker_unreachable} alerts on, and a
 *       notice naming its topics) and "unreachable" on its partitions.</li>
 * </ul>
 * Kafka's classes load only when a deployed spec has a Kafka topic (this class is created then).
 */
public final class KafkaTopics implements PartitionService.ExternalTopics {
    static final long FLUSH_MS = 200;
    static final long POLL_MS = 1_000;
    /** How often a group Kafka coordinates is read (members, assignment, lag). */
    static final long GROUP_READ_MS = 500;
    private static final long RETRY_MS = 2_000;
    private static final long CALL_TIMEOUT_MS = 5_000;

    private final Ports.Events events;
    private final Ports.Instances instances;
    private final ConsumerGroups groups;
    private final Map<String, Cluster> clusters = new ConcurrentHashMap<>();
    private volatile Map<String, TopicSpec> topics = Map.of();
    /** Timestamp of the last committed record per lane partition, for lag in seconds. */
    private final Map<String, Long> lastTimestamp = new ConcurrentHashMap<>();
    private final Map<String, Long> fenced = new ConcurrentHashMap<>();
    /** Flush turns finished, over all clusters (tests wait for a turn instead of sleeping). */
    private final java.util.concurrent.atomic.AtomicLong flushTurns = new java.util.concurrent.atomic.AtomicLong();

    public KafkaTopics(Ports.Events events, Ports.Instances instances, ConsumerGroups groups) {
        this.events = events;
        this.instances = instances;
        this.groups = groups;
    }

    /** A lane and where its partitions are. */
    private record Lane(String group, String topic) {}

    /** One cluster: its admin client, its thread, its lanes, its pending offsets. */
    private final class Cluster {
        final ClusterSpec spec;
        final ScheduledExecutorService thread;
        Admin admin; // cluster thread only
        volatile boolean reachable = true;
        volatile String reason;
        final Map<String, Lane> lanes = new ConcurrentHashMap<>();
        /** group -> partition -> offset accepted and not yet written. */
        final Map<String, Map<TopicPartition, Long>> pending = new ConcurrentHashMap<>();
        /** group + partition -> highest offset written to Kafka. */
        final Map<String, Long> written = new HashMap<>();
        final Map<TopicPartition, Long> lastEnd = new HashMap<>();
        long lastPollMs;
        /** Groups Kafka coordinates on this cluster: group -> its topics; their last reading. */
        final Map<String, Map<String, TopicSpec>> coordinated = new ConcurrentHashMap<>();
        final Map<String, GroupSnapshot> snapshots = new ConcurrentHashMap<>();
        /** group, topic, partition -> how fast its log end grows (records/s, smoothed over the readings). */
        final Map<String, Double> coordinatedRates = new ConcurrentHashMap<>();
        final java.util.Set<String> present = new java.util.HashSet<>();

        Cluster(ClusterSpec spec) {
            this.spec = spec;
            this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sabot-kafka-" + spec.name());
                t.setDaemon(true);
                return t;
            });
            thread.scheduleWithFixedDelay(this::poll, 0, POLL_MS, TimeUnit.MILLISECONDS);
            thread.scheduleWithFixedDelay(this::flush, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
            thread.scheduleWithFixedDelay(this::readGroups, 0, GROUP_READ_MS, TimeUnit.MILLISECONDS);
        }

        /** The groups Kafka coordinates: members, assignment, offsets and ends (their topics created when asked). */
        void readGroups() {
            for (Map.Entry<String, Map<String, TopicSpec>> g : coordinated.entrySet()) {
                try {
                    for (TopicSpec t : g.getValue().values()) if (!present.contains(t.name())) {
                        describeOrCreate(t);
                        present.add(t.name());
                    }
                    GroupSnapshot now = new GroupReader(admin(), CALL_TIMEOUT_MS).read(g.getKey(), g.getValue().keySet());
                    rates(snapshots.put(g.getKey(), now), now);
                    reachable(true, null);
                } catch (MissingTopic e) {
                    events.publish(new EngineEvent.NoticeEvent(e.getMessage()));
                } catch (Exception e) {
                    reachable(false, describe(e));
                }
            }
        }

        /** Creates {@code t} if it is missing (off the engine's paths, on this cluster's thread); retried until it exists. */
        void ensure(TopicSpec t) {
            if (present.contains(t.name()) || clusters.get(spec.name()) != this) return;
            try {
                describeOrCreate(t);
                present.add(t.name());
            } catch (Exception e) {
                thread.schedule(() -> ensure(t), RETRY_MS, TimeUnit.MILLISECONDS);
            }
        }

        /** The growth of each partition's log end between two readings, smoothed (a reading every 0.5 s is noisy). */
        void rates(GroupSnapshot before, GroupSnapshot now) {
            if (before == null || now.timeMs() <= before.timeMs()) return;
            Map<String, Long> ends = new HashMap<>();
            for (GroupSnapshot.Partition p : before.partitions()) ends.put(p.topic() + '\u0000' + p.partition(), p.logEnd());
            double secs = (now.timeMs() - before.timeMs()) / 1000.0;
            for (GroupSnapshot.Partition p : now.partitions()) {
                Long e = ends.get(p.topic() + '\u0000' + p.partition());
                if (e == null) continue;
                double r = Math.max(0, p.logEnd() - e) / secs;
                coordinatedRates.merge(now.group() + '\u0000' + p.topic() + '\u0000' + p.partition(), r, (old, x) -> 0.7 * old + 0.3 * x);
            }
        }

        Admin admin() {
            if (admin == null) admin = Admin.create(KafkaProperties.admin(spec.bootstrapServers(), spec.properties(), "sabot-engine-" + spec.name()));
            return admin;
        }

        <T> T get(org.apache.kafka.common.KafkaFuture<T> f) throws Exception {
            try {
                return f.get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
            }
        }

        void reachable(boolean ok, String why) {
            if (ok == reachable) {
                reason = ok ? null : why;
                return;
            }
            reachable = ok;
            reason = ok ? null : why;
            List<String> ts = new ArrayList<>();
            topics.values().forEach(t -> { if (spec.name().equals(t.cluster())) ts.add(t.name()); });
            events.publish(new EngineEvent.BrokerEvent(new BrokerStatus(spec.name(), ok, reason, System.currentTimeMillis())));
            events.publish(new EngineEvent.NoticeEvent("Kafka cluster \"" + spec.name() + "\" (" + spec.bootstrapServers() + ") "
                    + (ok ? "reachable again" : "unreachable: " + why + "; topics " + ts)));
            if (!ok) {
                for (Lane l : lanes.values()) groups.find(l.group()).ifPresent(m -> m.updateLogEnd(l.topic(), null, null, false));
            }
        }

        /** Log ends of every lane's topic, one request; rates from the change since the last poll. */
        void poll() {
            try {
                if (lanes.isEmpty()) return;
                Map<String, Integer> partitions = new HashMap<>();
                for (Lane l : lanes.values()) {
                    groups.find(l.group()).flatMap(m -> m.topic(l.topic())).ifPresent(c -> partitions.merge(l.topic(), c.partitions(), Math::max));
                }
                if (partitions.isEmpty()) return;
                Map<TopicPartition, OffsetSpec> q = new HashMap<>();
                partitions.forEach((t, n) -> { for (int p = 0; p < n; p++) q.put(new TopicPartition(t, p), OffsetSpec.latest()); });
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> r = get(admin().listOffsets(q).all());
                long now = System.currentTimeMillis();
                double dt = lastPollMs == 0 ? 0 : (now - lastPollMs) / 1000.0;
                lastPollMs = now;
                Map<String, long[]> ends = new HashMap<>();
                Map<String, double[]> rates = new HashMap<>();
                partitions.forEach((t, n) -> { ends.put(t, new long[n]); rates.put(t, new double[n]); });
                r.forEach((tp, info) -> {
                    ends.get(tp.topic())[tp.partition()] = info.offset();
                    Long prev = lastEnd.put(tp, info.offset());
                    if (prev != null && dt > 0) rates.get(tp.topic())[tp.partition()] = Math.max(0, info.offset() - prev) / dt;
                });
                for (Lane l : lanes.values()) {
                    groups.find(l.group()).ifPresent(m -> m.updateLogEnd(l.topic(), ends.get(l.topic()), rates.get(l.topic()), true));
                }
                reachable(true, null);
            } catch (Exception e) {
                reachable(false, describe(e));
            }
        }

        /** Writes accepted offsets to Kafka, one request per group; keeps them for the next turn on failure. */
        void flush() {
            try {
                flushPending();
            } finally {
                flushTurns.incrementAndGet();
            }
        }

        private void flushPending() {
            for (Map.Entry<String, Map<TopicPartition, Long>> g : pending.entrySet()) {
                Map<TopicPartition, Long> batch = new HashMap<>(g.getValue());
                if (batch.isEmpty()) continue;
                Map<TopicPartition, OffsetAndMetadata> write = new HashMap<>();
                batch.forEach((tp, o) -> {
                    Long before = written.get(g.getKey() + '\u0000' + tp);
                    if (before == null || o > before) write.put(tp, new OffsetAndMetadata(o));
                });
                try {
                    if (!write.isEmpty()) get(admin().alterConsumerGroupOffsets(g.getKey(), write).all());
                    write.forEach((tp, o) -> written.merge(g.getKey() + '\u0000' + tp, o.offset(), Math::max));
                    batch.forEach((tp, o) -> g.getValue().remove(tp, o)); // unless a newer one arrived meanwhile
                } catch (Exception e) {
                    reachable(false, describe(e)); // kept: written on a later turn
                    return;
                }
            }
        }

        /** Topic exists (created if asked), partitions known, group's offsets read: the lane is ready. */
        void prepare(String group, TopicSpec t, PartitionService.LaneReady ready) {
            Lane lane = new Lane(group, t.name());
            lanes.putIfAbsent(key(group, t.name()), lane);
            thread.execute(() -> tryPrepare(lane, t, ready));
        }

        private void tryPrepare(Lane lane, TopicSpec t, PartitionService.LaneReady ready) {
            if (lanes.get(key(lane.group(), lane.topic())) != lane) return; // forgotten meanwhile
            try {
                int partitions = describeOrCreate(t);
                Map<TopicPartition, OffsetAndMetadata> committed = get(admin().listConsumerGroupOffsets(lane.group())
                        .partitionsToOffsetAndMetadata());
                long[] offsets = new long[partitions];
                Map<TopicPartition, OffsetSpec> missing = new HashMap<>();
                for (int p = 0; p < partitions; p++) {
                    OffsetAndMetadata o = committed.get(new TopicPartition(t.name(), p));
                    if (o != null) {
                        offsets[p] = o.offset();
                        written.merge(lane.group() + '\u0000' + new TopicPartition(t.name(), p), o.offset(), Math::max);
                    } else {
                        missing.put(new TopicPartition(t.name(), p), TopicSpec.LATEST.equals(t.start()) ? OffsetSpec.latest() : OffsetSpec.earliest());
                    }
                }
                if (!missing.isEmpty()) get(admin().listOffsets(missing).all()).forEach((tp, info) -> offsets[tp.partition()] = info.offset());
                reachable(true, null);
                ready.ready(partitions, offsets);
            } catch (Exception e) {
                String why = describe(e);
                if (!(e instanceof UnknownTopicOrPartitionException) && !(e instanceof MissingTopic)) reachable(false, why);
                else events.publish(new EngineEvent.NoticeEvent(why + " (retrying every " + RETRY_MS / 1000 + " s)"));
                thread.schedule(() -> tryPrepare(lane, t, ready), RETRY_MS, TimeUnit.MILLISECONDS);
            }
        }

        private int describeOrCreate(TopicSpec t) throws Exception {
            try {
                TopicDescription d = get(admin().describeTopics(List.of(t.name())).allTopicNames()).get(t.name());
                return d.partitions().size();
            } catch (UnknownTopicOrPartitionException e) {
                if (!t.create()) {
                    throw new MissingTopic("topic \"" + t.name() + "\" does not exist on Kafka cluster \"" + spec.name() + "\" ("
                            + spec.bootstrapServers() + "); create it, or set \"create\": true");
                }
                NewTopic nt = new NewTopic(t.name(), Optional.of(t.partitions() > 0 ? t.partitions() : TopicSpec.DEFAULT_PARTITIONS),
                        t.replication() > 0 ? Optional.of((short) t.replication()) : Optional.empty());
                try {
                    get(admin().createTopics(List.of(nt)).all());
                    events.publish(new EngineEvent.NoticeEvent("created topic \"" + t.name() + "\" on Kafka cluster \"" + spec.name()
                            + "\" (" + nt.numPartitions() + " partitions)"));
                } catch (org.apache.kafka.common.errors.TopicExistsException raced) {
                    // created by someone else meanwhile: describe it below
                }
                return get(admin().describeTopics(List.of(t.name())).allTopicNames()).get(t.name()).partitions().size();
            }
        }

        void close() {
            try {
                thread.submit(this::flush).get(3, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // best effort: what is not written is replayed (at least once)
            }
            thread.shutdownNow();
            try {
                thread.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (admin != null) admin.close(java.time.Duration.ofSeconds(1));
        }
    }

    /** A topic that should exist and does not. */
    private static final class MissingTopic extends Exception {
        MissingTopic(String m) { super(m); }
    }

    static String key(String group, String topic) {
        return group + '\u0000' + topic;
    }

    static String describe(Exception e) {
        if (e instanceof TimeoutException || e instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "no answer within " + CALL_TIMEOUT_MS / 1000 + " s";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    // ---- ExternalTopics ------------------------------------------------------------------------

    @Override
    public synchronized void deployed(FleetSpec spec) {
        Map<String, TopicSpec> ts = new LinkedHashMap<>();
        for (TopicSpec t : spec.topics()) ts.put(t.name(), t);
        topics = ts;
        for (ClusterSpec c : spec.clusters()) {
            Cluster have = clusters.get(c.name());
            if (have != null && have.spec.equals(c)) continue;
            if (have != null) {
                clusters.remove(c.name());
                have.close(); // its lanes are re-prepared against the new settings
            }
            clusters.put(c.name(), new Cluster(c));
        }
        // a topic asked to be created exists before its producers need it, whether or not a group reads it
        // (an output nobody consumes was never created, and its producers waited on metadata until the
        // engine killed them for missed heartbeats)
        for (TopicSpec t : ts.values()) {
            Cluster c = t.isKafka() && t.create() ? clusters.get(t.cluster()) : null;
            if (c != null) c.thread.execute(() -> c.ensure(t));
        }
    }

    private Cluster clusterOf(String topic) {
        TopicSpec t = topics.get(topic);
        return t == null || t.cluster() == null ? null : clusters.get(t.cluster());
    }

    @Override
    public void prepare(String group, TopicSpec topic, ClusterSpec cluster, PartitionService.LaneReady ready) {
        Cluster c = clusters.get(topic.cluster());
        if (c != null) c.prepare(group, topic, ready);
    }

    @Override
    public void forget(String group, String topic) {
        for (Cluster c : clusters.values()) c.lanes.remove(key(group, topic));
    }

    @Override
    public void committed(String group, String topic, int partition, long offset, long recordTimestampMs) {
        Cluster c = clusterOf(topic);
        if (c == null) return;
        c.pending.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).merge(new TopicPartition(topic, partition), offset, Math::max);
        if (recordTimestampMs > 0) lastTimestamp.put(key(group, topic) + '\u0000' + partition, recordTimestampMs);
    }

    @Override
    public void fenced(String group, String topic, int partition, long offset, String instance) {
        fenced.merge(instance, 1L, Long::sum);
    }

    /** How many flush turns (writes of accepted offsets to Kafka) have finished, over all clusters. */
    public long flushTurns() { return flushTurns.get(); }

    /** Commits refused by the partition manager per instance (not the holder, or not ahead). */
    public Map<String, Long> fencedCommits() {
        return Map.copyOf(fenced);
    }

    @Override
    public ProtocolMessages.KafkaCluster describeSource(TopicSpec topic) {
        Cluster c = clusters.get(topic.cluster());
        if (c == null) return null;
        return new ProtocolMessages.KafkaCluster(c.spec.name(), c.spec.bootstrapServers(), c.spec.properties());
    }

    @Override
    public void sendOutputs(String instance, AgentSpec spec) {
        List<ProtocolMessages.OutputTopic> outs = new ArrayList<>();
        for (String name : spec.outputs()) {
            TopicSpec t = topics.get(name);
            Cluster c = t == null ? null : clusters.get(t.cluster());
            if (c == null) continue;
            outs.add(new ProtocolMessages.OutputTopic(name, new ProtocolMessages.KafkaCluster(c.spec.name(), c.spec.bootstrapServers(),
                    c.spec.properties())));
        }
        if (!outs.isEmpty()) instances.send(instance, ProtocolCodec.encode(new ProtocolMessages.Outputs(outs)));
    }

    @Override
    public void sendSubscribe(String instance, AgentSpec spec, String strategy) {
        List<String> names = new ArrayList<>();
        Cluster c = null;
        for (String name : spec.topics()) {
            TopicSpec t = topics.get(name);
            if (t == null || !t.isKafka()) continue;
            names.add(name);
            if (c == null) c = clusters.get(t.cluster());
        }
        if (c == null || names.isEmpty()) return;
        Map<String, TopicSpec> ts = c.coordinated.computeIfAbsent(spec.consumerGroup(), g -> new ConcurrentHashMap<>());
        for (String n : names) ts.put(n, topics.get(n));
        instances.send(instance, ProtocolCodec.encode(new ProtocolMessages.Subscribe(spec.consumerGroup(), names,
                new ProtocolMessages.KafkaCluster(c.spec.name(), c.spec.bootstrapServers(), c.spec.properties()), strategy,
                io.sabot.kafka.GroupMembership.localHost())));
    }

    @Override
    public List<io.sabot.engine.PartitionView> coordinatedPartitions(String topic) {
        List<io.sabot.engine.PartitionView> out = new ArrayList<>();
        String me = io.sabot.kafka.GroupMembership.localHost();
        for (Cluster c : clusters.values()) {
            for (GroupSnapshot g : c.snapshots.values()) {
                if (!c.coordinated.containsKey(g.group())) continue;
                for (GroupSnapshot.Partition p : g.partitions()) {
                    if (topic != null && !topic.equals(p.topic())) continue;
                    String owner = p.ownerInstance() == null ? null : me.equals(p.ownerHost()) ? p.ownerInstance() : p.ownerInstance() + "@" + p.ownerHost();
                    double rate = c.coordinatedRates.getOrDefault(g.group() + '\u0000' + p.topic() + '\u0000' + p.partition(), 0.0);
                    out.add(new io.sabot.engine.PartitionView(p.topic(), p.partition(), owner, 0, Math.max(0, p.committed()), p.lag(), rate, false,
                            g.group(), c.spec.name(), p.logEnd(), c.reachable, null, p.ownerInstance() == null ? null : p.ownerHost(),
                            io.sabot.engine.PartitionView.KAFKA));
                }
            }
        }
        return out;
    }

    @Override
    public Double lagSeconds(String group, String topic, int partition, long lagRecords) {
        if (lagRecords <= 0) return 0.0;
        Long ts = lastTimestamp.get(key(group, topic) + '\u0000' + partition);
        return ts == null ? null : Math.max(0, System.currentTimeMillis() - ts) / 1000.0;
    }

    /** Clusters that cannot be reached now, with why. */
    public Map<String, String> unreachable() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Cluster c : clusters.values()) if (!c.reachable) out.put(c.spec.name(), c.reason);
        return out;
    }

    /** Deployed clusters, sorted. */
    public List<String> clusters() {
        return new ArrayList<>(new TreeSet<>(clusters.keySet()));
    }

    @Override
    public void close() {
        clusters.values().forEach(Cluster::close);
        clusters.clear();
    }

    /** The manager of a group, for tests. */
    Optional<PartitionManager> group(String name) {
        return groups.find(name);
    }
}
