package io.sabot.ui.model;

import io.sabot.engine.AssignmentView;
import io.sabot.engine.Engine;
import io.sabot.engine.PartitionView;
import io.sabot.spec.TopicSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The partition map's state: the latest partitions by lane, a (topic, consumer group) pair (polled
 * only while the map shows, and after assignment events), and rebalancing. The view listens to
 * {@link #byTopic} while active: its keys are {@link #laneKey}s, ordered by topic then group.
 */
public final class PartitionsModel {
    private final Engine engine;
    private final FleetModel fleet;
    private final Background bg;
    private final Poller poller;
    /** Topic to its partitions in order; replaced by each poll's answer. */
    public final ObjectProperty<Map<String, List<PartitionView>>> byTopic = new SimpleObjectProperty<>(this, "byTopic", Map.of());
    private String host;
    private List<PartitionView> last = List.of();
    /**
     * Partitions restoring their state now: "LANE PARTITION" to percent restored (the least of the
     * partition's stores), from the engine's restore events; the map's cells show it.
     */
    public final ObjectProperty<Map<String, Integer>> restoring = new SimpleObjectProperty<>(this, "restoring", Map.of());
    /** Restoring store partitions by "instance store topic partition" (a report older than {@value #RESTORE_STALE_MS} ms is dropped: its instance died). */
    private final Map<String, io.sabot.engine.StateStoreView> restores = new java.util.HashMap<>();
    static final long RESTORE_STALE_MS = 10_000;

    public PartitionsModel(Engine engine, FleetModel fleet, Background bg, Poller poller) {
        this.engine = engine;
        this.fleet = fleet;
        this.bg = bg;
        this.poller = poller;
    }

    /** The map shows (poll every 2 s) or not (no polling). */
    public void setActive(boolean on) { poller.wantPartitions(on); }

    /** The key of a lane: the topic, then its consumer group (when it has one). */
    public static String laneKey(String topic, String group) {
        return group == null ? topic : topic + " \u00b7 " + group;
    }

    /** The topic of a lane key. */
    public static String topicOf(String laneKey) {
        int i = laneKey.indexOf(" \u00b7 ");
        return i < 0 ? laneKey : laneKey.substring(0, i);
    }

    /** A poll's answer (from the pulse). */
    public void apply(List<PartitionView> all) {
        last = all;
        byTopic.set(lanes(all, host, fleet.primaryHost()));
        if (!restores.isEmpty()) publishRestoring(); // drops reports of instances gone meanwhile
    }

    /**
     * Lanes of a poll's answer, each sorted by partition. A group Kafka coordinates is ONE lane
     * however many connected hosts report it: every engine reads the whole group from Kafka, so
     * each of its partitions is kept once (from the first host that reports it, the console's own
     * host first), with its owner's host. With a host filter, the lanes of that host's engine.
     *
     * @param hostFilter a host label, or null for every host
     */
    public static Map<String, List<PartitionView>> lanes(List<PartitionView> all, String hostFilter, String primary) {
        Map<String, List<PartitionView>> by = new TreeMap<>();
        Map<String, String> crossHostLane = new java.util.HashMap<>(); // (cluster, group, topic) -> the lane that shows it
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<PartitionView> ordered = new ArrayList<>(all);
        // the console's own host first: its names are the unqualified ones
        ordered.sort(java.util.Comparator.comparing((PartitionView p) -> io.sabot.multihost.HostNames.labelOf(p.topic()) != null));
        for (PartitionView p : ordered) {
            if (hostFilter != null && !hostFilter.equals(io.sabot.multihost.HostNames.hostOf(p.topic(), primary))) continue;
            String lane = laneKey(p.topic(), p.group());
            if (hostFilter == null && p.kafkaCoordinated()) {
                String group = p.cluster() + "\u0000" + io.sabot.multihost.HostNames.localName(p.group()) + "\u0000"
                        + io.sabot.multihost.HostNames.localName(p.topic());
                lane = crossHostLane.computeIfAbsent(group, g -> laneKey(p.topic(), p.group()));
                if (!seen.add(group + "\u0000" + p.partition())) continue;
            }
            by.computeIfAbsent(lane, k -> new ArrayList<>()).add(p);
        }
        by.values().forEach(l -> l.sort(java.util.Comparator.comparingInt(PartitionView::partition)));
        return by;
    }

    /** Restore progress from the engine's events (FX thread, once a pulse). */
    public void applyRestores(List<io.sabot.engine.StateStoreView> views) {
        for (io.sabot.engine.StateStoreView v : views) {
            String k = v.owner() + " " + v.store() + " " + v.topic() + " " + v.partition();
            if ("restoring".equals(v.status())) restores.put(k, v);
            else restores.remove(k);
        }
        publishRestoring();
    }

    /** The lane key and partition of a restoring cell ("LANE PARTITION"). */
    public static String restoringKey(String lane, int partition) { return lane + " " + partition; }

    private void publishRestoring() {
        long now = System.currentTimeMillis();
        restores.values().removeIf(v -> now - v.updatedAtEpochMs() > RESTORE_STALE_MS);
        Map<String, Integer> out = new java.util.HashMap<>();
        for (io.sabot.engine.StateStoreView v : restores.values()) {
            String lane = laneKey(v.topic(), v.consumerGroup());
            if (!byTopic.get().containsKey(lane) && byTopic.get().containsKey(v.topic())) lane = v.topic(); // a lane without its group
            out.merge(restoringKey(lane, v.partition()), v.restorePercent(), Math::min);
        }
        if (!out.equals(restoring.get())) restoring.set(Map.copyOf(out));
    }

    /** Only the topics of one host (null: every host). */
    public void setHost(String h) {
        host = h;
        apply(last);
    }

    /** Status lines for rebalances that moved partitions. */
    public static List<String> describe(List<AssignmentView> as) {
        List<String> out = new ArrayList<>();
        for (AssignmentView a : as) {
            if (a.moved() != null && !a.moved().isEmpty()) {
                out.add(a.topic() + ": epoch " + a.epoch() + ", " + a.moved().size() + " partitions moved (" + a.strategy() + ", " + a.reason() + ")");
            }
        }
        return out;
    }

    public String strategyOf(String topic) {
        String name = topicOf(topic);
        for (TopicSpec t : fleet.spec.get().topics()) if (t.name().equals(name)) return t.strategy();
        return "sticky";
    }

    /** "cluster demo (127.0.0.1:9092)" for a Kafka topic, null for an embedded one. */
    public String clusterOf(String topic) {
        String name = topicOf(topic);
        for (TopicSpec t : fleet.spec.get().topics()) {
            if (!t.name().equals(name) || t.cluster() == null) continue;
            for (io.sabot.spec.ClusterSpec c : fleet.spec.get().clusters()) {
                if (c.name().equals(t.cluster())) return c.name() + " (" + c.bootstrapServers() + ")";
            }
            return t.cluster();
        }
        return null;
    }

    /** Rebalances now; "orders rebalanced with sticky: 3 partitions moved, epoch 4". */
    public void rebalance(String lane, String strategy, Consumer<Outcome> done, Consumer<String> failed) {
        String topic = topicOf(lane);
        long t0 = System.nanoTime();
        bg.op(() -> engine.rebalance(topic, strategy, "operator"), (List<AssignmentView> res) -> {
            int moved = res.stream().mapToInt(a -> a.moved() == null ? 0 : a.moved().size()).sum();
            long epoch = res.stream().mapToLong(AssignmentView::epoch).max().orElse(0);
            done.accept(new Outcome(topic + " rebalanced with " + strategy + ": " + moved + " partitions moved, epoch " + epoch, 1, 0, null, System.nanoTime() - t0));
        }, err -> failed.accept("Rebalance of " + topic + " failed: "
                + (err instanceof UnsupportedOperationException ? "this engine has no partition manager" : err.getMessage())));
    }
}
