package io.sabot.ui.partitions;

import atlantafx.base.theme.Styles;
import io.sabot.engine.PartitionView;
import io.sabot.ui.kit.Activatable;
import io.sabot.ui.kit.StatusBar;
import io.sabot.ui.kit.Toasts;
import io.sabot.ui.model.PartitionsModel;
import io.sabot.ui.model.Subs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The partition map: a card per topic, from {@link PartitionsModel}. Active, it asks for a poll
 * every 2 s (lag and offsets move without events) and follows the model's answers; inactive, no
 * partitions are read at all.
 */
public final class PartitionsView extends StackPane implements Activatable {
    private final PartitionsModel model;
    private final StatusBar status;
    private final Toasts toasts;
    private final Subs subs = new Subs();
    private final VBox cards = new VBox(14);
    private final Map<String, TopicCard> byTopic = new LinkedHashMap<>();
    private final Label empty = new Label();
    private boolean dark;

    public PartitionsView(PartitionsModel model, StatusBar status, Toasts toasts) {
        this.model = model;
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

    @Override
    public void activate() {
        subs.on(model.byTopic, (o, a, b) -> apply(b));
        subs.on(model.restoring, (o, a, b) -> applyRestoring(b));
        model.setActive(true);
        apply(model.byTopic.get());
    }

    @Override
    public void deactivate() {
        subs.clear();
        model.setActive(false);
    }

    /** A poll's answer: one batch per topic, cards created or dropped only when topics change. */
    private void apply(Map<String, List<PartitionView>> by) {
        if (!by.keySet().equals(byTopic.keySet())) {
            byTopic.keySet().retainAll(by.keySet());
            for (String t : by.keySet()) byTopic.computeIfAbsent(t, k -> {
                TopicCard c = new TopicCard(k, model.strategyOf(k), model.clusterOf(k), this::rebalance);
                c.map.setDark(dark);
                return c;
            });
            List<TopicCard> ordered = new ArrayList<>();
            for (String t : by.keySet()) ordered.add(byTopic.get(t));
            cards.getChildren().setAll(ordered);
        }
        by.forEach((t, ps) -> byTopic.get(t).setData(ps));
        empty.setVisible(byTopic.isEmpty());
        applyRestoring(model.restoring.get());
    }

    /** Cells restoring their state: "restoring 43 %". */
    private void applyRestoring(Map<String, Integer> r) {
        byTopic.forEach((lane, card) -> {
            Map<Integer, Integer> mine = new java.util.HashMap<>();
            String prefix = lane + " ";
            r.forEach((k, pct) -> {
                if (!k.startsWith(prefix)) return;
                try {
                    mine.put(Integer.parseInt(k.substring(prefix.length())), pct);
                } catch (NumberFormatException e) {
                    // a lane whose name continues past this one's ("tx" and "tx 2"): not ours
                }
            });
            card.map.setRestoring(mine);
        });
    }

    private void rebalance(String topic, String strategy) {
        Runnable end = status.begin("Rebalancing " + topic + " (" + strategy + ")\u2026");
        model.rebalance(topic, strategy, o -> {
            end.run();
            status.say(o.message());
            toasts.show(Toasts.Kind.SUCCESS, o.message(), null, 6);
        }, msg -> {
            end.run();
            toasts.show(Toasts.Kind.WARNING, msg, null, 10);
        });
    }

    public void setDark(boolean d) {
        dark = d;
        byTopic.values().forEach(c -> c.map.setDark(d));
    }

    /** Called by the pulse while the map shows. */
    @Override
    public void tick(long now) {
        for (TopicCard c : byTopic.values()) c.map.tick(now);
    }

    public Map<String, TopicCard> cards() { return byTopic; }
}
