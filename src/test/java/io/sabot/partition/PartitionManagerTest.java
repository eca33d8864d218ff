package io.sabot.partition;

import io.sabot.spec.TopicStrategy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionManagerTest {

    /** Records every message, as the engine's protocol writer would send them. */
    static final class Recorder implements AssignmentSink {
        final List<String> log = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void revoke(String instance, String topic, long epoch, List<Integer> partitions) {
            log.add("revoke " + instance + " " + topic + "@" + epoch + " " + partitions);
        }

        @Override
        public void assign(String instance, String topic, long epoch, List<PartitionStart> partitions) {
            List<String> ps = new ArrayList<>();
            partitions.forEach(s -> ps.add(s.partition() + "@" + s.offset()));
            log.add("assign " + instance + " " + topic + "@" + epoch + " " + ps);
        }

        @Override
        public void revokeTimedOut(String instance, String topic, long epoch) {
            log.add("timeout " + instance + " " + topic + "@" + epoch);
        }
    }

    private final ManualScheduler clock = new ManualScheduler(1_700_000_000_000L);
    private final Recorder sink = new Recorder();
    private final PartitionManager m = new PartitionManager(sink, new PartitionManager.Options(60, 1_000), clock, clock::now);

    @Test
    void aBurstOfTenRequestsWithinTheDebounceGivesOneEpoch() {
        m.addTopic(TopicConfig.of("t", 12));
        List<PartitionAssignment> epochs = new CopyOnWriteArrayList<>();
        m.addListener((a, prev) -> epochs.add(a));
        for (int i = 0; i < 10; i++) {
            m.memberUp("t", "w-" + i); // each one requests a rebalance
            clock.advance(5);
        }
        clock.advance(100);
        assertThat(epochs).hasSize(1);
        PartitionAssignment a = epochs.get(0);
        assertThat(a.epoch()).isEqualTo(1);
        assertThat(a.members()).hasSize(10);
        assertThat(a.reason()).contains("w-0 up").contains("(+5 more)");
        assertThat(m.rebalancePending("t")).isFalse();
    }

    @Test
    void aBurstOfFailuresOnTheRealSchedulerGivesOneEpoch() throws Exception {
        try (PartitionManager real = new PartitionManager(null, new PartitionManager.Options(200, 5_000))) {
            real.addTopic(TopicConfig.of("t", 24));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ids.add("w-" + i);
            }
            real.setMembers("t", ids);
            real.rebalanceNow("t", "start");
            CountDownLatch fired = new CountDownLatch(1);
            List<Long> epochs = new CopyOnWriteArrayList<>();
            real.addListener((a, prev) -> {
                epochs.add(a.epoch());
                fired.countDown();
            });
            for (int i = 0; i < 10; i++) {
                real.onInstanceDead("w-" + i);
            }
            assertThat(fired.await(2, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(150); // anything else would have fired by now
            assertThat(epochs).containsExactly(2L);
            assertThat(real.assignment("t").members()).containsExactly("w-10", "w-11");
            assertThat(real.assignment("t").countsPerInstance()).containsEntry("w-10", 12).containsEntry("w-11", 12);
        }
    }

    @Test
    void rebalanceNowFoldsInAPendingRequest() {
        m.addTopic(TopicConfig.of("t", 4));
        m.memberUp("t", "a");
        assertThat(m.rebalancePending("t")).isTrue();
        PartitionAssignment a = m.rebalanceNow("t", "operator");
        assertThat(a.reason()).isEqualTo("instance a up; operator");
        clock.advance(1_000);
        assertThat(m.assignment("t").epoch()).isEqualTo(1);
    }

    @Test
    void handoffRevokesFirstAndAssignsAfterTheAck() {
        m.addTopic(new TopicConfig("t", 4, TopicStrategy.sticky, 10));
        m.setMembers("t", List.of("a"));
        m.rebalanceNow("t", "start");
        assertThat(sink.log).containsExactly("assign a t@1 [0@0, 1@0, 2@0, 3@0]");
        m.commit("t", 2, 40);
        m.commit("t", 3, 30);
        sink.log.clear();

        m.memberUp("t", "b");
        PartitionAssignment e2 = m.rebalanceNow("t", "b joined");
        assertThat(e2.moved()).containsExactly(2, 3);
        assertThat(sink.log).containsExactly("revoke a t@2 [2, 3]");
        assertThat(m.holderOf("t", 2)).contains("a");
        assertThat(m.ownerOf("t", 2)).contains("b");
        assertThat(m.isSettled("t")).isFalse();

        assertThat(m.onRevokeAck("a", "t", 1)).as("an ack for an older epoch frees nothing").isFalse();
        m.commit("t", 3, 35);
        m.commit("t", 3, 20); // older: ignored
        assertThat(m.onRevokeAck("a", "t", 2)).isTrue();
        assertThat(sink.log).containsExactly("revoke a t@2 [2, 3]", "assign b t@2 [2@40, 3@35]");
        assertThat(m.isSettled("t")).isTrue();
        assertThat(m.onRevokeAck("a", "t", 2)).as("duplicate ack").isFalse();
    }

    @Test
    void anOwnerThatDiesNeedsNoAck() {
        m.addTopic(TopicConfig.of("t", 2));
        m.setMembers("t", List.of("a"));
        m.rebalanceNow("t", "start");
        m.memberUp("t", "b");
        m.rebalanceNow("t", "b joined");
        sink.log.clear();
        m.onInstanceDead("a");
        assertThat(sink.log).containsExactly("assign b t@2 [1@0]");
        clock.advance(100); // the requested rebalance gives b partition 0 too
        assertThat(sink.log).containsExactly("assign b t@2 [1@0]", "assign b t@3 [0@0]");
    }

    @Test
    void anOwnerThatNeverAcksTimesOutAndIsTreatedAsDead() {
        m.addTopic(TopicConfig.of("t", 2));
        m.setMembers("t", List.of("a"));
        m.rebalanceNow("t", "start");
        m.setMembers("t", List.of("a", "b"));
        m.rebalanceNow("t", "b joined");
        sink.log.clear();
        clock.advance(999);
        assertThat(sink.log).isEmpty();
        clock.advance(1);
        assertThat(sink.log).startsWith("timeout a t@2", "assign b t@2 [1@0]");
        assertThat(m.members("t")).containsExactly("b");
        assertThat(m.holderOf("t", 0)).isEmpty(); // a held it; b gets it at the next epoch
        clock.advance(100);
        assertThat(m.holderOf("t", 0)).contains("b");
        assertThat(m.isSettled("t")).isTrue();
    }

    @Test
    void noMembersMeansEverythingUnassigned() {
        m.addTopic(TopicConfig.of("t", 3));
        PartitionAssignment a = m.rebalanceNow("t", "empty");
        assertThat(a.unassigned()).containsExactly(0, 1, 2);
        assertThat(a.moved()).isEmpty();
        assertThat(m.ownerOf("t", 1)).isEmpty();
    }

    @Test
    void overrideIsForOneRebalanceAndEpochsCount() {
        m.addTopic(TopicConfig.of("t", 6));
        m.setMembers("t", List.of("a", "b", "c"));
        PartitionAssignment rr = m.rebalance("t", Optional.of(TopicStrategy.round_robin), "try rr");
        assertThat(rr.strategy()).isEqualTo(TopicStrategy.round_robin);
        assertThat(rr.owners()).containsExactly("a", "b", "c", "a", "b", "c");
        PartitionAssignment next = m.rebalanceNow("t", "again");
        assertThat(next.strategy()).isEqualTo(TopicStrategy.sticky);
        assertThat(next.epoch()).isEqualTo(rr.epoch() + 1);
        assertThat(next.moved()).isEmpty();
        m.setStrategy("t", TopicStrategy.hash);
        assertThat(m.rebalanceNow("t", "hash").strategy()).isEqualTo(TopicStrategy.hash);
    }

    @Test
    void offsetsAreMonotonicAndLagFollowsTheGeneratedStream() {
        long origin = clock.now();
        m.addTopic(new TopicConfig("t", 2, TopicStrategy.sticky, 50.0), origin);
        assertThat(m.commit("t", 0, 10)).isTrue();
        assertThat(m.commit("t", 0, 5)).isFalse();
        assertThat(m.committedOffset("t", 0)).isEqualTo(10);
        clock.advance(2_500); // 2.5 s x 50/s = 125 records
        assertThat(m.highWatermark("t", 0)).isEqualTo(125);
        List<PartitionStatus> rows = m.status("t");
        assertThat(rows).extracting(PartitionStatus::lag).containsExactly(115L, 125L);
        assertThat(rows.get(0).ratePerSec()).isEqualTo(50.0);
        assertThat(m.status()).hasSize(2);
    }

    @Test
    void statusJsonHasTheContractFieldNames() throws Exception {
        m.addTopic(TopicConfig.of("t", 1));
        m.setMembers("t", List.of("fraud-0"));
        m.rebalanceNow("t", "start");
        JsonNode row = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(m.status()));
        assertThat(row.isArray()).isTrue();
        JsonNode r = row.get(0);
        assertThat(r.get("topic").asText()).isEqualTo("t");
        assertThat(r.get("partition").isInt()).isTrue();
        assertThat(r.get("owner").asText()).isEqualTo("fraud-0");
        assertThat(r.get("epoch").asLong()).isEqualTo(1);
        assertThat(r.get("committedOffset").isIntegralNumber()).isTrue();
        assertThat(r.get("lag").isIntegralNumber()).isTrue();
        assertThat(r.get("ratePerSec").isNumber()).isTrue();
        assertThat(m.partitionsOf("fraud-0")).containsExactly("t:0");
    }

    @Test
    void addPartitionTakesKeysFromItsNeighbourAndGetsAnOwner() {
        m.addTopic(new TopicConfig("t", 2, TopicStrategy.range, 1));
        m.setMembers("t", List.of("a", "b", "c"));
        m.rebalanceNow("t", "start");
        KeyRange upper = m.keyRange("t", 1);
        long mid = upper.startInclusive() + upper.size() / 2;
        int p = m.addPartition("t", new KeyRange(mid, upper.endExclusive()));
        assertThat(p).isEqualTo(2);
        assertThat(m.keyRange("t", 1)).isEqualTo(new KeyRange(upper.startInclusive(), mid));
        assertThat(m.partitionForKey("t", mid)).isEqualTo(2);
        assertThat(m.rebalancePending("t")).isTrue();
        clock.advance(100);
        PartitionAssignment a = m.assignment("t");
        assertThat(a.partitionCount()).isEqualTo(3);
        assertThat(a.owners()).containsExactly("a", "b", "c");
        assertThat(a.unassigned()).isEmpty();
        assertThatThrownBy(() -> m.addPartition("t", new KeyRange(10, 20)))
                .hasMessageContaining("split").hasMessageContaining("t:0");
        assertThat(m.addPartition("t", null)).isEqualTo(3);
    }

    @Test
    void removeTopicRevokesWhatIsHeld() {
        m.addTopic(TopicConfig.of("t", 2));
        m.setMembers("t", List.of("a"));
        m.rebalanceNow("t", "start");
        sink.log.clear();
        assertThat(m.removeTopic("t")).isTrue();
        assertThat(sink.log).containsExactly("revoke a t@2 [0, 1]");
        assertThat(m.topics()).isEmpty();
        assertThat(m.onRevokeAck("a", "t", 2)).isFalse();
        assertThat(m.removeTopic("t")).isFalse();
    }

    @Test
    void badInputNamesTheFieldAndValue() {
        m.addTopic(TopicConfig.of("t", 2));
        assertThatThrownBy(() -> m.addTopic(TopicConfig.of("t", 3))).hasMessageContaining("'t'").hasMessageContaining("exists");
        assertThatThrownBy(() -> m.assignment("nope")).hasMessageContaining("topic").hasMessageContaining("'nope'");
        assertThatThrownBy(() -> m.ownerOf("t", 2)).hasMessageContaining("partition: 2");
        assertThatThrownBy(() -> m.commit("t", 0, -1)).hasMessageContaining("offset").hasMessageContaining("-1");
        assertThatThrownBy(() -> m.memberUp("t", " ")).hasMessageContaining("instance");
        assertThatThrownBy(() -> new PartitionManager.Options(-1, 10)).hasMessageContaining("debounceMs").hasMessageContaining("-1");
        assertThatThrownBy(() -> new PartitionManager.Options(10, 0)).hasMessageContaining("revokeTimeoutMs");
    }

    @Test
    void aSinkMayCallBackIntoTheManager() {
        PartitionManager[] self = new PartitionManager[1];
        List<String> log = new CopyOnWriteArrayList<>();
        AssignmentSink acking = new AssignmentSink() {
            @Override
            public void revoke(String instance, String topic, long epoch, List<Integer> partitions) {
                log.add("revoke " + instance);
                self[0].onRevokeAck(instance, topic, epoch); // acks at once, re-entrantly
                log.add("acked " + instance);
            }

            @Override
            public void assign(String instance, String topic, long epoch, List<PartitionStart> partitions) {
                log.add("assign " + instance + " " + partitions.size());
            }
        };
        self[0] = new PartitionManager(acking, PartitionManager.Options.DEFAULTS, clock, clock::now);
        self[0].addTopic(TopicConfig.of("t", 4));
        self[0].setMembers("t", List.of("a"));
        self[0].rebalanceNow("t", "start");
        self[0].setMembers("t", List.of("a", "b"));
        self[0].rebalanceNow("t", "b");
        assertThat(log).containsExactly("assign a 4", "revoke a", "acked a", "assign b 2");
    }

    @Test
    void messagesForAnInstanceThatDiedBeforeDeliveryAreDropped() {
        PartitionManager[] self = new PartitionManager[1];
        List<String> log = new CopyOnWriteArrayList<>();
        AssignmentSink sink = new AssignmentSink() {
            @Override
            public void revoke(String instance, String topic, long epoch, List<Integer> partitions) {
                log.add("revoke " + instance + " " + partitions);
                self[0].onInstanceDead("b"); // b dies while its assign is still queued
            }

            @Override
            public void assign(String instance, String topic, long epoch, List<PartitionStart> partitions) {
                log.add("assign " + instance + " " + partitions.size());
            }
        };
        self[0] = new PartitionManager(sink, PartitionManager.Options.DEFAULTS, clock, clock::now);
        self[0].addTopic(TopicConfig.of("t", 3));
        self[0].setMembers("t", List.of("a"));
        self[0].rebalanceNow("t", "start");
        self[0].addPartition("t", null);
        self[0].setMembers("t", List.of("a", "b"));
        self[0].rebalanceNow("t", "b joined"); // revoke a [2] and assign b [3], in that order
        assertThat(log).containsExactly("assign a 3", "revoke a [2]");
        assertThat(self[0].holderOf("t", 3)).isEmpty();
    }
}
