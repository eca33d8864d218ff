package io.sabot.ui.agents;

import atlantafx.base.theme.Styles;
import io.sabot.engine.ExitInfo;
import io.sabot.ui.kit.Activatable;
import io.sabot.ui.kit.StateStyle;
import io.sabot.ui.kit.StatusBar;
import io.sabot.ui.kit.Toasts;
import io.sabot.ui.model.AgentRow;
import io.sabot.ui.model.ConsoleModel;
import io.sabot.ui.model.FleetRow;
import io.sabot.ui.model.Fmt;
import io.sabot.ui.model.InstanceRow;
import io.sabot.ui.model.Subs;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.beans.InvalidationListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * What the selected agent or instance is doing: header facts, then tabs (metrics, history, logs,
 * spec). Only the selected tab is active: a hidden tab reads nothing, follows nothing and is not
 * ticked.
 */
public final class DetailPane extends VBox implements Activatable {
    private final Label name = new Label("Nothing selected");
    private final Label badge = new Label();
    private final Label facts = new Label("Select an agent or instance on the left.");
    private final TabPane tabs = new TabPane();
    private final MetricsCharts charts;
    private final HistoryTable history;
    private final LogPane logs;
    private final SpecForm spec;
    private final CrashCard crash;
    private final TrendsPane trends;
    private final Map<Tab, Activatable> panes = new LinkedHashMap<>();
    private final Subs rowSubs = new Subs();
    private final InvalidationListener onFigures = o -> headerDirty = true;
    private final InvalidationListener onState = o -> onStateChanged();
    private FleetRow row;
    private Activatable shown;
    private boolean headerDirty, active;

    private final FleetOverviewPane overview;
    private final HBox head;

    public DetailPane(ConsoleModel vm, StatusBar status, Toasts toasts) { this(vm, status, toasts, id -> { }, id -> { }); }

    /** @param pick selects an instance by id (the overview's busiest); @param showTrace opens a trace */
    public DetailPane(ConsoleModel vm, StatusBar status, Toasts toasts, java.util.function.Consumer<String> pick,
                      java.util.function.Consumer<String> showTrace) {
        getStyleClass().add("detail-pane");
        setId("detail-pane");
        setSpacing(8);
        setPadding(new Insets(12, 14, 8, 14));
        charts = new MetricsCharts(vm.newMetrics());
        charts.setMetricsTick(() -> vm.fleet().metricsTick.get());
        history = new HistoryTable(vm.newHistory());
        logs = new LogPane(vm.newLog());
        spec = new SpecForm(vm.newSpec(), status, toasts);
        overview = new FleetOverviewPane(vm.newOverview(), pick);
        VBox.setVgrow(overview, Priority.ALWAYS);
        crash = new CrashCard(vm.newCrash(), showTrace);
        trends = new TrendsPane(vm.newUsage());
        name.getStyleClass().add(Styles.TITLE_3);
        name.setId("detail-name");
        name.setMinWidth(0);
        badge.getStyleClass().add("state-badge");
        badge.setVisible(false);
        badge.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        facts.getStyleClass().addAll(Styles.TEXT_MUTED);
        facts.setWrapText(true);
        facts.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // the VBox would squeeze a wrapped line back to one, with an ellipsis
        facts.setId("detail-facts");
        head = new HBox(10, name, badge);
        head.setAlignment(Pos.CENTER_LEFT);
        tab("Metrics", "tab-metrics", pad(charts), charts);
        tab("History", "tab-history", pad(history), history);
        tab("Trends", "tab-trends", pad(trends), trends);
        tab("Logs", "tab-logs", pad(logs), logs);
        tab("Spec", "tab-spec", spec, spec);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> switchTo(b));
        VBox.setVgrow(tabs, Priority.ALWAYS);
        getChildren().setAll(overview, head, facts, crash, tabs);
        showRowParts(false);
    }

    /** Both the overview and the row's parts stay in the scene graph (re-adding would re-apply their CSS); one shows. */
    private void showRowParts(boolean on) {
        overview.setVisible(!on);
        overview.setManaged(!on);
        for (javafx.scene.Node n : new javafx.scene.Node[]{head, facts, tabs}) {
            n.setVisible(on);
            n.setManaged(on);
        }
    }

    private void tab(String title, String id, javafx.scene.Node content, Activatable pane) {
        Tab t = new Tab(title, content);
        t.setId(id);
        tabs.getTabs().add(t);
        panes.put(t, pane);
    }

    private static VBox pad(javafx.scene.Node n) {
        VBox v = new VBox(n);
        v.setPadding(new Insets(8, 0, 0, 0));
        VBox.setVgrow(n, Priority.ALWAYS);
        return v;
    }

    /** Nothing selected: the fleet overview; a row: its header and the selected tab. */
    private void switchTo(Tab t) {
        Activatable next = !active ? null : row == null ? overview : t == null ? null : panes.get(t);
        if (next == shown) return;
        if (shown != null) shown.deactivate();
        shown = next;
        if (shown != null) shown.activate();
    }

    @Override
    public void activate() {
        if (active) return;
        active = true;
        listenTo(row);
        header();
        crash.activate();
        switchTo(tabs.getSelectionModel().getSelectedItem());
    }

    @Override
    public void deactivate() {
        if (!active) return;
        active = false;
        rowSubs.clear();
        crash.deactivate();
        switchTo(null);
    }

    private void onStateChanged() {
        headerDirty = true;
        history.invalidate();
        crash.invalidate();
    }

    private void listenTo(FleetRow r) {
        rowSubs.clear();
        if (r == null || !active) return;
        rowSubs.on(r.version, onFigures);
        rowSubs.on(r.state, onState);
        rowSubs.on(r.restarts, onState);
    }

    public void show(FleetRow r) {
        if (r == row) return;
        boolean had = row != null;
        row = r;
        if (had != (r != null)) showRowParts(r != null);
        listenTo(r);
        header();
        charts.show(r);
        history.show(r);
        logs.show(r);
        spec.load(r == null ? null : r.agent(), false);
        crash.show(r instanceof InstanceRow i ? i.id() : null);
        trends.show(r);
        switchTo(tabs.getSelectionModel().getSelectedItem());
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
        if (r instanceof AgentRow a) {
            f.append(Fmt.plural(a.instanceCount(), "instance")).append(" \u00b7 ").append(Fmt.plural(a.restarts.get(), "restart"));
            f.append(" \u00b7 CPU ").append(Fmt.percent(a.cpu.get())).append(" \u00b7 memory ").append(Fmt.bytes(a.memory.get()));
        } else {
            InstanceRow i = (InstanceRow) r;
            f.append("pid ").append(i.pid.get() == null ? "\u2014" : i.pid.get());
            f.append(" \u00b7 up ").append(Fmt.uptime(i.uptimeMs.get()));
            f.append(" \u00b7 ").append(Fmt.plural(i.restarts.get(), "restart"));
            ExitInfo e = i.lastExit();
            if (e != null) f.append(" \u00b7 last exit: ").append(e.reason());
            if (i.reason.get() != null && !i.reason.get().isEmpty() && (e == null || !i.reason.get().equals(e.reason()))) {
                f.append(" \u00b7 ").append(i.reason.get());
            }
        }
        facts.setText(f.toString());
    }

    /** Called by the pulse while the agents view shows. */
    @Override
    public void tick(long now) {
        if (headerDirty) header();
        crash.tick(now);
        if (shown != null) shown.tick(now);
    }

    /** F5: read history, logs and metrics again for the shown row. */
    public void reload() {
        if (row == null) return;
        header();
        charts.show(row);
        history.reload();
        logs.reload(); // the spec form keeps the user's edits
    }

    public void selectTab(String id) {
        for (Tab t : tabs.getTabs()) if (id.equals(t.getId())) tabs.getSelectionModel().select(t);
    }

    public TabPane tabs() { return tabs; }

    public SpecForm spec() { return spec; }

    public LogPane logs() { return logs; }

    public HistoryTable history() { return history; }

    public MetricsCharts charts() { return charts; }

    public FleetOverviewPane overview() { return overview; }

    public CrashCard crash() { return crash; }

    public TrendsPane trends() { return trends; }

    public void close() {
        deactivate();
        logs.close();
    }
}
