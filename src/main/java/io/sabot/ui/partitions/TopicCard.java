package io.sabot.ui.partitions;

import io.sabot.spec.TopicStrategy;
import atlantafx.base.theme.Styles;
import io.sabot.engine.PartitionView;
import io.sabot.spec.SpecParser;
import io.sabot.ui.model.Fmt;
import io.sabot.ui.kit.Icons;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import org.controlsfx.glyphfont.FontAwesome;

/**
 * One lane, a topic as one consumer group reads it: header (topic, group, cluster, lag of the
 * group, broker-side end offsets) with strategy and Rebalance, the partition grid with owners
 * coloured and lag per partition, and a legend of owners. A topic whose Kafka cluster cannot be
 * reached says so plainly above its (stale) figures.
 */
public final class TopicCard extends VBox {
    final String topic;
    final TopicMap map = new TopicMap();
    private final Label sub = new Label();
    private final Label where = new Label();
    private final Label unreachable = new Label();
    private final FlowPane legend = new FlowPane(14, 6);
    final ComboBox<String> strategy = new ComboBox<>();
    final Button rebalance = new Button("Rebalance", Icons.of(FontAwesome.Glyph.RANDOM));
    private String legendKey = "";

    /** The partitions shown now (tests). */
    public List<PartitionView> data() { return map.data(); }

    /** Partitions shown restoring, with their percent (tests). */
    public Map<Integer, Integer> restoring() { return map.restoring(); }

    TopicCard(String topic, String currentStrategy, String cluster, BiConsumer<String, String> onRebalance) {
        this.topic = topic;
        where.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        where.setText(cluster == null ? "embedded stream" : "Kafka cluster " + cluster);
        unreachable.getStyleClass().addAll(Styles.DANGER, Styles.TEXT_BOLD);
        unreachable.setManaged(false);
        unreachable.setVisible(false);
        getStyleClass().addAll("topic-card", Styles.ELEVATED_1);
        setSpacing(10);
        setPadding(new Insets(14, 16, 14, 16));
        Label title = new Label(topic.replace(" \u00b7 ", "  \u00b7  group "));
        title.getStyleClass().add(Styles.TITLE_4);
        sub.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        strategy.getItems().setAll(new java.util.TreeSet<>(SpecParser.TOPIC_STRATEGIES));
        strategy.setValue(currentStrategy == null ? "sticky" : currentStrategy);
        strategy.setId("strategy-" + topic);
        rebalance.setId("rebalance-" + topic);
        rebalance.setOnAction(e -> onRebalance.accept(topic, strategy.getValue()));
        Region sp = new Region();
        HBox.setHgrow(sp, Priority.ALWAYS);
        Label sl = new Label("Strategy");
        sl.getStyleClass().add(Styles.TEXT_MUTED);
        HBox head = new HBox(10, new VBox(2, title, where, sub), sp, sl, strategy, rebalance);
        head.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(head, unreachable, map, legend);
    }

    void setData(List<PartitionView> parts) {
        map.setData(parts);
        // owners across hosts: grouped by host in the legend ("enricher-0 @ host-a", "enricher-1 @ host-a", "enricher-0 @ host-b")
        Map<String, Integer> counts = new TreeMap<>(java.util.Comparator.comparing((String o) -> o.contains(" @ ") ? o.substring(o.indexOf(" @ ")) : "")
                .thenComparing(o -> o));
        Map<String, javafx.scene.paint.Color> colors = new java.util.HashMap<>();
        Map<String, Integer> hosts = Owners.hosts(parts);
        long lag = 0, epoch = 0, end = 0;
        double rate = 0;
        int moved = 0, unassigned = 0;
        boolean down = false;
        Double lagSeconds = null;
        for (PartitionView p : parts) {
            end += p.logEndOffset();
            down |= !p.reachable();
            if (p.lagSeconds() != null) lagSeconds = lagSeconds == null ? p.lagSeconds() : Math.max(lagSeconds, p.lagSeconds());
            if (p.owner() == null) unassigned++;
            else {
                String label = Owners.label(p);
                counts.merge(label, 1, Integer::sum);
                colors.putIfAbsent(label, Owners.color(p, hosts));
            }
            lag += p.lag();
            rate += p.ratePerSec();
            epoch = Math.max(epoch, p.epoch());
            if (p.moved()) moved++;
        }
        sub.setText(Fmt.plural(parts.size(), "partition") + " \u00b7 " + Fmt.plural(counts.size(), "owner") + (Owners.withHosts(parts) ? "" : " \u00b7 epoch " + epoch)
                + " \u00b7 group lag " + lag + (lagSeconds != null && lag > 0 ? String.format(java.util.Locale.ROOT, " (%.1f s)", lagSeconds) : "")
                + " \u00b7 end offsets " + end + " \u00b7 " + String.format(java.util.Locale.ROOT, "%.0f", rate) + " msgs/s"
                + (moved > 0 ? " \u00b7 " + moved + " moved in last rebalance" : "")
                + (Owners.withHosts(parts) ? " \u00b7 coordinated by Kafka across " + Fmt.plural(hosts.size(), "host") : ""));
        boolean kafka = Owners.withHosts(parts);
        if (kafka != rebalance.isDisabled()) { // Kafka's group protocol places these partitions: nothing for the engine to rebalance
            rebalance.setDisable(kafka);
            strategy.setDisable(kafka);
            rebalance.setTooltip(kafka ? new javafx.scene.control.Tooltip("Kafka coordinates this group: its members' assignor places the partitions") : null);
        }
        unreachable.setText(down ? "\u26a0 " + where.getText() + " is unreachable: offsets and lag below are the last known" : "");
        unreachable.setVisible(down);
        unreachable.setManaged(down);
        String key = counts + "/" + unassigned;
        if (key.equals(legendKey)) return; // rebuild the legend only when owners or counts change
        legendKey = key;
        List<javafx.scene.Node> items = new ArrayList<>();
        counts.forEach((owner, n) -> items.add(chip(owner, n, colors.get(owner))));
        if (unassigned > 0) items.add(chip("unassigned", unassigned, Palette.UNASSIGNED));
        legend.getChildren().setAll(items);
    }

    private static HBox chip(String owner, int n, javafx.scene.paint.Color c) {
        Rectangle r = new Rectangle(12, 12, c);
        r.setArcWidth(4);
        r.setArcHeight(4);
        Label l = new Label(owner);
        l.getStyleClass().add(Styles.TEXT_SMALL);
        Label k = new Label(Integer.toString(n));
        k.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_BOLD);
        HBox h = new HBox(5, r, l, k);
        h.setAlignment(Pos.CENTER_LEFT);
        h.getStyleClass().add("legend-chip");
        return h;
    }
}
