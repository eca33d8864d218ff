package io.sabot.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** {@link SabotAssignor} as Kafka's group leader calls it (the broker run is KafkaGroupAssignorTest). */
class SabotAssignorTest {
    private static final Node NODE = new Node(0, "localhost", 9092);

    private static Cluster cluster(Map<String, Integer> topics) {
        List<PartitionInfo> ps = new ArrayList<>();
        topics.forEach((t, n) -> {
            for (int p = 0; p < n; p++) ps.add(new PartitionInfo(t, p, NODE, new Node[] {NODE}, new Node[] {NODE}));
        });
        return new Cluster("c", List.of(NODE), ps, Set.of(), Set.of());
    }

    private static SabotAssignor leader(String strategy) {
        SabotAssignor a = new SabotAssignor();
        a.configure(Map.of(SabotAssignor.STRATEGY, strategy, SabotAssignor.HOST, "h0", SabotAssignor.INSTANCE, "leader"));
        return a;
    }

    private static ByteBuffer data(String host, String instance, List<TopicPartition> owned) {
        return new MemberData(host, instance, "sticky", 0, 1, owned).encode();
    }

    private static Subscription sub(List<String> topics, String host, String instance, List<TopicPartition> kafkaOwned, List<TopicPartition> ourOwned) {
        return new Subscription(topics, data(host, instance, ourOwned), kafkaOwned, 1, Optional.empty());
    }

    private static List<TopicPartition> tps(String topic, int from, int to) {
        List<TopicPartition> out = new ArrayList<>();
        for (int p = from; p < to; p++) out.add(new TopicPartition(topic, p));
        return out;
    }

    private static Map<TopicPartition, String> owners(Map<String, Assignment> a) {
        Map<TopicPartition, String> out = new HashMap<>();
        a.forEach((m, as) -> as.partitions().forEach(tp -> assertThat(out.put(tp, m)).as(tp + " given twice").isNull()));
        return out;
    }

    @Test
    void everyPartitionToExactlyOneSubscriber() {
        Map<String, Subscription> subs = new HashMap<>();
        // the same instance id on two hosts: two members
        subs.put("m-a", sub(List.of("tx", "audit"), "web1", "enricher-0", List.of(), List.of()));
        subs.put("m-b", sub(List.of("tx", "audit"), "web2", "enricher-0", List.of(), List.of()));
        subs.put("m-c", sub(List.of("tx"), "web2", "enricher-1", List.of(), List.of()));
        for (String strategy : List.of("sticky", "round_robin", "hash", "range", "load_balanced")) {
            Map<String, Assignment> a = leader(strategy).assign(cluster(Map.of("tx", 12, "audit", 5, "other", 3)), new GroupSubscription(subs)).groupAssignment();
            Map<TopicPartition, String> o = owners(a);
            assertThat(o.keySet()).as(strategy).containsExactlyInAnyOrderElementsOf(concat(tps("tx", 0, 12), tps("audit", 0, 5)));
            o.forEach((tp, m) -> assertThat(subs.get(m).topics()).as(strategy + ": " + tp + " to a subscriber").contains(tp.topic()));
            assertThat(a.get("m-a").partitions()).as(strategy + ": both enricher-0s are members").isNotEmpty();
            assertThat(a.get("m-b").partitions()).as(strategy).isNotEmpty();
        }
    }

    @Test
    void cooperativeNeverMovesAnOwnedPartitionInOneRound() {
        SabotAssignor leader = leader("sticky");
        Cluster c = cluster(Map.of("tx", 12));
        Map<String, Subscription> subs = new HashMap<>();
        subs.put("m-a", sub(List.of("tx"), "web1", "enricher-0", tps("tx", 0, 12), tps("tx", 0, 12)));
        subs.put("m-b", sub(List.of("tx"), "web2", "enricher-0", List.of(), List.of()));
        Map<String, Assignment> round1 = leader.assign(c, new GroupSubscription(subs)).groupAssignment();
        // a keeps half, gives up the rest; b gets none of what a still owns
        assertThat(round1.get("m-b").partitions()).isEmpty();
        assertThat(round1.get("m-a").partitions()).hasSize(6);
        // the follow-up round (a revoked six): b takes them
        subs.put("m-a", sub(List.of("tx"), "web1", "enricher-0", round1.get("m-a").partitions(), round1.get("m-a").partitions()));
        Map<String, Assignment> round2 = leader.assign(c, new GroupSubscription(subs)).groupAssignment();
        assertThat(round2.get("m-a").partitions()).containsExactlyInAnyOrderElementsOf(round1.get("m-a").partitions());
        assertThat(round2.get("m-b").partitions()).hasSize(6);
        assertThat(owners(round2)).hasSize(12);
    }

    @Test
    void stickyKeepsOwnersAndSpreadsANewcomer() {
        // an eager rebalance: Kafka's owned lists are empty, ours carry the previous assignment
        Map<String, Subscription> subs = new HashMap<>();
        subs.put("m-a", sub(List.of("tx"), "web1", "enricher-0", List.of(), tps("tx", 0, 6)));
        subs.put("m-b", sub(List.of("tx"), "web2", "enricher-0", List.of(), tps("tx", 6, 12)));
        subs.put("m-c", sub(List.of("tx"), "web3", "enricher-0", List.of(), List.of()));
        Map<String, Assignment> a = leader("sticky").assign(cluster(Map.of("tx", 12)), new GroupSubscription(subs)).groupAssignment();
        assertThat(a.get("m-a").partitions()).hasSize(4).allMatch(tp -> tp.partition() < 6);
        assertThat(a.get("m-b").partitions()).hasSize(4).allMatch(tp -> tp.partition() >= 6);
        assertThat(a.get("m-c").partitions()).hasSize(4);
        assertThat(owners(a)).hasSize(12);
    }

    @Test
    void unreadableUserDataIsANewMemberNotAFailure() {
        Map<String, Subscription> subs = new HashMap<>();
        subs.put("m-a", new Subscription(List.of("tx"), ByteBuffer.wrap(new byte[] {1, 2, 3})));
        subs.put("m-b", new Subscription(List.of("tx"), null));
        Map<String, Assignment> a = leader("round_robin").assign(cluster(Map.of("tx", 4)), new GroupSubscription(subs)).groupAssignment();
        assertThat(a.get("m-a").partitions()).hasSize(2);
        assertThat(a.get("m-b").partitions()).hasSize(2);
        assertThat(MemberData.decode(data("web1", "x-0", tps("tx", 0, 2)))).isEqualTo(new MemberData("web1", "x-0", "sticky", 0, 1, tps("tx", 0, 2)));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
