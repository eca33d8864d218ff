package io.sabot.partition;

import io.sabot.spec.TopicStrategy;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Assignors over random sequences of joins, failures and recoveries: each toggle flips one of
 * ten instances between member and not (a failure, then a recovery under the same id).
 */
class AssignorPropertiesTest {
    private static final int UNIVERSE = 10;

    private static String id(int i) {
        return "worker-" + i;
    }

    @Property(tries = 150)
    void everyStrategyOwnsEveryPartitionWithAMember(
            @ForAll("strategies") TopicStrategy strategy,
            @ForAll @IntRange(min = 0, max = 120) int partitions,
            @ForAll @Size(max = 25) List<@IntRange(min = 0, max = UNIVERSE - 1) Integer> toggles) {
        Assignor a = Assignor.of(strategy, "orders");
        TreeSet<String> members = new TreeSet<>();
        Map<Integer, String> prev = Map.of();
        for (int t : toggles) {
            toggle(members, t);
            Map<Integer, String> next = a.assign(partitions, new ArrayList<>(members), prev, load(members), Map.of());
            Checks.everyPartitionOwned(partitions, members, next);
            if (strategy != TopicStrategy.load_balanced && strategy != TopicStrategy.hash) { // those trade balance for stickiness
                assertThat(Checks.spread(partitions, members, next)).as("max - min").isLessThanOrEqualTo(1);
            }
            prev = next;
        }
    }

    @Property(tries = 200)
    void stickyIsBalancedAndMovesTheMinimum(
            @ForAll @IntRange(min = 1, max = 200) int partitions,
            @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = UNIVERSE - 1) Integer> toggles) {
        StickyAssignor a = new StickyAssignor();
        TreeSet<String> members = new TreeSet<>();
        Map<Integer, String> prev = Map.of();
        for (int t : toggles) {
            toggle(members, t);
            Map<Integer, String> next = a.assign(partitions, new ArrayList<>(members), prev, Map.of(), Map.of());
            Checks.everyPartitionOwned(partitions, members, next);
            assertThat(Checks.spread(partitions, members, next)).as("max - min").isLessThanOrEqualTo(1);
            int lowerBound = Checks.minimumMoves(partitions, members, prev);
            assertThat(Checks.moves(partitions, prev, next)).as("moves vs minimum").isLessThanOrEqualTo(lowerBound);
            prev = next;
        }
    }

    @Property(tries = 100)
    void stickyFromAnUnbalancedOrForeignPreviousIsStillMinimal(
            @ForAll @IntRange(min = 1, max = 150) int partitions,
            @ForAll @Size(min = 1, max = 150) List<@IntRange(min = 0, max = UNIVERSE + 2) Integer> previousOwners,
            @ForAll @Size(min = 1, max = UNIVERSE) Set<@IntRange(min = 0, max = UNIVERSE - 1) Integer> memberIdx) {
        // previous may come from another strategy, name instances that are gone (ids >= 10), or be partial
        Map<Integer, String> prev = new HashMap<>();
        for (int p = 0; p < Math.min(partitions, previousOwners.size()); p++) {
            prev.put(p, id(previousOwners.get(p)));
        }
        TreeSet<String> members = new TreeSet<>();
        memberIdx.forEach(i -> members.add(id(i)));
        Map<Integer, String> next = new StickyAssignor().assign(partitions, new ArrayList<>(members), prev, Map.of(), Map.of());
        Checks.everyPartitionOwned(partitions, members, next);
        assertThat(Checks.spread(partitions, members, next)).isLessThanOrEqualTo(1);
        assertThat(Checks.moves(partitions, prev, next)).isLessThanOrEqualTo(Checks.minimumMoves(partitions, members, prev));
    }

    @Property(tries = 150)
    void hashMovesOnlyWhatMembershipForces(
            @ForAll @IntRange(min = 1, max = 200) int partitions,
            @ForAll @Size(min = 1, max = 25) List<@IntRange(min = 0, max = UNIVERSE - 1) Integer> toggles) {
        HashAssignor a = new HashAssignor("orders");
        TreeSet<String> members = new TreeSet<>();
        Map<Integer, String> prev = Map.of();
        for (int t : toggles) {
            boolean joined = toggle(members, t);
            Map<Integer, String> next = a.assign(partitions, new ArrayList<>(members), prev, Map.of(), Map.of());
            Checks.everyPartitionOwned(partitions, members, next);
            for (int p = 0; p < partitions; p++) {
                String before = prev.get(p);
                String after = next.get(p);
                if (before == null || before.equals(after)) {
                    continue;
                }
                if (joined) {
                    assertThat(after).as("on a join, partition %d may only move to the new member", p).isEqualTo(id(t));
                } else {
                    assertThat(before).as("on a removal, only the lost member's partitions move (%d)", p).isEqualTo(id(t));
                }
            }
            // stateless: the result depends only on the member set, not on history or order
            List<String> shuffled = new ArrayList<>(members);
            Collections.reverse(shuffled);
            assertThat(a.assign(partitions, shuffled, Map.of(), Map.of(), Map.of())).isEqualTo(next);
            prev = next;
        }
    }

    @Property(tries = 150)
    void rangeKeepsEachMembersPartitionsContiguousInKeyOrder(
            @ForAll @IntRange(min = 1, max = 150) int partitions,
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 0, max = UNIVERSE - 1) Integer> toggles,
            @ForAll boolean shuffledRanges,
            @ForAll long seed) {
        // key ranges in a shuffled order, so key order differs from partition index order
        List<KeyRange> split = new ArrayList<>(KeyRange.split(partitions));
        if (shuffledRanges) {
            Collections.shuffle(split, new java.util.Random(seed));
        }
        Map<Integer, KeyRange> ranges = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            ranges.put(p, split.get(p));
        }
        RangeAssignor a = new RangeAssignor();
        TreeSet<String> members = new TreeSet<>();
        for (int t : toggles) {
            toggle(members, t);
            Map<Integer, String> next = a.assign(partitions, new ArrayList<>(members), Map.of(), Map.of(), ranges);
            Checks.everyPartitionOwned(partitions, members, next);
            assertThat(Checks.spread(partitions, members, next)).isLessThanOrEqualTo(1);
            // walk partitions in key order: each owner's run appears once, never interrupted
            List<Integer> keyOrder = new ArrayList<>(ranges.keySet());
            keyOrder.sort((x, y) -> Long.compare(ranges.get(x).startInclusive(), ranges.get(y).startInclusive()));
            Set<String> finished = new TreeSet<>();
            String current = null;
            for (int p : keyOrder) {
                String o = next.get(p);
                if (!java.util.Objects.equals(o, current)) {
                    assertThat(finished).as("%s owns a second, separate run", o).doesNotContain(o);
                    if (current != null) {
                        finished.add(current);
                    }
                    current = o;
                }
            }
        }
    }

    @Property(tries = 50)
    void roundRobinIsModulo(@ForAll @IntRange(min = 0, max = 100) int partitions,
                            @ForAll @Size(max = UNIVERSE) Set<@IntRange(min = 0, max = UNIVERSE - 1) Integer> idx) {
        List<String> members = new ArrayList<>();
        new TreeSet<>(idx).forEach(i -> members.add(id(i)));
        Map<Integer, String> next = new RoundRobinAssignor().assign(partitions, members, Map.of(), Map.of(), Map.of());
        for (int p = 0; p < partitions; p++) {
            assertThat(next.get(p)).isEqualTo(members.isEmpty() ? null : members.get(p % members.size()));
        }
    }

    @Provide
    Arbitrary<TopicStrategy> strategies() {
        return Arbitraries.of(TopicStrategy.class);
    }

    /** Flips membership of instance i; true if it joined. */
    private static boolean toggle(TreeSet<String> members, int i) {
        if (members.remove(id(i))) {
            return false;
        }
        members.add(id(i));
        return true;
    }

    /** Some uneven load so load_balanced has something to act on. */
    private static Map<String, InstanceLoad> load(Set<String> members) {
        Map<String, InstanceLoad> l = new HashMap<>();
        for (String m : members) {
            int k = Integer.parseInt(m.substring(m.indexOf('-') + 1));
            l.put(m, new InstanceLoad(0.1 * (k + 1), 1L << 20, 10.0 * (k % 3 + 1)));
        }
        return l;
    }
}
