package io.sabot.partition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntToLongFunction;
import java.util.function.Predicate;

/**
 * The handoff state machine of one topic: who holds each partition right now, from the
 * manager's point of view, and which revokes are outstanding. It never records two holders for
 * a partition: a partition leaves its holder only on that holder's revoke ack or death, and only
 * then is it assigned to its owner in the current target assignment.
 *
 * <p>Per partition: FREE -(assign to target owner)-> HELD -(target moves it: revoke)->
 * REVOKING -(ack or holder dead)-> FREE -> ... Not thread-safe: {@link PartitionManager}
 * drives it under its lock. Every input returns the messages to send, in order.
 */
public final class Handoff {

    /** A message to send to an instance. */
    public sealed interface Action permits Revoke, Assign {
        String instance();
    }

    public record Revoke(String instance, String topic, long epoch, List<Integer> partitions) implements Action {
    }

    public record Assign(String instance, String topic, long epoch, List<PartitionStart> partitions) implements Action {
    }

    private final String topic;
    private String[] holder;
    private long[] revokeEpoch; // epoch of the revoke sent to holder[p]; 0 = none outstanding
    private PartitionAssignment target;

    public Handoff(String topic, int partitions) {
        this.topic = topic;
        this.holder = new String[partitions];
        this.revokeEpoch = new long[partitions];
    }

    /** Room for partitions added to the topic; they start FREE. */
    public void grow(int partitions) {
        if (partitions > holder.length) {
            holder = Arrays.copyOf(holder, partitions);
            revokeEpoch = Arrays.copyOf(revokeEpoch, partitions);
        }
    }

    /** The plan from the current holders to {@code next}, without applying it. */
    public HandoffPlan plan(PartitionAssignment next, Predicate<String> alive) {
        boolean[] revoking = new boolean[holder.length];
        for (int p = 0; p < holder.length; p++) {
            revoking[p] = revokeEpoch[p] != 0;
        }
        return HandoffPlan.between(holder, revoking, next, alive);
    }

    /** Makes {@code next} the target: revokes what moves away, assigns what nobody holds. */
    public List<Action> retarget(PartitionAssignment next, Predicate<String> alive, IntToLongFunction offsets) {
        grow(next.partitionCount());
        HandoffPlan plan = plan(next, alive);
        this.target = next;
        List<Action> out = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : plan.revoke().entrySet()) {
            for (int p : e.getValue()) {
                revokeEpoch[p] = next.epoch();
            }
            out.add(new Revoke(e.getKey(), topic, next.epoch(), e.getValue()));
        }
        for (Map.Entry<String, List<Integer>> e : plan.assignNow().entrySet()) {
            out.add(assign(e.getKey(), e.getValue(), offsets));
        }
        return out;
    }

    /**
     * {@code instance} acked the revoke of {@code epoch} (offsets committed): every partition it
     * was told to revoke at that epoch or earlier is free and goes to its current owner, if alive.
     * A stale or unknown ack changes nothing.
     */
    public List<Action> onRevokeAck(String instance, long epoch, Predicate<String> alive, IntToLongFunction offsets) {
        List<Integer> freed = new ArrayList<>();
        for (int p = 0; p < holder.length; p++) {
            if (instance.equals(holder[p]) && revokeEpoch[p] != 0 && revokeEpoch[p] <= epoch) {
                freed.add(p);
            }
        }
        return release(freed, alive, offsets);
    }

    /** {@code instance} is gone: everything it held is free. */
    public List<Action> onDead(String instance, Predicate<String> alive, IntToLongFunction offsets) {
        List<Integer> freed = new ArrayList<>();
        for (int p = 0; p < holder.length; p++) {
            if (instance.equals(holder[p])) {
                freed.add(p);
            }
        }
        return release(freed, p -> !p.equals(instance) && alive.test(p), offsets);
    }

    /** Revokes everything held (the topic is being removed); the state is unusable after. */
    public List<Action> revokeAll(long epoch) {
        TreeMap<String, List<Integer>> by = new TreeMap<>();
        for (int p = 0; p < holder.length; p++) {
            if (holder[p] != null && revokeEpoch[p] == 0) {
                by.computeIfAbsent(holder[p], k -> new ArrayList<>()).add(p);
            }
        }
        List<Action> out = new ArrayList<>();
        by.forEach((i, ps) -> out.add(new Revoke(i, topic, epoch, Collections.unmodifiableList(ps))));
        return out;
    }

    private List<Action> release(List<Integer> freed, Predicate<String> alive, IntToLongFunction offsets) {
        TreeMap<String, List<Integer>> give = new TreeMap<>();
        for (int p : freed) {
            holder[p] = null;
            revokeEpoch[p] = 0;
            String o = target == null ? null : target.owner(p);
            if (o != null && alive.test(o)) {
                give.computeIfAbsent(o, k -> new ArrayList<>()).add(p);
            }
        }
        List<Action> out = new ArrayList<>();
        give.forEach((o, ps) -> out.add(assign(o, ps, offsets)));
        return out;
    }

    private Assign assign(String instance, List<Integer> ps, IntToLongFunction offsets) {
        List<PartitionStart> starts = new ArrayList<>(ps.size());
        for (int p : ps) {
            holder[p] = instance;
            revokeEpoch[p] = 0;
            starts.add(new PartitionStart(p, offsets.applyAsLong(p)));
        }
        return new Assign(instance, topic, target.epoch(), Collections.unmodifiableList(starts));
    }

    /** Who holds the partition now (may differ from the target owner during a handoff). */
    public String holderOf(int partition) {
        return partition >= 0 && partition < holder.length ? holder[partition] : null;
    }

    public boolean isRevoking(int partition) {
        return partition >= 0 && partition < holder.length && revokeEpoch[partition] != 0;
    }

    /** True if {@code instance} still has to ack a revoke sent at {@code epoch} or earlier. */
    public boolean awaitsAck(String instance, long epoch) {
        for (int p = 0; p < holder.length; p++) {
            if (revokeEpoch[p] != 0 && revokeEpoch[p] <= epoch && instance.equals(holder[p])) {
                return true;
            }
        }
        return false;
    }

    /** Instances with an outstanding revoke and the highest epoch they must ack. */
    public Map<String, Long> pendingRevokes() {
        TreeMap<String, Long> out = new TreeMap<>();
        for (int p = 0; p < holder.length; p++) {
            if (revokeEpoch[p] != 0) {
                out.merge(holder[p], revokeEpoch[p], Math::max);
            }
        }
        return out;
    }

    /** Instances holding at least one partition. */
    public TreeSet<String> holders() {
        TreeSet<String> out = new TreeSet<>();
        for (String h : holder) {
            if (h != null) {
                out.add(h);
            }
        }
        return out;
    }

    /** True when every partition is held by its target owner and nothing is being revoked. */
    public boolean isSettled() {
        if (target == null) {
            return true;
        }
        for (int p = 0; p < holder.length; p++) {
            if (revokeEpoch[p] != 0 || !java.util.Objects.equals(holder[p], target.owner(p))) {
                return false;
            }
        }
        return true;
    }
}
