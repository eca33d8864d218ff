package io.sabot.partition;

import io.sabot.spec.TopicStrategy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Balanced and sticky: every member gets floor(P/N) or ceil(P/N) partitions (max - min <= 1)
 * and the number of partitions that change owner is the minimum any balanced assignment can
 * reach. Linear time: O(P + N), two passes over the partitions and no sorting.
 *
 * <p>Why it is minimal: a balanced assignment keeps at most min(held_i, quota_i) of member i's
 * previous partitions, and exactly P mod N members get the ceil. Giving the ceil slots first to
 * members that already hold more than floor(P/N) gains one kept partition per slot, which is the
 * most any slot can gain; every other choice of slots keeps fewer or the same.
 */
public final class StickyAssignor implements Assignor {

    @Override
    public TopicStrategy strategy() {
        return TopicStrategy.sticky;
    }

    @Override
    public Map<Integer, String> assign(int partitions, List<String> members, Map<Integer, String> previous,
                                       Map<String, InstanceLoad> load, Map<Integer, KeyRange> ranges) {
        String[] m = Assignor.checkMembers(partitions, members);
        return new OwnerMap(assignArray(partitions, m, OwnerMap.toArray(previous, partitions)));
    }

    /** The algorithm on arrays; {@code prev} may name non-members (they count as gone). */
    static String[] assignArray(int partitions, String[] m, String[] prev) {
        int n = m.length;
        String[] out = new String[partitions];
        if (n == 0 || partitions == 0) {
            return out;
        }
        HashMap<String, Integer> index = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            index.put(m[i], i);
        }
        // previous owner as a member index (-1: none or gone); consecutive partitions usually
        // share an owner object, so an identity check skips most hash lookups
        int[] prevIdx = new int[partitions];
        int[] held = new int[n];
        String last = null;
        int lastIdx = -1;
        for (int p = 0; p < partitions; p++) {
            String o = prev[p];
            int i;
            if (o == null) {
                i = -1;
            } else if (o == last) {
                i = lastIdx;
            } else {
                Integer x = index.get(o);
                i = x == null ? -1 : x;
                last = o;
                lastIdx = i;
            }
            prevIdx[p] = i;
            if (i >= 0) {
                held[i]++;
            }
        }
        int floor = partitions / n;
        int ceilSlots = partitions % n;
        int[] quota = new int[n];
        for (int i = 0; i < n; i++) {
            quota[i] = floor;
            if (ceilSlots > 0 && held[i] > floor) {
                quota[i]++;
                ceilSlots--;
            }
        }
        for (int i = 0; i < n && ceilSlots > 0; i++) {
            if (quota[i] == floor) {
                quota[i]++;
                ceilSlots--;
            }
        }
        // keep previous owners up to quota; the rest are free
        int[] kept = new int[n];
        int[] free = new int[partitions];
        int nFree = 0;
        for (int p = 0; p < partitions; p++) {
            int i = prevIdx[p];
            if (i >= 0 && kept[i] < quota[i]) {
                out[p] = m[i];
                kept[i]++;
            } else {
                free[nFree++] = p;
            }
        }
        // hand free partitions, in order, to members below quota, in member order
        int f = 0;
        for (int i = 0; i < n; i++) {
            String id = m[i];
            for (int k = kept[i]; k < quota[i]; k++) {
                out[free[f++]] = id;
            }
        }
        return out;
    }
}
