package io.sabot.ui.partitions;

import atlantafx.base.theme.Styles;
import io.sabot.engine.AssignmentView;
import io.sabot.engine.Engine;
import io.sabot.engine.PartitionView;
import io.sabot.spec.TopicSpec;
import io.sabot.ui.Background;
import io.sabot.ui.StatusBar;
import io.sabot.ui.Toasts;
import io.sabot.ui.model.FleetModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The partition map: a card per topic. Data comes from {@code engine.partitions(null)}, polled
 * off the FX thread after "assignment" events and every 2 s while this view shows.
 */
public final class PartitionsView extends StackPane {
    private final Engine engine;
    private final FleetModel model;
    private final Background bg;
    private final StatusBar status;
    private final Toasts toasts;
    private final VBox cards = new VBox(14);
    private final Map<String, TopicCard> byTopic = new LinkedHashMap<>();
    private final Label empty = new Label();
    private boolean dark;

    public PartitionsView(Engine engine, FleetModel model, Background bg, StatusBar status, Toasts toasts) {
        this.engine = engine;
        this.model = model;
        this.bg = bg;
        this.status = status;
        this.toasts = toasts;
        getStyleClass().add("partitions-view");
        cards.setPadding(new Insets(16));
        cards.setFillWidth(true);
        ScrollPane sp = new ScrollPane(cards);
        sp.setFitToWidth(true);
        sp.getStyleClass().add("edge-to-edge");
        empty.setText("No partitions yet.\nTopics and their partition owners appear here once agents with a topic are deployed.");
        empty.getStyleClass().addAll(Styles.TEXT_MUTED);
        empty.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        empty.setWrapText(true);
        StackPane.setAlignment(empty, Pos.CENTER);
        getChildren().addAll(sp, empty);
    }

    /** A poll's answer: one batch per topic, cards created or dropped only when topics change. */
    public void apply(List<PartitionView> all) {
        Map<String, List<PartitionView>> by = new TreeMap<>();
        for (PartitionView p : all) by.computeIfAbsent(p.topic(), k -> new ArrayList<>()).add(p);
        by.values().forEach(l -> l.sort(java.util.Comparator.comparingInt(PartitionView::partition)));
        if (!by.keySet().equals(byTopic.keySet())) {
            byTopic.keySet().retainAll(by.keySet());
            for (String t : by.keySet()) byTopic.computeIfAbsent(t, k -> {
                TopicCard c = new TopicCard(k, strategyOf(k), this::rebalance);
                c.map.setDark(dark);
                return c;
            });
            List<TopicCard> ordered = new ArrayList<>();
            for (String t : by.keySet()) ordered.add(byTopic.get(t));
            cards.getChildren().setAll(ordered);
        }
        by.forEach((t, ps) -> byTopic.get(t).setData(ps));
        empty.setVisible(byTopic.isEmpty());
    }

    /** Rebalance events name what moved; the poll that follows brings the new owners. */
    public void onAssignments(List<AssignmentView> as) {
        for (AssignmentView a : as) {
            if (a.moved() != null && !a.moved().isEmpty()) {
                status.say(a.topic() + ": epoch " + a.epoch() + ", " + a.moved().size() + " partitions moved (" + a.strategy() + ", " + a.reason() + ")");
            }
        }
    }

    private String strategyOf(String topic) {
        for (TopicSpec t : model.spec.get().topics()) if (t.name().equals(topic)) return t.strategy();
        return "sticky";
    }

    private void rebalance(String topic, String strategy) {
        Runnable end = status.begin("Rebalancing " + topic + " (" + strategy + ")\u2026");
        bg.op(() -> engine.rebalance(topic, strategy, "operator"), (List<AssignmentView> res) -> {
            end.run();
            int moved = res.stream().mapToInt(a -> a.moved() == null ? 0 : a.moved().size()).sum();
            long epoch = res.stream().mapToLong(AssignmentView::epoch).max().orElse(0);
            String msg = topic + " rebalanced with " + strategy + ": " + moved + " partitions moved, epoch " + epoch;
            status.say(msg);
            toasts.show(Toasts.Kind.SUCCESS, msg, null, 6);
        }, err -> {
            end.run();
            String m = err instanceof UnsupportedOperationException ? "this engine has no partition manager" : err.getMessage();
            toasts.show(Toasts.Kind.WARNING, "Rebalance of " + topic + " failed: " + m, null, 10);
        });
    }

    public void setDark(boolean d) {
        dark = d;
        byTopic.values().forEach(c -> c.map.setDark(d));
    }

    /** Called by the pulse. */
    public void tick(long now) {
        for (TopicCard c : byTopic.values()) c.map.tick(now);
    }

    public Map<String, TopicCard> cards() { return byTopic; }
}
