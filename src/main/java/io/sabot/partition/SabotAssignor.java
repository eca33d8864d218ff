package io.sabot.partition;

import io.sabot.spec.TopicStrategy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.DoubleSupplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.TopicPartition;

/**
 * Sabot's partition strategies as Kafka's client-side assignor, for consumer groups that span
 * hosts ({@code "coordination": "kafka"}): Kafka's group protocol (classic) decides who is a
 * member and when to rebalance; the group leader's consumer calls {@link #assign}, which places
 * partitions with the same pure {@link Assignor} an engine uses for its own groups.
 *
 * <p>Guarantees, each with the test that holds it:
 * <ul>
 *   <li>every partition of every subscribed topic goes to exactly one member subscribed to it
 *       ({@code SabotAssignorTest.everyPartitionToExactlyOneSubscriber});</li>
 *   <li>cooperative rebalancing: a partition that another member still owns is never given to a
 *       new owner in the same round; it is left out (its owner revokes it) and the follow-up round
 *       Kafka's coordinator starts gives it ({@code SabotAssignorTest.cooperativeNeverMovesAnOwnedPartitionInOneRound}),
 *       which is what Kafka's {@code ConsumerCoordinator} checks;</li>
 *   <li>members are told apart by host and instance ({@link MemberData}), so two hosts running
 *       {@code enricher-0} are two members, and sticky keeps each partition with its owner across
 *       rebalances, eager ones too (the owned partitions travel in the user data)
 *       ({@code SabotAssignorTest.stickyKeepsOwnersAndSpreadsANewcomer});</li>
 *   <li>a real broker: two consumers on one group share every partition, and when one dies the
 *       other owns every partition ({@code io.sabot.kafka.KafkaGroupFailoverTest}).</li>
 * </ul>
 *
 * <p>Configuration (consumer properties; {@link #configure}): {@value #STRATEGY} (a strategy name,
 * default sticky), {@value #HOST}, {@value #INSTANCE}, and optionally {@value #LOAD}, a
 * {@link DoubleSupplier} of the member's messages per second (for load_balanced).
 */
public final class SabotAssignor implements ConsumerPartitionAssignor, Configurable {
    /** The assignor's name in the group protocol: every member must offer it. */
    public static final String NAME = "sabot";
    public static final String STRATEGY = io.sabot.kafka.GroupMembership.STRATEGY;
    public static final String HOST = io.sabot.kafka.GroupMembership.HOST;
    public static final String INSTANCE = io.sabot.kafka.GroupMembership.INSTANCE;
    public static final String LOAD = io.sabot.kafka.GroupMembership.LOAD;

    private TopicStrategy strategy = TopicStrategy.sticky;
    private String host = "";
    private String instance = "";
    private DoubleSupplier load = () -> 0;
    /** What this member owns since its last assignment (eager rebalances revoke before joining). */
    private volatile List<TopicPartition> owned = List.of();
    private volatile int generation = -1;

    @Override
    public void configure(Map<String, ?> configs) {
        Object s = configs.get(STRATEGY);
        if (s != null) strategy = TopicStrategy.parse(s.toString());
        if (configs.get(HOST) != null) host = configs.get(HOST).toString();
        if (configs.get(INSTANCE) != null) instance = configs.get(INSTANCE).toString();
        if (configs.get(LOAD) instanceof DoubleSupplier d) load = d;
    }

    @Override
    public String name() { return NAME; }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.COOPERATIVE, RebalanceProtocol.EAGER);
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        double rate = load.getAsDouble();
        return new MemberData(host, instance, strategy.name(), Double.isFinite(rate) && rate >= 0 ? rate : 0, generation, owned).encode();
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        owned = List.copyOf(assignment.partitions());
        if (metadata != null) generation = metadata.generationId();
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        Map<String, Subscription> subs = new TreeMap<>(groupSubscription.groupSubscription());
        // each member's key (host/instance, unique), previous partitions and load
        Map<String, String> keyOf = new LinkedHashMap<>();
        Map<String, MemberData> data = new HashMap<>();
        Set<String> keys = new HashSet<>();
        for (Map.Entry<String, Subscription> e : subs.entrySet()) {
            MemberData d = MemberData.decode(e.getValue().userData());
            String key = d.key().isEmpty() ? e.getKey() : d.key();
            for (int n = 2; !keys.add(key); n++) key = d.key() + "#" + n; // same host and instance twice: a zombie or a misconfiguration
            keyOf.put(e.getKey(), key);
            data.put(e.getKey(), d);
        }
        // who owns what now: Kafka's owned partitions (cooperative) else ours (eager); the newest generation wins a dispute
        Map<TopicPartition, String> ownerNow = new HashMap<>();
        Map<TopicPartition, Integer> ownerGen = new HashMap<>();
        Map<TopicPartition, String> ownerByKafka = new HashMap<>();
        for (Map.Entry<String, Subscription> e : subs.entrySet()) {
            Subscription s = e.getValue();
            MemberData d = data.get(e.getKey());
            int gen = s.generationId().orElse(d.generation());
            Collection<TopicPartition> ps = s.ownedPartitions().isEmpty() ? d.owned() : s.ownedPartitions();
            for (TopicPartition tp : ps) {
                Integer g = ownerGen.get(tp);
                if (g == null || gen > g) {
                    ownerNow.put(tp, e.getKey());
                    ownerGen.put(tp, gen);
                }
            }
            for (TopicPartition tp : s.ownedPartitions()) ownerByKafka.putIfAbsent(tp, e.getKey());
        }
        Map<String, List<TopicPartition>> out = new LinkedHashMap<>();
        for (String m : subs.keySet()) out.put(m, new ArrayList<>());
        Set<String> topics = new TreeSet<>();
        for (Subscription s : subs.values()) topics.addAll(s.topics());
        for (String topic : topics) {
            Integer n = metadata.partitionCountForTopic(topic);
            if (n == null || n <= 0) continue; // not (yet) in the metadata: no partitions to give
            Map<String, String> memberOfKey = new TreeMap<>();
            Map<String, InstanceLoad> loads = new HashMap<>();
            for (Map.Entry<String, Subscription> e : subs.entrySet()) {
                if (!e.getValue().topics().contains(topic)) continue;
                String key = keyOf.get(e.getKey());
                memberOfKey.put(key, e.getKey());
                loads.put(key, new InstanceLoad(0, 0, data.get(e.getKey()).rate()));
            }
            if (memberOfKey.isEmpty()) continue;
            Map<Integer, String> previous = new HashMap<>();
            for (int p = 0; p < n; p++) {
                String m = ownerNow.get(new TopicPartition(topic, p));
                if (m != null) previous.put(p, keyOf.get(m));
            }
            Map<Integer, String> placed = Assignor.of(strategy, topic)
                    .assign(n, new ArrayList<>(memberOfKey.keySet()), previous, loads, Map.of());
            for (Map.Entry<Integer, String> p : placed.entrySet()) {
                TopicPartition tp = new TopicPartition(topic, p.getKey());
                String member = memberOfKey.get(p.getValue());
                String current = ownerByKafka.get(tp);
                // cooperative: its owner gives it up this round; the follow-up round hands it over
                if (current != null && !current.equals(member) && subs.containsKey(current)) continue;
                out.get(member).add(tp);
            }
        }
        Map<String, Assignment> result = new LinkedHashMap<>();
        for (Map.Entry<String, List<TopicPartition>> e : out.entrySet()) result.put(e.getKey(), new Assignment(e.getValue()));
        return new GroupAssignment(result);
    }
}
