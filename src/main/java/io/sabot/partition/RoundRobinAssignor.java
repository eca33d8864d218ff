package io.sabot.partition;

import io.sabot.spec.TopicStrategy;
import java.util.List;
import java.util.Map;

/** Partition i goes to members[i mod N]. Stateless and balanced, but ignores history. */
public final class RoundRobinAssignor implements Assignor {

    @Override
    public TopicStrategy strategy() {
        return TopicStrategy.round_robin;
    }

    @Override
    public Map<Integer, String> assign(int partitions, List<String> members, Map<Integer, String> previous,
                                       Map<String, InstanceLoad> load, Map<Integer, KeyRange> ranges) {
        String[] m = Assignor.checkMembers(partitions, members);
        String[] out = new String[partitions];
        if (m.length > 0) {
            for (int p = 0; p < partitions; p++) {
                out[p] = m[p % m.length];
            }
        }
        return new OwnerMap(out);
    }
}
