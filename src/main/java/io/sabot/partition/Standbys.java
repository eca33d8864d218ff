package io.sabot.partition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Standby placement: for each partition, an instance of the group other than its owner that keeps
 * a warm copy of the partition's state stores, and the assignor's preference for it.
 *
 * <p>Guarantees ({@code StandbysTest}):
 * <ul>
 *   <li>A standby is a healthy member and never the partition's owner; with fewer than two
 *       members no partition has one.</li>
 *   <li>Sticky: a partition keeps its standby while that instance is healthy and not its owner,
 *       so the warm copy is not thrown away at every rebalance.</li>
 *   <li>A partition whose owner is gone is offered to its standby first: {@link #preferStandbys}
 *       gives the assignors the standby as the previous owner, and every assignor that is sticky
 *       keeps a partition with its previous owner when it can.</li>
 * </ul>
 */
public final class Standbys {
    private Standbys() {}

    /**
     * The standby of each partition (null: none).
     *
     * @param owners   owner per partition (null: unassigned)
     * @param members  healthy members, sorted
     * @param previous the previous standbys (may be null or shorter)
     */
    public static String[] choose(String[] owners, List<String> members, String[] previous) {
        String[] out = new String[owners.length];
        if (members.size() < 2) return out;
        Set<String> alive = Set.copyOf(members);
        Map<String, Integer> count = new HashMap<>();
        for (int p = 0; p < owners.length; p++) {
            String prev = previous != null && p < previous.length ? previous[p] : null;
            if (prev != null && alive.contains(prev) && !prev.equals(owners[p])) {
                out[p] = prev;
                count.merge(prev, 1, Integer::sum);
            }
        }
        for (int p = 0; p < owners.length; p++) {
            if (out[p] != null || owners[p] == null) continue;
            // the least loaded standby holder other than the owner (ties: the member after the owner)
            int start = Math.max(0, members.indexOf(owners[p]));
            String best = null;
            for (int i = 1; i <= members.size(); i++) {
                String m = members.get((start + i) % members.size());
                if (m.equals(owners[p])) continue;
                if (best == null || count.getOrDefault(m, 0) < count.getOrDefault(best, 0)) best = m;
            }
            out[p] = best;
            if (best != null) count.merge(best, 1, Integer::sum);
        }
        return out;
    }

    /**
     * The previous owners the assignor should see: a partition whose owner is not a healthy member
     * any more but whose standby is appears as the standby's, so it moves there.
     */
    public static Map<Integer, String> preferStandbys(Map<Integer, String> previous, String[] standbys, Set<String> members) {
        if (standbys == null) return previous;
        Map<Integer, String> out = new HashMap<>(previous);
        for (int p = 0; p < standbys.length; p++) {
            String owner = out.get(p);
            String s = standbys[p];
            if (s != null && members.contains(s) && (owner == null || !members.contains(owner))) out.put(p, s);
        }
        return out;
    }

    /** The partitions {@code instance} is the standby of. */
    public static List<Integer> of(String[] standbys, String instance) {
        java.util.ArrayList<Integer> out = new java.util.ArrayList<>();
        if (standbys == null) return out;
        for (int p = 0; p < standbys.length; p++) if (instance.equals(standbys[p])) out.add(p);
        return out;
    }
}
