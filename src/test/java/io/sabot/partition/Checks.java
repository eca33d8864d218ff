package io.sabot.partition;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions shared by the property tests, written independently of the assignors. */
final class Checks {
    private Checks() {
    }

    /** Every partition has exactly one owner from {@code members}, or none when it is empty. */
    static void everyPartitionOwned(int partitions, Set<String> members, Map<Integer, String> owners) {
        for (int p = 0; p < partitions; p++) {
            String o = owners.get(p);
            if (members.isEmpty()) {
                assertThat(o).as("owner of %d with no members", p).isNull();
            } else {
                assertThat(o).as("owner of %d", p).isNotNull();
                assertThat(members).as("owner of %d is a member", p).contains(o);
            }
        }
        for (Integer k : owners.keySet()) {
            assertThat(k).as("only partitions 0..%d", partitions - 1).isBetween(0, partitions - 1);
        }
    }

    static Map<String, Integer> counts(int partitions, Set<String> members, Map<Integer, String> owners) {
        Map<String, Integer> c = new HashMap<>();
        members.forEach(m -> c.put(m, 0));
        for (int p = 0; p < partitions; p++) {
            if (owners.get(p) != null) {
                c.merge(owners.get(p), 1, Integer::sum);
            }
        }
        return c;
    }

    static int spread(int partitions, Set<String> members, Map<Integer, String> owners) {
        Map<String, Integer> c = counts(partitions, members, owners);
        if (c.isEmpty()) {
            return 0;
        }
        int max = c.values().stream().mapToInt(Integer::intValue).max().getAsInt();
        int min = c.values().stream().mapToInt(Integer::intValue).min().getAsInt();
        return max - min;
    }

    static int moves(int partitions, Map<Integer, String> before, Map<Integer, String> after) {
        int n = 0;
        for (int p = 0; p < partitions; p++) {
            if (!Objects.equals(before.get(p), after.get(p))) {
                n++;
            }
        }
        return n;
    }

    /**
     * The fewest owner changes any balanced assignment of {@code partitions} over
     * {@code members} can have, given the previous owners, by brute force: for every choice of
     * which P mod N members get ceil(P/N), member i keeps at most min(held_i, quota_i) of its
     * partitions; everything else changes owner. Independent of the assignor's reasoning.
     */
    static int minimumMoves(int partitions, Set<String> members, Map<Integer, String> previous) {
        int n = members.size();
        if (n == 0) {
            int owned = 0;
            for (int p = 0; p < partitions; p++) {
                if (previous.get(p) != null) {
                    owned++;
                }
            }
            return owned;
        }
        if (n > 16) {
            throw new IllegalArgumentException("brute force is for small member counts");
        }
        int[] held = new int[n];
        int i = 0;
        for (String m : members) {
            for (int p = 0; p < partitions; p++) {
                if (m.equals(previous.get(p))) {
                    held[i]++;
                }
            }
            i++;
        }
        int floor = partitions / n;
        int r = partitions % n;
        int bestKept = 0;
        for (int mask = 0; mask < (1 << n); mask++) {
            if (Integer.bitCount(mask) != r) {
                continue;
            }
            int kept = 0;
            for (int k = 0; k < n; k++) {
                int quota = (mask & (1 << k)) != 0 ? floor + 1 : floor;
                kept += Math.min(held[k], quota);
            }
            bestKept = Math.max(bestKept, kept);
        }
        return partitions - bestKept;
    }
}
