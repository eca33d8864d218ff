package io.sabot.ui.agents;

import atlantafx.base.theme.Styles;
import io.sabot.ui.kit.Activatable;
import io.sabot.ui.model.AgentRow;
import io.sabot.ui.model.FleetRow;
import io.sabot.ui.model.InstanceRow;
import io.sabot.ui.model.Subs;
import io.sabot.ui.model.UsageModel;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The Trends tab: an agent's lag, throughput, CPU and memory over live (10 min), 1 h, 24 h or
 * 7 days, from the store, redrawn on one canvas when a new reading arrives (every 5 s while the
 * tab shows). For an instance, its agent's trends.
 */
public final class TrendsPane extends VBox implements Activatable {
    private final UsageModel model;
    private final TrendsCanvas canvas = new TrendsCanvas();
    private final Label title = new Label("Trends");
    private final Label note = new Label();
    private final Subs subs = new Subs();
    private final ToggleGroup ranges = new ToggleGroup();

    public TrendsPane(UsageModel model) {
        this.model = model;
        setId("trends");
        setSpacing(6);
        title.getStyleClass().add(Styles.TEXT_BOLD);
        note.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        title.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        note.setMinWidth(0);
        HBox buttons = new HBox();
        buttons.getStyleClass().add("segmented");
        for (String r : new String[] {"live", "1h", "24h", "7d"}) {
            ToggleButton b = new ToggleButton(r.equals("live") ? "Live" : r);
            b.setId("trends-" + r);
            b.setUserData(r);
            b.setToggleGroup(ranges);
            b.getStyleClass().add(Styles.SMALL);
            b.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            if (r.equals(model.range().get())) b.setSelected(true);
            buttons.getChildren().add(b);
        }
        ranges.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) a.setSelected(true);
            else model.range().set((String) b.getUserData());
        });
        Region sp = new Region();
        HBox.setHgrow(sp, Priority.ALWAYS);
        HBox head = new HBox(10, title, note, sp, buttons);
        head.setAlignment(Pos.CENTER_LEFT);
        canvas.setMinHeight(260);
        VBox.setVgrow(canvas, Priority.ALWAYS);
        getChildren().addAll(head, canvas);
    }

    public void show(FleetRow r) {
        String agent = r instanceof AgentRow a ? a.name() : r instanceof InstanceRow i ? i.agent() : null;
        title.setText(agent == null ? "Trends" : "Trends of " + agent);
        model.show(agent);
        canvas.set(null);
    }

    public void setDark(boolean d) { canvas.setDark(d); }

    /** Points of the history shown now (tests). */
    public int pointsShown() { return model.history().get() == null ? 0 : model.history().get().points().size(); }

    @Override
    public void activate() {
        subs.on(model.history(), (o, a, b) -> {
            canvas.set(b);
            note.setText(b == null ? "" : b.points().size() + " points, one per " + io.sabot.ui.model.Fmt.duration(b.bucketMs()));
        });
        subs.on(model.error(), (o, a, b) -> note.setText(b == null ? "" : b));
        model.setActive(true);
        canvas.set(model.history().get());
    }

    @Override
    public void deactivate() {
        subs.clear();
        model.setActive(false);
    }

    @Override
    public void tick(long now) {
        model.tick(now);
        canvas.redrawIfDirty();
    }
}
