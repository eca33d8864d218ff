package io.sabot.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The guarantees of {@link ConsumerGroups}, one test each. */
class ConsumerGroupsTest {
    private final ManualScheduler clock = new ManualScheduler(1_700_000_000_000L);
    private final PartitionManagerTest.Recorder sink = new PartitionManagerTest.Recorder();
    private final ConsumerGroups groups = new ConsumerGroups(sink, new PartitionManager.Options(50, 1_000), clock, clock::now);

    private void fleet() {
        groups.group("fraud").addTopic(TopicConfig.of("tx", 12));
        groups.group("alerter").addTopic(TopicConfig.of("tx", 12));
        for (int i = 0; i < 3; i++) groups.group("fraud").memberUp("tx", "fraud-" + i);
        groups.group("alerter").memberUp("tx", "alerter-0");
        clock.advance(100);
    }

    @Test
    void eachGroupGetsEveryPartitionSharedAmongItsOwnMembers() {
        fleet();
        PartitionAssignment fraud = groups.group("fraud").assignment("tx");
        PartitionAssignment alerter = groups.group("alerter").assignment("tx");
        assertThat(fraud.unassigned()).isEmpty();
        assertThat(alerter.unassigned()).isEmpty();
        assertThat(fraud.countsPerInstance()).containsOnlyKeys("fraud-0", "fraud-1", "fraud-2").allSatisfy((k, v) -> assertThat(v).isEqualTo(4));
        assertThat(alerter.partitionsOf("alerter-0")).hasSize(12);
        assertThat(fraud.group()).isEqualTo("fraud");
        assertThat(groups.partitionsOf("alerter-0")).hasSize(12);
        // the status rows: 12 per group
        assertThat(groups.status("tx")).hasSize(24).extracting(PartitionStatus::group).containsOnly("fraud", "alerter");
    }

    @Test
    void epochsOffsetsAndRebalancesArePerGroup() {
        fleet();
        List<PartitionAssignment> epochs = new CopyOnWriteArrayList<>();
        groups.addListener((a, prev) -> epochs.add(a));
        groups.group("fraud").commit("tx", 5, 500);
        groups.group("alerter").commit("tx", 5, 20);
        groups.onInstanceDead("fraud-1");
        clock.advance(100);
        assertThat(epochs).singleElement().satisfies(a -> {
            assertThat(a.group()).isEqualTo("fraud");
            assertThat(a.epoch()).isEqualTo(2);
        });
        assertThat(groups.group("alerter").assignment("tx").epoch()).isEqualTo(1);
        assertThat(groups.group("fraud").committedOffset("tx", 5)).isEqualTo(500);
        assertThat(groups.group("alerter").committedOffset("tx", 5)).isEqualTo(20);
        // the new owner of a partition fraud-1 held starts from fraud's offset, not alerter's
        int p = -1;
        for (int i = 0; i < 12; i++) if ("fraud-1".equals(groups.group("fraud").assignment("tx").owner(i))) p = i;
        assertThat(p).isEqualTo(-1);
        assertThat(sink.log).anyMatch(l -> l.startsWith("assign fraud-") && l.contains("5@500"));
    }

    @Test
    void neverTwoHoldersWithinAGroupWhileEachGroupHoldsEveryPartition() {
        fleet();
        groups.group("fraud").memberUp("tx", "fraud-3");
        clock.advance(100);
        // revokes outstanding: fraud-3 gets nothing a live holder still has
        List<String> assigned = new ArrayList<>();
        for (int p = 0; p < 12; p++) {
            String h = groups.group("fraud").holderOf("tx", p).orElse(null);
            if (h != null) assigned.add(h + ":" + p);
            assertThat(groups.group("alerter").holderOf("tx", p)).contains("alerter-0");
        }
        assertThat(assigned).hasSize(12);
        for (String id : List.of("fraud-0", "fraud-1", "fraud-2")) {
            long epoch = groups.group("fraud").pendingRevokes("tx").getOrDefault(id, 0L);
            if (epoch > 0) groups.group("fraud").onRevokeAck(id, "tx", epoch);
        }
        assertThat(groups.group("fraud").isSettled("tx")).isTrue();
        assertThat(groups.group("fraud").assignment("tx").countsPerInstance().values()).containsOnly(3);
    }

    @Test
    void removingAGroupRevokesItsPartitionsAndLeavesTheOthers() {
        fleet();
        groups.remove("alerter");
        assertThat(groups.names()).containsExactly("fraud");
        assertThat(sink.log).anyMatch(l -> l.startsWith("revoke alerter-0 tx@2"));
        assertThat(groups.status("tx")).hasSize(12);
    }
}
