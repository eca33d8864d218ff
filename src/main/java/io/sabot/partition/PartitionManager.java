package io.sabot.partition;

import io.sabot.spec.TopicStrategy;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntToLongFunction;
import java.util.function.LongSupplier;

/**
 * One consumer group's view of its topics: their partitions, which of the group's instances owns
 * each, the safe handoff between owners, the group's committed offsets and lag. Engine
 * independent: the engine feeds it membership, load, acks, commits and deaths, and receives
 * revoke/assign messages through an {@link AssignmentSink}. Several groups on one topic each have
 * a manager of their own ({@link ConsumerGroups}), so epochs, offsets, lag and rebalances are per
 * (group, topic, partition), and each group gets every partition of the topic.
 *
 * <p>Thread-safe. All state sits behind one lock; messages and listener calls are queued
 * under the lock and delivered after it is released, by one thread at a time, in the order
 * they were decided. So a sink or listener may call back into the manager, and a slow sink
 * never holds the lock.
 *
 * <p>Membership changes do not rebalance on their own: each one calls
 * {@link #requestRebalance}, which coalesces a burst (say ten instances failing together) into
 * one rebalance after {@link Options#debounceMs()}. {@link #rebalance} is the immediate path.
 */
public final class PartitionManager implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PartitionManager.class.getName());
    private static final int MAX_REASONS = 5;

    /**
     * @param debounceMs      delay between the first {@code requestRebalance} and the rebalance
     * @param revokeTimeoutMs an instance that has not acked a revoke after this long is dead
     */
    public record Options(long debounceMs, long revokeTimeoutMs) {
        public static final Options DEFAULTS = new Options(75, 10_000);

        public Options {
            if (debounceMs < 0) {
                throw new IllegalArgumentException("debounceMs: must be >= 0, got " + debounceMs);
            }
            if (revokeTimeoutMs <= 0) {
                throw new IllegalArgumentException("revokeTimeoutMs: must be > 0, got " + revokeTimeoutMs);
            }
        }
    }

    private final Object lock = new Object();
    private final String group;
    private final AssignmentSink sink;
    private final Options options;
    private final Scheduler scheduler;
    private final boolean ownsScheduler;
    private final LongSupplier clock;
    private final CopyOnWriteArrayList<AssignmentListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, InstanceLoad> loads = new ConcurrentHashMap<>();

    // guarded by lock
    private final TreeMap<String, TopicState> topics = new TreeMap<>();
    private final ArrayDeque<Outgoing> outbox = new ArrayDeque<>();
    /** Bumped on each death of an instance id: messages decided for an earlier life are dropped. */
    private final HashMap<String, Long> incarnation = new HashMap<>();
    private long timerSeq;
    private boolean closed;

    private final ReentrantLock delivering = new ReentrantLock();

    /**
     * A queued call to the sink or a listener. {@code instance} is set for messages to an
     * instance: they are dropped if it died after they were decided (a restarted process
     * under the same id must not get its predecessor's assign).
     */
    private record Outgoing(String instance, long incarnation, Runnable call) {
    }

    /** Per-topic state; every field guarded by {@link #lock}. */
    private static final class TopicState {
        TopicConfig config;
        final long originEpochMs;
        final TreeSet<String> members = new TreeSet<>();
        final List<KeyRange> ranges = new ArrayList<>();
        long[] committed;
        /** Kafka topics: the broker's log-end offset per partition (null: the generated stream's clock decides). */
        long[] logEnd;
        double[] logRate;
        /** Kafka topics: false while the cluster cannot be reached (the last log ends are stale). */
        boolean reachable = true;
        PartitionAssignment assignment;
        /** Standby per partition (null: none kept; {@link Standbys}). */
        String[] standbys;
        final Handoff handoff;
        // debounce
        Scheduler.Cancellable pendingTimer;
        long pendingToken;
        final LinkedHashSet<String> pendingReasons = new LinkedHashSet<>();

        TopicState(String group, TopicConfig config, long originEpochMs, long epoch, Instant now) {
            this.config = config;
            this.originEpochMs = originEpochMs;
            this.ranges.addAll(KeyRange.split(config.partitions()));
            this.committed = new long[config.partitions()];
            this.assignment = new PartitionAssignment(group, epoch, config.name(), new String[config.partitions()],
                    List.of(), config.strategy(), "created", now, null);
            this.handoff = new Handoff(config.name(), config.partitions());
        }

        IntToLongFunction offsets() {
            return p -> committed[p];
        }
    }

    /** Defaults: 75 ms debounce, 10 s revoke timeout, a daemon scheduler thread, the wall clock. */
    public PartitionManager(AssignmentSink sink) {
        this(sink, Options.DEFAULTS);
    }

    public PartitionManager(AssignmentSink sink, Options options) {
        this(sink, options, Scheduler.daemon("sabot-partitions"), System::currentTimeMillis, true);
    }

    /** For tests and embedding: the caller owns {@code scheduler} and the clock (epoch ms). */
    public PartitionManager(AssignmentSink sink, Options options, Scheduler scheduler, LongSupplier clockMs) {
        this(null, sink, options, scheduler, clockMs, false);
    }

    /** The manager of consumer group {@code group}; the caller owns {@code scheduler} and the clock. */
    public PartitionManager(String group, AssignmentSink sink, Options options, Scheduler scheduler, LongSupplier clockMs) {
        this(group, sink, options, scheduler, clockMs, false);
    }

    private PartitionManager(AssignmentSink sink, Options options, Scheduler scheduler, LongSupplier clockMs,
                             boolean ownsScheduler) {
        this(null, sink, options, scheduler, clockMs, ownsScheduler);
    }

    private PartitionManager(String group, AssignmentSink sink, Options options, Scheduler scheduler, LongSupplier clockMs,
                             boolean ownsScheduler) {
        this.group = group;
        this.sink = sink == null ? AssignmentSink.NONE : sink;
        this.options = options == null ? Options.DEFAULTS : options;
        this.scheduler = scheduler;
        this.clock = clockMs;
        this.ownsScheduler = ownsScheduler;
    }

    public Options options() {
        return options;
    }

    /** The consumer group this manager decides for (null for a manager used on its own). */
    public String group() {
        return group;
    }

    /** Standby replicas per partition (0: none); read under the lock at each rebalance. */
    private volatile int standbys;

    /** Keep {@code n} standby replicas per partition (0 or 1: at most one is placed). Takes effect at the next rebalance. */
    public void setStandbys(int n) {
        standbys = Math.max(0, n);
    }

    public int standbys() {
        return standbys;
    }

    /** The standby of each partition of {@code topic} (empty: none). */
    public Map<Integer, String> standbysOf(String topic) {
        synchronized (lock) {
            TopicState t = topics.get(topic);
            Map<Integer, String> out = new java.util.TreeMap<>();
            if (t == null || t.standbys == null) return out;
            for (int p = 0; p < t.standbys.length; p++) if (t.standbys[p] != null) out.put(p, t.standbys[p]);
            return out;
        }
    }

    public void addListener(AssignmentListener l) {
        listeners.add(l);
    }

    public void removeListener(AssignmentListener l) {
        listeners.remove(l);
    }

    // ---- topics -------------------------------------------------------------------------

    /** Adds a topic whose generated stream starts now; epoch 0, nothing assigned. */
    public void addTopic(TopicConfig config) {
        addTopic(config, clock.getAsLong());
    }

    /** Adds a topic whose generated stream started at {@code originEpochMs}. */
    public void addTopic(TopicConfig config, long originEpochMs) {
        addTopic(config, originEpochMs, 0);
    }

    /**
     * Adds a topic whose assignments continue from {@code lastEpoch} (the latest stored epoch,
     * when an engine restarts), so epochs keep increasing across engine lifetimes.
     */
    public void addTopic(TopicConfig config, long originEpochMs, long lastEpoch) {
        if (config == null) {
            throw new IllegalArgumentException("topic: must not be null");
        }
        synchronized (lock) {
            checkOpen();
            if (topics.containsKey(config.name())) {
                throw new IllegalArgumentException("topic '" + config.name() + "': already exists");
            }
            topics.put(config.name(), new TopicState(group, config, originEpochMs, Math.max(0, lastEpoch), Instant.ofEpochMilli(clock.getAsLong())));
        }
    }

    /** Forgets a topic; its holders are told to revoke everything (epoch + 1). */
    public boolean removeTopic(String topic) {
        synchronized (lock) {
            TopicState t = topics.remove(topic);
            if (t == null) {
                return false;
            }
            cancelPending(t);
            enqueue(t.handoff.revokeAll(t.assignment.epoch() + 1));
        }
        deliver();
        return true;
    }

    public List<TopicConfig> topics() {
        synchronized (lock) {
            List<TopicConfig> out = new ArrayList<>();
            topics.values().forEach(t -> out.add(t.config));
            return out;
        }
    }

    public Optional<TopicConfig> topic(String topic) {
        synchronized (lock) {
            TopicState t = topics.get(topic);
            return t == null ? Optional.empty() : Optional.of(t.config);
        }
    }

    public long originEpochMs(String topic) {
        synchronized (lock) {
            return state(topic).originEpochMs;
        }
    }

    /** Changes the topic's strategy for all later rebalances (does not rebalance by itself). */
    public void setStrategy(String topic, TopicStrategy strategy) {
        if (strategy == null) {
            throw new IllegalArgumentException("strategy: must not be null; allowed: " + TopicStrategy.allowed());
        }
        synchronized (lock) {
            TopicState t = state(topic);
            t.config = t.config.withStrategy(strategy);
        }
    }

    /**
     * Adds one partition (the design's {@code add_partition(id, key_range)}) and requests a
     * rebalance. With a key range, the new partition takes those keys from the partitions
     * that held them; it may not split one partition's range in two or swallow one whole.
     *
     * @return the new partition's number
     */
    public int addPartition(String topic, KeyRange range) {
        int p;
        synchronized (lock) {
            TopicState t = state(topic);
            if (t.config.partitions() >= TopicConfig.MAX_PARTITIONS) {
                throw new IllegalArgumentException("topic '" + topic + "': partitions cannot exceed " + TopicConfig.MAX_PARTITIONS);
            }
            p = t.config.partitions();
            List<KeyRange> next = new ArrayList<>(t.ranges);
            if (range != null) {
                for (int i = 0; i < next.size(); i++) {
                    KeyRange r = next.get(i);
                    if (r == null || !r.overlaps(range)) {
                        continue;
                    }
                    boolean coversStart = range.startInclusive() <= r.startInclusive();
                    boolean coversEnd = range.endExclusive() >= r.endExclusive();
                    if (coversStart && coversEnd) {
                        throw new IllegalArgumentException("keyRange " + range + ": would take every key of "
                                + topic + ":" + i + " " + r);
                    }
                    if (!coversStart && !coversEnd) {
                        throw new IllegalArgumentException("keyRange " + range + ": would split "
                                + topic + ":" + i + " " + r + " in two; take its start or its end");
                    }
                    next.set(i, coversStart ? new KeyRange(range.endExclusive(), r.endExclusive())
                            : new KeyRange(r.startInclusive(), range.startInclusive()));
                }
            }
            next.add(range);
            t.ranges.clear();
            t.ranges.addAll(next);
            t.config = t.config.withPartitions(p + 1);
            t.committed = Arrays.copyOf(t.committed, p + 1);
            t.handoff.grow(p + 1);
        }
        requestRebalance(topic, "partition " + topic + ":" + p + " added");
        return p;
    }

    /** The partition's key range, or null when it has none. */
    public KeyRange keyRange(String topic, int partition) {
        synchronized (lock) {
            TopicState t = state(topic);
            checkPartition(t, partition);
            return t.ranges.get(partition);
        }
    }

    /** The partition whose key range holds {@code keyPoint}, or -1. */
    public int partitionForKey(String topic, long keyPoint) {
        synchronized (lock) {
            List<KeyRange> rs = state(topic).ranges;
            for (int p = 0; p < rs.size(); p++) {
                if (rs.get(p) != null && rs.get(p).contains(keyPoint)) {
                    return p;
                }
            }
            return -1;
        }
    }

    // ---- membership and load --------------------------------------------------------------

    /** Replaces the topic's healthy instances; requests a rebalance if the set changed. */
    public void setMembers(String topic, Collection<String> healthyInstanceIds) {
        TreeSet<String> next = new TreeSet<>();
        for (String id : healthyInstanceIds) {
            next.add(checkId(id));
        }
        String reason = null;
        synchronized (lock) {
            TopicState t = state(topic);
            if (!t.members.equals(next)) {
                TreeSet<String> added = new TreeSet<>(next);
                added.removeAll(t.members);
                TreeSet<String> removed = new TreeSet<>(t.members);
                removed.removeAll(next);
                t.members.clear();
                t.members.addAll(next);
                reason = "members changed: +" + added + " -" + removed;
            }
        }
        if (reason != null) {
            requestRebalance(topic, reason);
        }
    }

    /** An instance became healthy; requests a rebalance if it is new to the topic. */
    public void memberUp(String topic, String instance) {
        boolean changed;
        synchronized (lock) {
            changed = state(topic).members.add(checkId(instance));
        }
        if (changed) {
            requestRebalance(topic, "instance " + instance + " up");
        }
    }

    /**
     * An instance is no longer healthy (but may be alive: it keeps what it holds until it acks
     * a revoke or dies); requests a rebalance if it was a member.
     */
    public void memberDown(String topic, String instance) {
        boolean changed;
        synchronized (lock) {
            changed = state(topic).members.remove(instance);
        }
        if (changed) {
            requestRebalance(topic, "instance " + instance + " down");
        }
    }

    public List<String> members(String topic) {
        synchronized (lock) {
            return List.copyOf(state(topic).members);
        }
    }

    /** Latest measured load of an instance (the design's {@code update_agent_load}). */
    public void updateLoad(String instance, InstanceLoad load) {
        checkId(instance);
        if (load == null) {
            loads.remove(instance);
        } else {
            loads.put(instance, load);
        }
    }

    public Map<String, InstanceLoad> loads() {
        return Collections.unmodifiableMap(new TreeMap<>(loads));
    }

    // ---- rebalancing --------------------------------------------------------------------

    /**
     * Schedules one rebalance of the topic after the debounce; more requests before it runs
     * join it (their reasons are merged). Bounded latency: later requests do not push it back.
     */
    public void requestRebalance(String topic, String reason) {
        synchronized (lock) {
            TopicState t = state(topic);
            t.pendingReasons.add(reason == null || reason.isBlank() ? "requested" : reason);
            if (t.pendingTimer == null && !closed) {
                long token = ++timerSeq;
                t.pendingToken = token;
                t.pendingTimer = scheduler.schedule(options.debounceMs(), () -> runPending(topic, token));
            }
        }
    }

    /** True while a requested rebalance of the topic waits for its debounce. */
    public boolean rebalancePending(String topic) {
        synchronized (lock) {
            return state(topic).pendingTimer != null;
        }
    }

    private void runPending(String topic, long token) {
        synchronized (lock) {
            TopicState t = topics.get(topic);
            if (t == null || t.pendingTimer == null || t.pendingToken != token || closed) {
                return; // cancelled, superseded by an immediate rebalance, or topic removed
            }
            String reason = mergedReasons(t);
            rebalanceLocked(t, t.config.strategy(), reason);
        }
        deliver();
    }

    /** Rebalances now with the topic's strategy (the design's {@code rebalance_partitions}). */
    public PartitionAssignment rebalanceNow(String topic, String reason) {
        return rebalance(topic, Optional.empty(), reason);
    }

    /**
     * Rebalances now. {@code override} applies to this rebalance only (use
     * {@link #setStrategy} for a lasting change). A pending requested rebalance is folded in.
     */
    public PartitionAssignment rebalance(String topic, Optional<TopicStrategy> override, String reason) {
        PartitionAssignment next;
        synchronized (lock) {
            checkOpen();
            TopicState t = state(topic);
            TopicStrategy s = override == null ? t.config.strategy() : override.orElse(t.config.strategy());
            String why = reason == null || reason.isBlank() ? "manual" : reason;
            if (!t.pendingReasons.isEmpty()) {
                t.pendingReasons.add(why);
                why = mergedReasons(t);
            }
            next = rebalanceLocked(t, s, why);
        }
        deliver();
        return next;
    }

    /** {@link #rebalance} for every topic, in name order. */
    public List<PartitionAssignment> rebalanceAll(Optional<TopicStrategy> override, String reason) {
        List<String> names;
        synchronized (lock) {
            names = new ArrayList<>(topics.keySet());
        }
        List<PartitionAssignment> out = new ArrayList<>();
        for (String n : names) {
            if (topic(n).isPresent()) {
                out.add(rebalance(n, override, reason));
            }
        }
        return out;
    }

    private PartitionAssignment rebalanceLocked(TopicState t, TopicStrategy strategy, String reason) {
        cancelPending(t);
        String name = t.config.name();
        int partitions = t.config.partitions();
        List<String> members = List.copyOf(t.members);
        Map<String, InstanceLoad> load = new HashMap<>();
        if (strategy == TopicStrategy.load_balanced) {
            for (String m : members) {
                InstanceLoad l = loads.get(m);
                if (l != null) {
                    load.put(m, l);
                }
            }
        }
        Map<Integer, KeyRange> ranges = strategy == TopicStrategy.range ? rangeMap(t.ranges) : Map.of();
        Map<Integer, String> previous = t.assignment.ownerMap();
        if (standbys > 0) previous = Standbys.preferStandbys(previous, t.standbys, t.members);
        Map<Integer, String> owners = Assignor.of(strategy, name)
                .assign(partitions, members, previous, load, ranges);
        String[] arr = OwnerMap.toArray(owners, partitions);
        t.standbys = standbys > 0 ? Standbys.choose(arr, members, t.standbys) : null;
        HashSet<String> alive = new HashSet<>(t.members); // O(1) lookups per partition
        verify(name, arr, alive);
        PartitionAssignment prev = t.assignment;
        PartitionAssignment next = new PartitionAssignment(group, prev.epoch() + 1, name, arr, members, strategy, reason,
                Instant.ofEpochMilli(clock.getAsLong()), prev);
        t.assignment = next;
        for (AssignmentListener l : listeners) {
            outbox.add(new Outgoing(null, 0, () -> l.onAssignment(next, prev)));
        }
        enqueue(t.handoff.retarget(next, alive::contains, t.offsets()));
        return next;
    }

    /** Guards the assignors' contract, so a bug there cannot hand a partition to a non-member. */
    private static void verify(String topic, String[] owners, Set<String> members) {
        String last = null; // consecutive partitions mostly share an owner
        for (int p = 0; p < owners.length; p++) {
            String o = owners[p];
            if (o != null && o == last) {
                continue;
            }
            last = o;
            if (members.isEmpty() ? o != null : (o == null || !members.contains(o))) {
                throw new IllegalStateException("assignor gave " + topic + ":" + p + " to "
                        + o + ", not one of " + members);
            }
        }
    }

    private static Map<Integer, KeyRange> rangeMap(List<KeyRange> ranges) {
        Map<Integer, KeyRange> m = new HashMap<>();
        for (int p = 0; p < ranges.size(); p++) {
            if (ranges.get(p) != null) {
                m.put(p, ranges.get(p));
            }
        }
        return m;
    }

    private String mergedReasons(TopicState t) {
        List<String> rs = new ArrayList<>(t.pendingReasons);
        String joined = String.join("; ", rs.subList(0, Math.min(MAX_REASONS, rs.size())));
        if (rs.size() > MAX_REASONS) {
            joined += " (+" + (rs.size() - MAX_REASONS) + " more)";
        }
        return joined;
    }

    private void cancelPending(TopicState t) {
        if (t.pendingTimer != null) {
            t.pendingTimer.cancel();
            t.pendingTimer = null;
        }
        t.pendingReasons.clear();
    }

    // ---- queries ------------------------------------------------------------------------

    /** The current epoch's assignment (epoch 0, all unassigned, before the first rebalance). */
    public PartitionAssignment assignment(String topic) {
        synchronized (lock) {
            return state(topic).assignment;
        }
    }

    /** Owner in the current epoch (the design's {@code get_partition_assignment(id)}). */
    public Optional<String> ownerOf(String topic, int partition) {
        synchronized (lock) {
            TopicState t = state(topic);
            checkPartition(t, partition);
            return Optional.ofNullable(t.assignment.owner(partition));
        }
    }

    public Optional<String> ownerOf(PartitionId id) {
        return ownerOf(id.topic(), id.partition());
    }

    /** Who consumes the partition right now; differs from the owner while a handoff runs. */
    public Optional<String> holderOf(String topic, int partition) {
        synchronized (lock) {
            TopicState t = state(topic);
            checkPartition(t, partition);
            return Optional.ofNullable(t.handoff.holderOf(partition));
        }
    }

    /** Partition ids ({@code topic:partition}) an instance owns in all topics, for status JSON. */
    public List<String> partitionsOf(String instance) {
        synchronized (lock) {
            List<String> out = new ArrayList<>();
            topics.values().forEach(t -> out.addAll(t.assignment.partitionIdsOf(instance)));
            return out;
        }
    }

    /** True when every partition of the topic is consumed by its owner and no revoke is open. */
    public boolean isSettled(String topic) {
        synchronized (lock) {
            return state(topic).handoff.isSettled();
        }
    }

    /** Instances with an unacked revoke in the topic -> highest epoch they must ack. */
    public Map<String, Long> pendingRevokes(String topic) {
        synchronized (lock) {
            return state(topic).handoff.pendingRevokes();
        }
    }

    // ---- handoff inputs -----------------------------------------------------------------

    /**
     * The instance acked the revoke of {@code epoch} after committing its offsets; the
     * partitions go to their new owners. Returns false for a stale or unknown ack.
     */
    public boolean onRevokeAck(String instance, String topic, long epoch) {
        boolean any;
        synchronized (lock) {
            TopicState t = topics.get(topic);
            if (t == null) {
                return false;
            }
            boolean had = t.handoff.awaitsAck(instance, epoch);
            enqueue(t.handoff.onRevokeAck(instance, epoch, t.members::contains, t.offsets()));
            any = had;
        }
        deliver();
        return any;
    }

    /**
     * The instance's process is gone (exited, killed, or timed out on a revoke): it holds
     * nothing from now on, leaves every topic's members, and each such topic gets a requested
     * rebalance. When it comes back the engine calls {@link #memberUp} again. Messages decided
     * for it before this call and not yet delivered are dropped, and this call returns only
     * after any delivery in progress on another thread has finished.
     */
    public void onInstanceDead(String instance) {
        List<String> toRebalance = new ArrayList<>();
        synchronized (lock) {
            incarnation.merge(instance, 1L, Long::sum);
            for (TopicState t : topics.values()) {
                boolean wasMember = t.members.remove(instance);
                boolean held = t.handoff.holders().contains(instance);
                enqueue(t.handoff.onDead(instance, t.members::contains, t.offsets()));
                if (wasMember || held) {
                    toRebalance.add(t.config.name());
                }
            }
        }
        for (String topic : toRebalance) {
            requestRebalance(topic, "instance " + instance + " dead");
        }
        // return only when nothing meant for the dead process is still being delivered, so the
        // engine can restart it under the same id without it receiving stale messages
        deliver(true);
    }

    private void onRevokeTimeout(String instance, String topic, long epoch) {
        boolean timedOut;
        synchronized (lock) {
            TopicState t = topics.get(topic);
            timedOut = t != null && !closed && t.handoff.awaitsAck(instance, epoch);
            if (timedOut) {
                outbox.add(new Outgoing(null, 0, () -> sink.revokeTimedOut(instance, topic, epoch)));
            }
        }
        if (timedOut) {
            LOG.log(System.Logger.Level.WARNING, "instance {0} did not ack revoke of {1} epoch {2} within {3} ms; treating it as dead",
                    instance, topic, epoch, options.revokeTimeoutMs());
            onInstanceDead(instance);
        }
    }

    // ---- offsets and lag ----------------------------------------------------------------

    /**
     * Records that every record of the partition below {@code offset} is processed. Monotonic:
     * an older offset never overwrites a newer one. Returns true if it advanced.
     */
    public boolean commit(String topic, int partition, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset: must be >= 0, got " + offset);
        }
        synchronized (lock) {
            TopicState t = state(topic);
            checkPartition(t, partition);
            if (offset > t.committed[partition]) {
                t.committed[partition] = offset;
                return true;
            }
            return false;
        }
    }

    /**
     * A commit fenced by the holder: ignored (false) unless {@code instance} holds the
     * partition now, so a zombie that lost the partition cannot move its offset.
     */
    public boolean commit(String instance, String topic, int partition, long offset) {
        synchronized (lock) {
            TopicState t = state(topic);
            checkPartition(t, partition);
            if (!instance.equals(t.handoff.holderOf(partition))) {
                return false;
            }
            return commit(topic, partition, offset);
        }
    }

    public long committedOffset(String topic, int partition) {
        synchronized (lock) {
            TopicState t = state(topic);
            checkPartition(t, partition);
            return t.committed[partition];
        }
    }

    /** Offsets available now in the generated stream: floor((now - origin)/1000 * rate). */
    public long highWatermark(String topic, int partition) {
        synchronized (lock) {
            TopicState t = state(topic);
            checkPartition(t, partition);
            return highWatermark(t, partition, highWatermark(t, clock.getAsLong()));
        }
    }

    private static long highWatermark(TopicState t, long now) {
        long elapsed = Math.max(0, now - t.originEpochMs);
        return (long) Math.floor(elapsed / 1000.0 * t.config.ratePerSec());
    }

    private static long highWatermark(TopicState t, int p, long generated) {
        if (t.logEnd == null) return generated;
        return p < t.logEnd.length ? t.logEnd[p] : 0;
    }

    /**
     * Makes the topic external (a Kafka topic): its high watermark per partition is the broker's
     * log-end offset read here, and its rate the measured growth, instead of the generated stream's.
     * {@code reachable} false keeps the last figures and marks them stale.
     */
    public void updateLogEnd(String topic, long[] logEndOffsets, double[] ratesPerSec, boolean reachable) {
        synchronized (lock) {
            TopicState t = topics.get(topic);
            if (t == null) return;
            if (logEndOffsets != null) {
                t.logEnd = Arrays.copyOf(logEndOffsets, t.config.partitions());
                t.logRate = ratesPerSec == null ? new double[t.config.partitions()] : Arrays.copyOf(ratesPerSec, t.config.partitions());
            } else if (t.logEnd == null) {
                t.logEnd = new long[t.config.partitions()];
                t.logRate = new double[t.config.partitions()];
            }
            t.reachable = reachable;
        }
    }

    /** False while the topic's cluster cannot be reached (see {@link #updateLogEnd}). */
    public boolean reachable(String topic) {
        synchronized (lock) {
            TopicState t = topics.get(topic);
            return t == null || t.reachable;
        }
    }

    /** One row per partition of the topic, for {@code partitions show --json}. */
    public List<PartitionStatus> status(String topic) {
        long now = clock.getAsLong();
        synchronized (lock) {
            return statusLocked(state(topic), now);
        }
    }

    /** Every topic's rows, by topic name then partition. */
    public List<PartitionStatus> status() {
        long now = clock.getAsLong();
        synchronized (lock) {
            List<PartitionStatus> out = new ArrayList<>();
            topics.values().forEach(t -> out.addAll(statusLocked(t, now)));
            return out;
        }
    }

    private List<PartitionStatus> statusLocked(TopicState t, long now) {
        long generated = highWatermark(t, now);
        int n = t.config.partitions();
        List<PartitionStatus> out = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            long c = t.committed[p];
            long hw = highWatermark(t, p, generated);
            double rate = t.logEnd == null ? t.config.ratePerSec() : (p < t.logRate.length ? t.logRate[p] : 0);
            out.add(new PartitionStatus(group, t.config.name(), p, t.assignment.owner(p), t.assignment.epoch(), c,
                    Math.max(0, hw - c), rate, hw, t.reachable));
        }
        return out;
    }

    // ---- delivery -----------------------------------------------------------------------

    /** Queues handoff messages (caller holds the lock) and arms revoke timeouts. */
    private void enqueue(List<Handoff.Action> actions) {
        for (Handoff.Action a : actions) {
            if (a instanceof Handoff.Revoke) {
                Handoff.Revoke r = (Handoff.Revoke) a;
                outbox.add(new Outgoing(r.instance(), incarnation.getOrDefault(r.instance(), 0L),
                        () -> sink.revoke(r.instance(), r.topic(), r.epoch(), r.partitions())));
                if (!closed && topics.containsKey(r.topic())) {
                    scheduler.schedule(options.revokeTimeoutMs(),
                            () -> onRevokeTimeout(r.instance(), r.topic(), r.epoch()));
                }
            } else {
                Handoff.Assign as = (Handoff.Assign) a;
                outbox.add(new Outgoing(as.instance(), incarnation.getOrDefault(as.instance(), 0L),
                        () -> sink.assign(as.instance(), as.topic(), as.epoch(), as.partitions())));
            }
        }
    }

    /**
     * Delivers queued messages outside the lock, one thread at a time, in queue order. A thread
     * that finds another delivering leaves its messages to it; a sink calling back into the
     * manager (same thread) returns at once and the outer loop delivers what it queued.
     */
    private void deliver() {
        deliver(false);
    }

    /**
     * @param wait block until a delivery running on another thread is done, so that when the
     *             caller returns no message decided before its call is still in flight
     */
    private void deliver(boolean wait) {
        while (true) {
            if (delivering.isHeldByCurrentThread()) {
                return;
            }
            if (wait) {
                delivering.lock();
            } else if (!delivering.tryLock()) {
                return;
            }
            try {
                while (true) {
                    Outgoing o;
                    synchronized (lock) {
                        o = outbox.poll();
                        while (o != null && o.instance() != null
                                && incarnation.getOrDefault(o.instance(), 0L) != o.incarnation()) {
                            o = outbox.poll(); // decided for a life of the instance that has ended
                        }
                    }
                    if (o == null) {
                        break;
                    }
                    try {
                        o.call().run();
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.ERROR, "partition sink or listener failed", e);
                    }
                }
            } finally {
                delivering.unlock();
            }
            synchronized (lock) {
                if (outbox.isEmpty()) {
                    return; // else: queued after our last poll by a thread that saw us delivering
                }
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------

    private TopicState state(String topic) {
        TopicState t = topics.get(topic);
        if (t == null) {
            throw new IllegalArgumentException("topic: unknown '" + topic + "'; known: " + topics.keySet());
        }
        return t;
    }

    private static void checkPartition(TopicState t, int partition) {
        if (partition < 0 || partition >= t.config.partitions()) {
            throw new IllegalArgumentException("partition: " + partition + " is not in topic '" + t.config.name()
                    + "' (0.." + (t.config.partitions() - 1) + ")");
        }
    }

    private static String checkId(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("instance: id must be non-empty, got " + (id == null ? "null" : "'" + id + "'"));
        }
        return id;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("partition manager is closed");
        }
    }

    /** Cancels pending rebalances; stops the scheduler if this manager created it. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            topics.values().forEach(this::cancelPending);
        }
        if (ownsScheduler) {
            scheduler.close();
        }
    }
}
