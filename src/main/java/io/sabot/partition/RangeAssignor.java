package io.sabot.partition;

import io.sabot.spec.TopicStrategy;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Contiguous runs of partitions in key order: member k (in the given order) gets the k-th run,
 * and run sizes differ by at most one (the first P mod N runs get one more). Key order is the
 * order of the partitions' key-range starts; partitions without a range come after, by index,
 * so with no ranges key order is index order. Keeps locality for range scans, not history.
 */
public final class RangeAssignor implements Assignor {

    @Override
    public TopicStrategy strategy() {
        return TopicStrategy.range;
    }

    @Override
    public Map<Integer, String> assign(int partitions, List<String> members, Map<Integer, String> previous,
                                       Map<String, InstanceLoad> load, Map<Integer, KeyRange> ranges) {
        String[] m = Assignor.checkMembers(partitions, members);
        int n = m.length;
        String[] out = new String[partitions];
        if (n == 0 || partitions == 0) {
            return new OwnerMap(out);
        }
        Integer[] order = keyOrder(partitions, ranges);
        int floor = partitions / n;
        int extra = partitions % n;
        int k = 0;
        for (int i = 0; i < n; i++) {
            int size = floor + (i < extra ? 1 : 0);
            for (int j = 0; j < size; j++) {
                out[order[k++]] = m[i];
            }
        }
        return new OwnerMap(out);
    }

    /** Partitions sorted by key-range start; unranged ones last, by index. */
    static Integer[] keyOrder(int partitions, Map<Integer, KeyRange> ranges) {
        Integer[] order = new Integer[partitions];
        for (int p = 0; p < partitions; p++) {
            order[p] = p;
        }
        if (ranges != null && !ranges.isEmpty()) {
            Arrays.sort(order, Comparator
                    .comparing((Integer p) -> ranges.get(p) == null)
                    .thenComparingLong(p -> ranges.get(p) == null ? p : ranges.get(p).startInclusive())
                    .thenComparingInt(p -> p));
        }
        return order;
    }
}
