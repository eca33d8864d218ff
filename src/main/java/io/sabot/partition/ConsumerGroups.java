package io.sabot.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Every consumer group of an engine, each with a {@link PartitionManager} of its own.
 *
 * <p>Guarantees (ConsumerGroupsTest):
 * <ul>
 *   <li>each group gets every partition of each topic it consumes: two groups on one topic each
 *       own all of its partitions, shared among that group's members only;</li>
 *   <li>epochs, committed offsets, lag and rebalances are per (group, topic, partition): a
 *       rebalance or a commit in one group never changes another's;</li>
 *   <li>within a group the handoff guarantees of {@link PartitionManager} hold (never two holders).</li>
 * </ul>
 * Example: agents {@code fraud} (3 instances) and {@code alerter} (1) on {@code tx} (12 partitions):
 * group {@code fraud} has epoch 1 with 4 partitions per instance, group {@code alerter} has epoch 1
 * with all 12 on {@code alerter-0}; killing {@code fraud-1} moves 4 partitions inside {@code fraud}
 * (epoch 2) and leaves {@code alerter} at epoch 1.
 *
 * <p>Thread-safe; the managers share one scheduler thread, one sink and the listeners.
 */
public final class ConsumerGroups implements AutoCloseable {
    private final AssignmentSink sink;
    private final PartitionManager.Options options;
    private final Scheduler scheduler;
    private final boolean ownsScheduler;
    private final LongSupplier clock;
    private final CopyOnWriteArrayList<AssignmentListener> listeners = new CopyOnWriteArrayList<>();
    private final TreeMap<String, PartitionManager> groups = new TreeMap<>(); // guarded by this
    private boolean closed;

    /** A daemon scheduler thread of its own and the wall clock. */
    public ConsumerGroups(AssignmentSink sink, PartitionManager.Options options) {
        this(sink, options, Scheduler.daemon("sabot-partitions"), System::currentTimeMillis, true);
    }

    /** For tests: the caller owns {@code scheduler} and the clock (epoch ms). */
    public ConsumerGroups(AssignmentSink sink, PartitionManager.Options options, Scheduler scheduler, LongSupplier clockMs) {
        this(sink, options, scheduler, clockMs, false);
    }

    private ConsumerGroups(AssignmentSink sink, PartitionManager.Options options, Scheduler scheduler, LongSupplier clockMs,
                           boolean ownsScheduler) {
        this.sink = sink;
        this.options = options == null ? PartitionManager.Options.DEFAULTS : options;
        this.scheduler = scheduler;
        this.clock = clockMs;
        this.ownsScheduler = ownsScheduler;
    }

    /** Hears every new epoch of every group (the assignment names its group). */
    public void addListener(AssignmentListener l) {
        listeners.add(l);
    }

    /** The group's manager, created (with no topics) on first use. */
    public synchronized PartitionManager group(String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("group: must be a non-empty name");
        if (closed) throw new IllegalStateException("consumer groups are closed");
        return groups.computeIfAbsent(name, g -> {
            PartitionManager m = new PartitionManager(g, sink, options, scheduler, clock);
            m.addListener((a, prev) -> listeners.forEach(l -> l.onAssignment(a, prev)));
            return m;
        });
    }

    public synchronized Optional<PartitionManager> find(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    /** Group names, sorted. */
    public synchronized List<String> names() {
        return new ArrayList<>(groups.keySet());
    }

    public synchronized List<PartitionManager> all() {
        return new ArrayList<>(groups.values());
    }

    /** Forgets a group: its holders are told to revoke everything. */
    public void remove(String name) {
        PartitionManager m;
        synchronized (this) {
            m = groups.remove(name);
        }
        if (m == null) return;
        for (TopicConfig t : m.topics()) m.removeTopic(t.name());
        m.close();
    }

    /** The instance's process is gone: every group drops it (an instance is in one group; the others ignore it). */
    public void onInstanceDead(String instance) {
        for (PartitionManager m : all()) m.onInstanceDead(instance);
    }

    /** Rows of every group's partitions, by group, then topic, then partition. */
    public List<PartitionStatus> status(String topic) {
        List<PartitionStatus> out = new ArrayList<>();
        for (PartitionManager m : all()) {
            if (topic == null) out.addAll(m.status());
            else if (m.topic(topic).isPresent()) out.addAll(m.status(topic));
        }
        return out;
    }

    /** {@code topic:partition} ids the instance owns, in whichever group it is. */
    public List<String> partitionsOf(String instance) {
        List<String> out = new ArrayList<>();
        for (PartitionManager m : all()) out.addAll(m.partitionsOf(instance));
        return out;
    }

    @Override
    public void close() {
        List<PartitionManager> ms;
        synchronized (this) {
            closed = true;
            ms = new ArrayList<>(groups.values());
        }
        ms.forEach(PartitionManager::close);
        if (ownsScheduler) scheduler.close();
    }
}
