package io.sabot.partition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What moving from the partitions' current holders to a new assignment takes (KIP-429 style):
 * a partition held by another instance is first revoked from it, and its new owner gets it only
 * after that holder acks the revoke (its offsets committed) or is declared dead. A partition
 * nobody holds goes to its new owner at once.
 *
 * @param revoke    revokes to send now: holder -> partitions it must give up
 * @param assignNow assigns to send now: new owner -> partitions nobody holds
 * @param awaiting  partitions whose new owner waits: partition -> holder whose ack is awaited
 *                  (includes partitions already being revoked for an earlier epoch)
 */
public record HandoffPlan(String topic, long epoch, Map<String, List<Integer>> revoke,
                          Map<String, List<Integer>> assignNow, Map<Integer, String> awaiting) {

    /**
     * @param holder      current holder per partition (null: nobody)
     * @param revoking    per partition: a revoke was already sent to its holder, not yet acked
     * @param next        the new assignment
     * @param alive       whether a new owner may be sent partitions now
     */
    public static HandoffPlan between(String[] holder, boolean[] revoking, PartitionAssignment next,
                                      Predicate<String> alive) {
        // hash maps while scanning (P lookups), sorted once at the end (N entries)
        HashMap<String, List<Integer>> revoke = new HashMap<>();
        HashMap<String, List<Integer>> assignNow = new HashMap<>();
        TreeMap<Integer, String> awaiting = new TreeMap<>();
        int n = next.partitionCount();
        String lastOwner = null; // owners come in runs: skip the map lookup and the alive test
        List<Integer> lastList = null;
        for (int p = 0; p < n; p++) {
            String h = p < holder.length ? holder[p] : null;
            String o = next.owner(p);
            boolean inRevoke = p < revoking.length && revoking[p];
            if (h == null) {
                if (o != null && o == lastOwner) {
                    lastList.add(p);
                } else if (o != null && alive.test(o)) {
                    lastOwner = o;
                    lastList = assignNow.computeIfAbsent(o, k -> new ArrayList<>());
                    lastList.add(p);
                }
            } else if (inRevoke) {
                awaiting.put(p, h); // already told to let go; whoever owns p then gets it
            } else if (!h.equals(o)) {
                revoke.computeIfAbsent(h, k -> new ArrayList<>()).add(p);
                awaiting.put(p, h);
            }
        }
        return new HandoffPlan(next.topic(), next.epoch(), freeze(revoke), freeze(assignNow),
                Collections.unmodifiableMap(awaiting));
    }

    private static Map<String, List<Integer>> freeze(HashMap<String, List<Integer>> m) {
        TreeMap<String, List<Integer>> sorted = new TreeMap<>();
        m.forEach((k, v) -> sorted.put(k, Collections.unmodifiableList(v)));
        return Collections.unmodifiableMap(sorted);
    }

    public boolean isEmpty() {
        return revoke.isEmpty() && assignNow.isEmpty() && awaiting.isEmpty();
    }
}
