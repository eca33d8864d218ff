package io.sabot.ui.agents;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import io.sabot.engine.InstanceState;
import io.sabot.ui.model.Fmt;
import io.sabot.ui.kit.StateStyle;
import io.sabot.ui.model.AgentRow;
import io.sabot.ui.model.FleetFilter;
import io.sabot.ui.model.FleetModel;
import io.sabot.ui.model.FleetRow;
import io.sabot.ui.model.InstanceRow;
import io.sabot.ui.model.Targets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.HBox;

/**
 * Agents with their instances beneath. Rows are the model's objects; the tree's items are only
 * re-linked when the fleet's shape or the filter changes, never per update.
 */
public final class FleetTable extends TreeTableView<FleetRow> {
    private final FleetModel model;
    private final TreeItem<FleetRow> rootItem = new TreeItem<>();
    private final Map<FleetRow, TreeItem<FleetRow>> items = new HashMap<>();
    private FleetFilter filter = FleetFilter.NONE;
    private int seenFigures = -1;
    private long lastSort;

    /** The host column: a row's host (its name's label, else the console's own host). */
    private final TreeTableColumn<FleetRow, String> host = new TreeTableColumn<>("Host");

    /** Shows the host column (several hosts) or hides it (one). */
    public void showHosts(boolean on) { host.setVisible(on); }

    private final javafx.scene.control.Button demoButton = new javafx.scene.control.Button("Start the demo fleet");

    /** What the empty table offers a first-time user: a button that deploys and starts the demo fleet. */
    public void offerDemo(Runnable action) {
        demoButton.setOnAction(e -> {
            demoButton.setDisable(true);
            demoButton.setText("Starting the demo fleet…");
            action.run();
        });
        demoButton.setVisible(true);
        demoButton.setManaged(true);
    }

    public FleetTable(FleetModel model) {
        this.model = model;
        setId("fleet-table");
        setRoot(rootItem);
        setShowRoot(false);
        getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        getStyleClass().addAll(Styles.DENSE, Tweaks.EDGE_TO_EDGE, "fleet-table");
        // a fixed row height spares the virtual flow measuring every cell on each update
        setFixedCellSize(30);
        Label empty = new Label("No agents deployed.\nDeploy a spec with  sabot agents deploy FILE,  or");
        empty.getStyleClass().addAll(Styles.TEXT_MUTED);
        empty.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        demoButton.setId("start-demo");
        demoButton.getStyleClass().add(Styles.ACCENT);
        demoButton.setVisible(false);
        demoButton.setManaged(false);
        javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(12, empty, demoButton);
        box.setAlignment(javafx.geometry.Pos.CENTER);
        setPlaceholder(box);
        buildColumns();
        // narrower than the columns' minimum widths (1280x800 beside the detail pane): scroll sideways, since
        // the constrained policy would cut the last columns off with no scroll bar
        double least = getColumns().stream().mapToDouble(TreeTableColumn::getMinWidth).sum() + 20; // + a vertical scroll bar
        widthProperty().addListener((o, a, w) -> {
            var policy = w.doubleValue() < least ? TreeTableView.UNCONSTRAINED_RESIZE_POLICY : TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN;
            if (getColumnResizePolicy() != policy) setColumnResizePolicy(policy);
        });
    }

    // ---- columns ---------------------------------------------------------------------------------

    /** Every column at least as wide as its header and its widest value: a narrow window scrolls the table sideways rather than cut them. */
    private void buildColumns() {
        TreeTableColumn<FleetRow, FleetRow> name = new TreeTableColumn<>("Agent / instance");
        name.setId("col-name");
        name.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().getValue()));
        name.setCellFactory(c -> new NameCell());
        name.setComparator(Comparator.comparing(FleetRow::name));
        name.setPrefWidth(178);
        name.setMinWidth(170);

        TreeTableColumn<FleetRow, String> state = new TreeTableColumn<>("State");
        state.setId("col-state");
        state.setCellValueFactory(c -> c.getValue().getValue().stateText);
        state.setCellFactory(c -> new StateCell());
        state.setPrefWidth(118);
        state.setMinWidth(108);
        state.setComparator(Comparator.comparing(s -> s));

        TreeTableColumn<FleetRow, Long> pid = new TreeTableColumn<>("PID");
        pid.setId("col-pid");
        pid.setCellValueFactory(c -> c.getValue().getValue().pid);
        pid.setCellFactory(c -> textCell(v -> v == null ? "\u2014" : Long.toString(v), true));
        pid.setComparator(Comparator.nullsFirst(Comparator.naturalOrder()));
        pid.setPrefWidth(64);
        pid.setMinWidth(64);

        TreeTableColumn<FleetRow, Number> cpu = numberColumn("CPU", r -> r.cpu, v -> Fmt.percent(v.doubleValue()), 60);
        cpu.setId("col-cpu");
        TreeTableColumn<FleetRow, Number> mem = numberColumn("Memory", r -> r.memory, v -> Fmt.bytes(v.longValue()), 80);
        mem.setId("col-mem");
        TreeTableColumn<FleetRow, Number> restarts = numberColumn("Restarts", r -> r.restarts, v -> Integer.toString(v.intValue()), 80);
        restarts.setId("col-restarts");
        TreeTableColumn<FleetRow, Number> uptime = numberColumn("Uptime", r -> r.uptimeMs, v -> Fmt.uptime(v.longValue()), 68);
        uptime.setId("col-uptime");

        TreeTableColumn<FleetRow, Number> health = new TreeTableColumn<>("Health");
        health.setId("col-health");
        health.setCellValueFactory(c -> c.getValue().getValue().healthy);
        health.setCellFactory(c -> new HealthCell());
        health.setPrefWidth(70);
        health.setMinWidth(70);

        TreeTableColumn<FleetRow, List<String>> parts = new TreeTableColumn<>("Parts");
        parts.setId("col-partitions");
        parts.setCellValueFactory(c -> c.getValue().getValue().partitions);
        parts.setCellFactory(c -> new PartitionsCell());
        parts.setComparator(Comparator.comparingInt(List::size));
        parts.setPrefWidth(54);
        parts.setMinWidth(54);

        TreeTableColumn<FleetRow, Number> rate = numberColumn("Msg/s", r -> r.rate, v -> Fmt.rate(v.doubleValue()), 60);
        rate.setId("col-rate");

        host.setId("col-host");
        host.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().getValue().host()));
        host.setComparator(Comparator.naturalOrder());
        host.setPrefWidth(96);
        host.setVisible(false); // shown while the console has several hosts (showHosts)

        getColumns().setAll(List.of(name, host, state, pid, cpu, mem, restarts, uptime, health, parts, rate));
        setTreeColumn(name);
    }

    private TreeTableColumn<FleetRow, Number> numberColumn(String title, Function<FleetRow, ObservableValue<Number>> prop,
                                                           Function<Number, String> fmt, double width) {
        TreeTableColumn<FleetRow, Number> c = new TreeTableColumn<>(title);
        c.setCellValueFactory(f -> prop.apply(f.getValue().getValue()));
        c.setCellFactory(f -> textCell(fmt, true));
        c.setComparator(Comparator.comparingDouble(Number::doubleValue));
        c.setPrefWidth(width);
        c.setMinWidth(width);
        return c;
    }

    /**
     * A cell whose changes of content never lay out its row. A row's size is the fixed cell size and
     * its cells' widths are the columns', so new text in a cell changes nothing outside it. JavaFX
     * would pass the cell's layout request up to its row, and one row needing layout makes the
     * table's VirtualFlow lay out every visible row again, re-index each and re-apply CSS to the
     * whole row (JFR: most of the FX thread's time in an idle demo console, and the long frames of
     * a bulk restart). Here the cell alone is marked for layout (its ancestors become a dirty
     * branch, which the next pulse walks down to it), so a tick costs a layout of the cells whose
     * text changed.
     */
    abstract static class OwnLayoutCell<T> extends TreeTableCell<FleetRow, T> {
        private boolean laying;

        @Override
        public void requestLayout() {
            if (laying) return; // the skin setting the text it just measured: laying out again would change nothing, but cost a second pulse
            if (getParent() == null || getSkin() == null) super.requestLayout(); // not laid out yet: the usual way
            else setNeedsLayout(true);
        }

        @Override
        protected void layoutChildren() {
            laying = true;
            try {
                super.layoutChildren();
            } finally {
                laying = false;
            }
        }
    }

    private static <T> TreeTableCell<FleetRow, T> textCell(Function<T, String> fmt, boolean right) {
        return new OwnLayoutCell<>() {
            {
                getStyleClass().add(right ? "num-cell" : "text-cell");
            }

            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : fmt.apply(item));
            }
        };
    }

    private static final class NameCell extends OwnLayoutCell<FleetRow> {
        private final Label main = new Label();
        private final Label sub = new Label();
        private final HBox box = new HBox(6, main, sub);

        NameCell() {
            sub.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
            box.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(FleetRow item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            main.setText(item.displayName());
            boolean bold = main.getStyleClass().contains(Styles.TEXT_BOLD);
            if (bold != item.isAgent()) {
                if (item.isAgent()) main.getStyleClass().add(Styles.TEXT_BOLD);
                else main.getStyleClass().remove(Styles.TEXT_BOLD);
            }
            if (item.isAgent()) {
                sub.setText("\u00d7" + item.instanceCount());
            } else {
                sub.setText("");
            }
            setGraphic(box);
        }
    }

    /** The coloured state badge (RUNNING green, STARTING/STOPPING blue, BACKOFF amber, FAILED red, STOPPED grey). */
    private static final class StateCell extends OwnLayoutCell<String> {
        private final Label badge = new Label();
        private InstanceState shown;

        StateCell() { badge.getStyleClass().add("state-badge"); }

        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            FleetRow row = getTableRow() == null ? null : getTableRow().getItem();
            if (empty || item == null || row == null) {
                setGraphic(null);
                return;
            }
            if (row.state.get() != shown) {
                StateStyle.pseudo(badge, row.state.get());
                shown = row.state.get();
            }
            badge.setText(item);
            setGraphic(badge);
        }
    }

    private static final class HealthCell extends OwnLayoutCell<Number> {
        private static final javafx.css.PseudoClass OK = javafx.css.PseudoClass.getPseudoClass("ok");
        private static final javafx.css.PseudoClass BAD = javafx.css.PseudoClass.getPseudoClass("bad");
        private String css = "";

        HealthCell() { getStyleClass().add("health-cell"); }

        private void css(String c) {
            if (c.equals(css)) return; // pseudo-classes, and only on change: cheap CSS
            pseudoClassStateChanged(OK, c.equals("health-ok"));
            pseudoClassStateChanged(BAD, c.equals("health-bad"));
            css = c;
        }

        @Override
        protected void updateItem(Number item, boolean empty) {
            super.updateItem(item, empty);
            FleetRow row = getTableRow() == null ? null : getTableRow().getItem();
            if (empty || item == null || row == null || item.intValue() < 0) {
                setText(empty ? null : "\u2014");
                css("");
                return;
            }
            if (row instanceof AgentRow) {
                AgentRow a = (AgentRow) row;
                boolean all = item.intValue() == a.healthKnown.get();
                setText((all ? "\u25cf " : "\u25b2 ") + item.intValue() + "/" + a.healthKnown.get());
                css(all ? "health-ok" : "health-bad");
            } else {
                boolean ok = item.intValue() == 1;
                setText(ok ? "\u25cf ok" : "\u25b2 unhealthy");
                css(ok ? "health-ok" : "health-bad");
            }
        }
    }

    private static final class PartitionsCell extends OwnLayoutCell<List<String>> {
        private final Tooltip tip = new Tooltip();

        PartitionsCell() { getStyleClass().add("num-cell"); }

        @Override
        protected void updateItem(List<String> item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null || item.isEmpty()) {
                setText(empty ? null : "\u2014");
                setTooltip(null);
                return;
            }
            setText(Integer.toString(item.size()));
            List<String> shown = item.size() > 40 ? item.subList(0, 40) : item;
            tip.setText(String.join(", ", shown) + (item.size() > 40 ? " \u2026 (" + item.size() + ")" : ""));
            tip.setWrapText(true);
            tip.setMaxWidth(360);
            setTooltip(tip);
        }
    }

    // ---- filter and tree ---------------------------------------------------------------------------

    private final javafx.beans.InvalidationListener onStructure = o -> refreshTree();
    private boolean active;

    /** Follows the fleet's shape while the view shows; re-links the tree once on showing. */
    public void activate() {
        if (active) return;
        active = true;
        model.structure.addListener(onStructure);
        seenFigures = -1;
        refreshTree();
    }

    public void deactivate() {
        if (!active) return;
        active = false;
        model.structure.removeListener(onStructure);
    }

    public void setFilter(FleetFilter f) {
        filter = f == null ? FleetFilter.NONE : f;
        refreshTree();
    }

    /** Kept for tests: text and states. */
    public void setFilter(String text, Set<InstanceState> states) { setFilter(new FleetFilter(text, states)); }

    public boolean filterActive() { return filter.active(); }

    /** Re-links tree items to match model and filter; touches a list only when its members differ. */
    public void refreshTree() {
        List<TreeItem<FleetRow>> agentItems = new ArrayList<>();
        Set<FleetRow> alive = new LinkedHashSet<>();
        for (AgentRow a : model.agents().values()) {
            boolean agentMatches = filter.agentMatches(a);
            List<TreeItem<FleetRow>> kids = new ArrayList<>();
            for (InstanceRow r : a.instances()) {
                if (!filter.visible(r, agentMatches)) continue;
                kids.add(item(r));
                alive.add(r);
            }
            if (kids.isEmpty()) continue;
            TreeItem<FleetRow> ai = item(a);
            alive.add(a);
            if (!sameMembers(ai.getChildren(), kids)) ai.getChildren().setAll(kids);
            agentItems.add(ai);
        }
        if (!sameMembers(rootItem.getChildren(), agentItems)) rootItem.getChildren().setAll(agentItems);
        items.keySet().retainAll(alive);
        if (!getSortOrder().isEmpty()) sort();
    }

    private boolean needsSort() {
        Comparator<TreeItem<FleetRow>> c = getComparator();
        if (c == null) return false;
        if (!sorted(rootItem.getChildren(), c)) return true;
        for (TreeItem<FleetRow> a : rootItem.getChildren()) if (!sorted(a.getChildren(), c)) return true;
        return false;
    }

    private static boolean sorted(List<TreeItem<FleetRow>> l, Comparator<TreeItem<FleetRow>> c) {
        for (int i = 1; i < l.size(); i++) if (c.compare(l.get(i - 1), l.get(i)) > 0) return false;
        return true;
    }

    private static boolean sameMembers(List<TreeItem<FleetRow>> have, List<TreeItem<FleetRow>> want) {
        return have.size() == want.size() && new java.util.HashSet<>(have).containsAll(want);
    }

    private TreeItem<FleetRow> item(FleetRow r) {
        return items.computeIfAbsent(r, k -> {
            TreeItem<FleetRow> t = new TreeItem<>(k);
            t.setExpanded(true);
            return t;
        });
    }

    /** Called by the pulse: re-filter when states moved (state filter on) and re-sort at most every 2 s. */
    public void tick(long nowNanos) {
        int f = model.figures.get();
        if (f == seenFigures) return;
        seenFigures = f;
        if (filter.byState()) {
            refreshTree();
            return;
        }
        // live re-sort at most every 2 s, and only when the order is actually off: a sort
        // re-indexes every visible row
        if (!getSortOrder().isEmpty() && nowNanos - lastSort > 2_000_000_000L) {
            lastSort = nowNanos;
            if (needsSort()) sort();
        }
    }

    // ---- selection -----------------------------------------------------------------------------

    /** Selected rows (agents stand for all their instances), or everything the filter shows when nothing is selected. */
    public Targets targets() {
        List<FleetRow> sel = new ArrayList<>();
        for (TreeItem<FleetRow> t : getSelectionModel().getSelectedItems()) if (t != null) sel.add(t.getValue());
        return Targets.of(sel, filter, model);
    }

    /** The row the detail pane shows: the most recently selected one. */
    public FleetRow focusedRow() {
        TreeItem<FleetRow> t = getSelectionModel().getSelectedItem();
        return t == null ? null : t.getValue();
    }

    public TreeItem<FleetRow> itemOf(FleetRow r) { return items.get(r); }
}
