package io.sabot.partition;

import io.sabot.spec.TopicStrategy;
import java.util.List;
import java.util.Map;

/**
 * Rendezvous (highest-random-weight) hashing: partition p goes to the member with the highest
 * score mix(hash(topic, p) ^ hash(member)). Because each partition's choice depends only on the
 * scores of the members present, removing a member moves only its partitions and adding one
 * moves only the partitions it now wins. Cost O(P * N) score evaluations, no state.
 */
public final class HashAssignor implements Assignor {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private final long topicSeed;

    /** Seeds the partition hashes with the topic so two topics do not land identically. */
    public HashAssignor(String topic) {
        this.topicSeed = hashString(topic == null ? "" : topic);
    }

    public HashAssignor() {
        this("");
    }

    @Override
    public TopicStrategy strategy() {
        return TopicStrategy.hash;
    }

    @Override
    public Map<Integer, String> assign(int partitions, List<String> members, Map<Integer, String> previous,
                                       Map<String, InstanceLoad> load, Map<Integer, KeyRange> ranges) {
        String[] m = Assignor.checkMembers(partitions, members);
        int n = m.length;
        String[] out = new String[partitions];
        if (n == 0) {
            return new OwnerMap(out);
        }
        long[] mh = new long[n];
        for (int i = 0; i < n; i++) {
            mh[i] = hashString(m[i]);
        }
        for (int p = 0; p < partitions; p++) {
            long ph = mix64(topicSeed + (p + 1L) * GOLDEN);
            int best = 0;
            long bestScore = mix64(ph ^ mh[0]);
            for (int i = 1; i < n; i++) {
                long s = mix64(ph ^ mh[i]);
                // ties (astronomically rare) go to the smaller id, so the result is order-free
                if (s > bestScore || (s == bestScore && m[i].compareTo(m[best]) < 0)) {
                    bestScore = s;
                    best = i;
                }
            }
            out[p] = m[best];
        }
        return new OwnerMap(out);
    }

    /** murmur3's 64-bit finalizer: a bijection with full avalanche. */
    static long mix64(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /** FNV-1a over the UTF-16 chars, then mixed: stable across JVMs, unlike String.hashCode's 32 bits. */
    static long hashString(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return mix64(h);
    }
}
