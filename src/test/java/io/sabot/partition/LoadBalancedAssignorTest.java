package io.sabot.partition;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class LoadBalancedAssignorTest {

    private static List<String> members(int n) {
        List<String> m = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            m.add("w-" + i);
        }
        return m;
    }

    /** Loads within the bound: nothing moves, however often it is asked (no flapping). */
    @Property(tries = 200)
    void withinTheBoundNothingMoves(@ForAll @IntRange(min = 1, max = 100) int partitions,
                                    @ForAll @IntRange(min = 1, max = 8) int n,
                                    @ForAll @Size(min = 8, max = 8) List<@DoubleRange(min = 100, max = 115) Double> rates,
                                    @ForAll @Size(min = 8, max = 8) List<@DoubleRange(min = 1.0, max = 1.15) Double> cpus) {
        List<String> m = members(n);
        Map<Integer, String> prev = new StickyAssignor().assign(partitions, m, Map.of(), Map.of(), Map.of());
        Map<String, InstanceLoad> load = new HashMap<>();
        for (int i = 0; i < n; i++) {
            // every instance within [1.0, 1.15] x of the smallest, so max <= 1.15 x mean < 1.25 x mean
            load.put(m.get(i), new InstanceLoad(cpus.get(i), 0, rates.get(i)));
        }
        LoadBalancedAssignor a = new LoadBalancedAssignor();
        Map<Integer, String> next = a.assign(partitions, m, prev, load, Map.of());
        assertThat(Checks.moves(partitions, prev, next)).isZero();
        // asking again with the same data gives the same answer
        assertThat(a.assign(partitions, m, next, load, Map.of())).isEqualTo(next);
    }

    /** One instance far above the mean: partitions move off it and the highest load drops. */
    @Property(tries = 150)
    void farOutOfBoundsReducesTheMaximum(@ForAll @IntRange(min = 8, max = 120) int partitions,
                                         @ForAll @IntRange(min = 2, max = 8) int n,
                                         @ForAll @DoubleRange(min = 3, max = 20) double factor,
                                         @ForAll @IntRange(min = 0, max = 7) int hotIdx) {
        List<String> m = members(n);
        int hot = hotIdx % n;
        Map<Integer, String> prev = new StickyAssignor().assign(partitions, m, Map.of(), Map.of(), Map.of());
        // with one partition the hot instance's load cannot be split: nothing can lower the max
        net.jqwik.api.Assume.that(prev.values().stream().filter(m.get(hot)::equals).count() >= 2);
        Map<String, InstanceLoad> load = new HashMap<>();
        for (int i = 0; i < n; i++) {
            double f = i == hot ? factor : 1.0;
            load.put(m.get(i), new InstanceLoad(0.2 * f, 0, 100 * f));
        }
        Map<Integer, String> next = new LoadBalancedAssignor().assign(partitions, m, prev, load, Map.of());
        Checks.everyPartitionOwned(partitions, new TreeSet<>(m), next);
        double[] before = LoadBalancedAssignor.estimatedLoads(m, prev, load, prev, partitions);
        double[] after = LoadBalancedAssignor.estimatedLoads(m, prev, load, next, partitions);
        double maxBefore = java.util.Arrays.stream(before).max().getAsDouble();
        double maxAfter = java.util.Arrays.stream(after).max().getAsDouble();
        assertThat(maxAfter).isLessThan(maxBefore);
        assertThat(Checks.moves(partitions, prev, next)).isPositive();
        // far fewer moves than a fresh assignment: only what is needed to shed the excess
        assertThat(Checks.moves(partitions, prev, next)).isLessThan(partitions);
        // it stops at the target, or where no single move lowers the maximum any more
        double mean = java.util.Arrays.stream(after).average().getAsDouble();
        double maxCost = 0;
        for (int i = 0; i < n; i++) {
            String id = m.get(i);
            maxCost = Math.max(maxCost, before[i] / prev.values().stream().filter(id::equals).count());
        }
        assertThat(maxAfter).isLessThanOrEqualTo(Math.max(LoadBalancedAssignor.DEFAULT_TARGET * mean, mean + maxCost) + 1e-9);
    }

    @Test
    void withoutLoadDataItIsSticky() {
        List<String> m = members(5);
        Map<Integer, String> prev = new RoundRobinAssignor().assign(37, members(6), Map.of(), Map.of(), Map.of());
        Map<Integer, String> lb = new LoadBalancedAssignor().assign(37, m, prev, Map.of(), Map.of());
        Map<Integer, String> st = new StickyAssignor().assign(37, m, prev, Map.of(), Map.of());
        assertThat(lb).isEqualTo(st);
    }

    @Test
    void orphanedPartitionsGoToTheLeastLoadedAndANewMemberGetsWork() {
        List<String> old = members(3);
        Map<Integer, String> prev = new StickyAssignor().assign(30, old, Map.of(), Map.of(), Map.of());
        List<String> m = new ArrayList<>(old);
        m.remove("w-0"); // died
        m.add("w-9");    // new, idle
        Map<String, InstanceLoad> load = Map.of(
                "w-1", new InstanceLoad(1.0, 0, 500),
                "w-2", new InstanceLoad(1.0, 0, 500),
                "w-9", new InstanceLoad(0.01, 0, 0));
        Map<Integer, String> next = new LoadBalancedAssignor().assign(30, m, prev, load, Map.of());
        Checks.everyPartitionOwned(30, new TreeSet<>(m), next);
        assertThat(next.values().stream().filter("w-9"::equals).count()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void badBoundsAreNamed() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LoadBalancedAssignor(0.9, 0.9))
                .hasMessageContaining("trigger").hasMessageContaining("0.9");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LoadBalancedAssignor(1.25, 1.5))
                .hasMessageContaining("target").hasMessageContaining("1.5");
    }
}
