package io.sabot.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Standby placement: never the owner, sticky, none alone; a dead owner's partition goes to its standby. */
class StandbysTest {
    @Test
    void aStandbyIsAnotherMemberAndSticky() {
        String[] owners = {"a", "b", "c", "a", "b", "c"};
        String[] sb = Standbys.choose(owners, List.of("a", "b", "c"), null);
        for (int p = 0; p < owners.length; p++) {
            assertThat(sb[p]).isNotNull().isNotEqualTo(owners[p]).isIn("a", "b", "c");
        }
        String[] again = Standbys.choose(owners, List.of("a", "b", "c"), sb);
        assertThat(again).containsExactly(sb);
        assertThat(Standbys.choose(new String[] {"a", "a"}, List.of("a"), null)).containsOnlyNulls();
    }

    @Test
    void aDeadOwnersPartitionGoesToItsStandby() {
        String[] owners = {"a", "b", "c", "a", "b", "c"};
        List<String> members = List.of("a", "b", "c");
        String[] sb = Standbys.choose(owners, members, null);
        Map<Integer, String> prev = new java.util.HashMap<>();
        for (int p = 0; p < owners.length; p++) prev.put(p, owners[p]);
        Set<String> alive = Set.of("b", "c");
        Map<Integer, String> preferred = Standbys.preferStandbys(prev, sb, alive);
        Map<Integer, String> next = new StickyAssignor().assign(6, List.of("b", "c"), preferred, Map.of(), Map.of());
        for (int p : new int[] {0, 3}) assertThat(next.get(p)).isEqualTo(sb[p]);
        assertThat(next.get(1)).isEqualTo("b");
        assertThat(next.get(2)).isEqualTo("c");
    }

    @Test
    void theManagerMovesADeadOwnersPartitionsToTheirStandbys() {
        ManualScheduler clock = new ManualScheduler(1_700_000_000_000L);
        PartitionManager m = new PartitionManager(AssignmentSink.NONE, new PartitionManager.Options(60, 1_000), clock, clock::now);
        m.setStandbys(1);
        m.addTopic(new TopicConfig("t", 9, io.sabot.spec.TopicStrategy.sticky, 10));
        m.setMembers("t", List.of("a", "b", "c"));
        m.rebalanceNow("t", "start");
        Map<Integer, String> sb = m.standbysOf("t");
        assertThat(sb).hasSize(9);
        List<Integer> ofA = m.assignment("t").ownerMap().entrySet().stream().filter(e -> e.getValue().equals("a")).map(Map.Entry::getKey).toList();
        assertThat(ofA).isNotEmpty();
        m.setMembers("t", List.of("b", "c"));
        m.rebalanceNow("t", "a died");
        for (int p : ofA) assertThat(m.ownerOf("t", p)).contains(sb.get(p));
        for (Map.Entry<Integer, String> e : m.standbysOf("t").entrySet()) assertThat(e.getValue()).isNotEqualTo(m.ownerOf("t", e.getKey()).orElseThrow());
        m.setStandbys(0);
        m.rebalanceNow("t", "standbys off");
        assertThat(m.standbysOf("t")).isEmpty();
        m.close();
    }

    @Test
    void theStandbyMessageRoundTrips() {
        String line = io.sabot.protocol.ProtocolCodec.encode(new io.sabot.protocol.ProtocolMessages.Standby(7, "tx", List.of(0, 3)));
        assertThat(io.sabot.protocol.ProtocolCodec.decodeToAgent(line))
                .isEqualTo(new io.sabot.protocol.ProtocolMessages.Standby(7, "tx", List.of(0, 3)));
    }
}
