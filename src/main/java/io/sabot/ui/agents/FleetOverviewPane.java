package io.sabot.ui.agents;

import atlantafx.base.theme.Styles;
import io.sabot.engine.InstanceState;
import io.sabot.ui.Activatable;
import io.sabot.ui.StateStyle;
import io.sabot.ui.model.EventRow;
import io.sabot.ui.model.FleetOverview;
import io.sabot.ui.model.Fmt;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The detail pane with nothing selected: the fleet's totals as tiles, its busiest instances (a
 * click or Enter selects one) and the latest events. Refreshed at most once a second while it
 * shows, and only when figures or events changed.
 */
public final class FleetOverviewPane extends ScrollPane implements Activatable {
    private final FleetOverview model;
    private final Consumer<String> pick;
    private final FlowPane tiles = new FlowPane(10, 10);
    private final GridPane busiest = new GridPane();
    private final VBox recent = new VBox(4);
    private final Label busyEmpty = muted("No instance is running.");
    private final Label recentEmpty = muted("No events yet.");
    private long lastRefresh;

    public FleetOverviewPane(FleetOverview model, Consumer<String> pick) {
        this.model = model;
        this.pick = pick;
        setId("fleet-overview");
        setFitToWidth(true);
        getStyleClass().addAll("edge-to-edge", "fleet-overview");
        Label title = new Label("Fleet");
        title.getStyleClass().add(Styles.TITLE_3);
        Label hint = muted("Select an agent or instance on the left for its metrics, history, logs and spec.");
        hint.setWrapText(true);
        busiest.setHgap(12);
        busiest.setVgap(2);
        VBox box = new VBox(10, title, hint, tiles, heading("Busiest instances (CPU over the last 10 s)"), busiest, busyEmpty,
                heading("Recent events"), recent, recentEmpty);
        box.setPadding(new Insets(4, 4, 12, 0));
        setContent(box);
    }

    private static Label muted(String s) {
        Label l = new Label(s);
        l.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        return l;
    }

    private static Label heading(String s) {
        Label l = new Label(s);
        l.getStyleClass().addAll(Styles.TEXT_BOLD, "form-section");
        l.setWrapText(true);
        VBox.setMargin(l, new Insets(8, 0, 0, 0));
        return l;
    }

    private static VBox tile(String id, String value, String label, String css) {
        Label v = new Label(value);
        v.getStyleClass().addAll(Styles.TITLE_3, "tile-value");
        if (css != null) v.getStyleClass().add(css);
        v.setId(id);
        Label l = new Label(label);
        l.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        VBox t = new VBox(0, v, l);
        t.getStyleClass().add("overview-tile");
        t.setPadding(new Insets(8, 12, 8, 12));
        t.setMinWidth(Region.USE_PREF_SIZE);
        t.setAccessibleText(label + ": " + value);
        return t;
    }

    @Override
    public void activate() {
        lastRefresh = 0;
        tick(System.nanoTime());
    }

    @Override
    public void deactivate() { }

    @Override
    public void tick(long nowNanos) {
        if (lastRefresh != 0 && nowNanos - lastRefresh < 1_000_000_000L) return;
        lastRefresh = nowNanos;
        if (model.refresh() || tiles.getChildren().isEmpty()) show(model.summary().get());
    }

    private void show(FleetOverview.Summary s) {
        if (s == null) return;
        List<Node> t = new ArrayList<>();
        t.add(tile("overview-instances", Integer.toString(s.instances()), Fmt.plural(s.agents(), "agent") + ", instances", null));
        for (InstanceState st : new InstanceState[]{InstanceState.RUNNING, InstanceState.BACKOFF, InstanceState.FAILED, InstanceState.STOPPED}) {
            t.add(tile("overview-" + st.name().toLowerCase(java.util.Locale.ROOT), Integer.toString(s.count(st)), StateStyle.label(st),
                    s.count(st) > 0 ? "tile-" + st.name().toLowerCase(java.util.Locale.ROOT) : null));
        }
        t.add(tile("overview-cpu", Fmt.percent(s.cpu()), "CPU, % of a core", null));
        t.add(tile("overview-memory", Fmt.bytes(s.memory()), "memory (RSS)", null));
        t.add(tile("overview-restarts", Integer.toString(s.restarts()), "restarts", null));
        tiles.getChildren().setAll(t);
        busiest.getChildren().clear();
        int r = 0;
        for (FleetOverview.Busy b : s.busiest()) {
            Hyperlink id = new Hyperlink(b.id());
            id.setOnAction(e -> pick.accept(b.id()));
            id.setAccessibleText("Select " + b.id());
            id.setMinWidth(Region.USE_PREF_SIZE);
            Label cpu = new Label(Fmt.percent(b.cpu()));
            Label mem = new Label(Fmt.bytes(b.memory()));
            cpu.getStyleClass().add("num-label");
            mem.getStyleClass().addAll("num-label", Styles.TEXT_MUTED);
            busiest.addRow(r++, id, cpu, mem);
        }
        busyEmpty.setVisible(s.busiest().isEmpty());
        busyEmpty.setManaged(s.busiest().isEmpty());
        List<Node> ev = new ArrayList<>();
        for (EventRow e : s.recent()) {
            Label time = new Label(Fmt.clockSeconds(e.timeMs()));
            time.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
            time.setMinWidth(Region.USE_PREF_SIZE);
            String text = (e.instance().isEmpty() ? "" : e.instance() + " ") + e.change() + (e.detail().isEmpty() ? "" : " \u00b7 " + e.detail());
            Label what = new Label(text);
            what.getStyleClass().add(Styles.TEXT_SMALL);
            if (e.bad()) what.getStyleClass().add(Styles.DANGER);
            what.setWrapText(true);
            HBox.setHgrow(what, Priority.ALWAYS);
            HBox line = new HBox(8, time, what);
            line.setAlignment(Pos.TOP_LEFT);
            ev.add(line);
        }
        recent.getChildren().setAll(ev);
        recentEmpty.setVisible(s.recent().isEmpty());
        recentEmpty.setManaged(s.recent().isEmpty());
    }
}
