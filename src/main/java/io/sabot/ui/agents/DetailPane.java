package io.sabot.ui.agents;

import atlantafx.base.theme.Styles;
import io.sabot.engine.Engine;
import io.sabot.engine.ExitInfo;
import io.sabot.ui.Background;
import io.sabot.ui.Fmt;
import io.sabot.ui.StateStyle;
import io.sabot.ui.StatusBar;
import io.sabot.ui.Toasts;
import io.sabot.ui.model.AgentRow;
import io.sabot.ui.model.FleetModel;
import io.sabot.ui.model.FleetRow;
import io.sabot.ui.model.InstanceRow;
import javafx.beans.InvalidationListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** What the selected agent or instance is doing: header facts, metrics, history, logs and spec. */
public final class DetailPane extends VBox {
    private final Label name = new Label("Nothing selected");
    private final Label badge = new Label();
    private final Label facts = new Label("Select an agent or instance on the left.");
    private final TabPane tabs = new TabPane();
    private final MetricsCharts charts;
    private final HistoryTable history;
    private final LogPane logs;
    private final SpecForm spec;
    private final Tab logTab;
    private FleetRow row;
    private final InvalidationListener onFigures = o -> headerDirty = true;
    private final InvalidationListener onState = o -> { headerDirty = true; historyDirty = true; };
    private boolean headerDirty, historyDirty;

    public DetailPane(Engine engine, FleetModel model, Background bg, StatusBar status, Toasts toasts) {
        getStyleClass().add("detail-pane");
        setId("detail-pane");
        setSpacing(8);
        setPadding(new Insets(12, 14, 8, 14));
        charts = new MetricsCharts(engine, model, bg);
        history = new HistoryTable(engine, bg);
        logs = new LogPane(engine, bg);
        spec = new SpecForm(engine, model, bg, status, toasts);
        name.getStyleClass().add(Styles.TITLE_3);
        name.setId("detail-name");
        badge.getStyleClass().add("state-badge");
        badge.setVisible(false);
        facts.getStyleClass().addAll(Styles.TEXT_MUTED);
        facts.setWrapText(true);
        HBox head = new HBox(10, name, badge);
        head.setAlignment(Pos.CENTER_LEFT);
        Tab m = new Tab("Metrics", pad(charts));
        Tab h = new Tab("History", pad(history));
        logTab = new Tab("Logs", pad(logs));
        Tab s = new Tab("Spec", spec);
        m.setId("tab-metrics");
        h.setId("tab-history");
        logTab.setId("tab-logs");
        s.setId("tab-spec");
        tabs.getTabs().setAll(m, h, logTab, s);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getSelectionModel().selectedItemProperty().addListener(o -> {
            Tab t = tabs.getSelectionModel().getSelectedItem();
            logs.setActive(t == logTab);
            charts.setActive(t == m);
            history.setActive(t == h);
        });
        charts.setActive(true);
        VBox.setVgrow(tabs, Priority.ALWAYS);
        getChildren().addAll(head, facts, tabs);
    }

    private static VBox pad(javafx.scene.Node n) {
        VBox v = new VBox(n);
        v.setPadding(new Insets(8, 0, 0, 0));
        VBox.setVgrow(n, Priority.ALWAYS);
        return v;
    }

    public void show(FleetRow r) {
        if (r == row) return;
        if (row != null) {
            row.version.removeListener(onFigures);
            row.state.removeListener(onState);
            row.restarts.removeListener(onState);
        }
        row = r;
        if (r != null) {
            r.version.addListener(onFigures);
            r.state.addListener(onState);
            r.restarts.addListener(onState);
        }
        header();
        charts.show(r);
        history.show(r);
        logs.show(r);
        spec.load(r == null ? null : r.agent(), false);
    }

    private void header() {
        headerDirty = false;
        FleetRow r = row;
        if (r == null) {
            name.setText("Nothing selected");
            badge.setVisible(false);
            facts.setText("Select an agent or instance on the left.");
            return;
        }
        name.setText(r.name());
        badge.setVisible(true);
        badge.getStyleClass().removeAll(StateStyle.ALL_CLASSES);
        badge.getStyleClass().add(StateStyle.cssClass(r.state.get()));
        badge.setText(r.stateText.get());
        StringBuilder f = new StringBuilder();
        if (r instanceof AgentRow) {
            AgentRow a = (AgentRow) r;
            f.append(Fmt.plural(a.instanceCount(), "instance")).append(" \u00b7 ").append(Fmt.plural(a.restarts.get(), "restart"));
            f.append(" \u00b7 CPU ").append(Fmt.percent(a.cpu.get())).append(" \u00b7 memory ").append(Fmt.bytes(a.memory.get()));
        } else {
            InstanceRow i = (InstanceRow) r;
            f.append("pid ").append(i.pid.get() == null ? "\u2014" : i.pid.get());
            f.append(" \u00b7 up ").append(Fmt.duration(i.uptimeMs.get()));
            f.append(" \u00b7 ").append(Fmt.plural(i.restarts.get(), "restart"));
            ExitInfo e = i.lastExit();
            if (e != null) f.append(" \u00b7 last exit: ").append(e.reason());
            if (i.reason.get() != null && !i.reason.get().isEmpty() && (e == null || !i.reason.get().equals(e.reason()))) {
                f.append(" \u00b7 ").append(i.reason.get());
            }
        }
        facts.setText(f.toString());
    }

    /** Called by the pulse. */
    public void tick(long now) {
        if (headerDirty) header();
        if (historyDirty) {
            historyDirty = false;
            history.invalidate();
        }
        history.tick(now);
        charts.tick();
        logs.tick();
    }

    /** F5: read history, logs and metrics again for the shown row. */
    public void reload() {
        if (row == null) return;
        header();
        charts.show(row);
        history.show(row);
        logs.reload(); // the spec form keeps the user's edits
    }

    public void selectTab(String id) {
        for (Tab t : tabs.getTabs()) if (id.equals(t.getId())) tabs.getSelectionModel().select(t);
    }

    public SpecForm spec() { return spec; }

    public LogPane logs() { return logs; }

    public HistoryTable history() { return history; }

    public void close() { logs.close(); }
}
