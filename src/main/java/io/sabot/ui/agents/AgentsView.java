package io.sabot.ui.agents;

import atlantafx.base.controls.CustomTextField;
import atlantafx.base.theme.Styles;
import io.sabot.engine.InstanceState;
import io.sabot.ui.kit.Activatable;
import io.sabot.ui.kit.Icons;
import io.sabot.ui.kit.StateStyle;
import io.sabot.ui.kit.StatusBar;
import io.sabot.ui.kit.Toasts;
import io.sabot.ui.model.ConsoleModel;
import io.sabot.ui.model.FleetFilter;
import io.sabot.ui.model.FleetOp;
import io.sabot.ui.model.FleetRow;
import java.util.EnumSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Separator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.Window;
import javafx.util.StringConverter;
import org.controlsfx.control.CheckComboBox;
import org.controlsfx.glyphfont.FontAwesome;

/**
 * The agents view: filter and actions above, the fleet tree on the left, details on the right.
 * Active, the table follows the fleet's shape and the detail pane its selected tab; inactive,
 * neither listens to anything.
 */
public final class AgentsView extends BorderPane implements Activatable {
    private final FleetTable table;
    private final DetailPane detail;
    private final BulkActions actions;
    private final CustomTextField filter = new CustomTextField();
    private final CheckComboBox<InstanceState> stateFilter = new CheckComboBox<>();
    private final SplitPane split;
    private final io.sabot.ui.model.HostsModel hosts;
    private final io.sabot.ui.model.Subs subs = new io.sabot.ui.model.Subs();

    public AgentsView(ConsoleModel vm, StatusBar status, Toasts toasts, Supplier<Window> owner, Consumer<String> showTrace) {
        getStyleClass().add("agents-view");
        hosts = vm.hosts();
        table = new FleetTable(vm.fleet());
        detail = new DetailPane(vm, status, toasts, id -> {
            var r = vm.fleet().instance(id);
            if (r != null) select(r);
        }, showTrace);
        actions = new BulkActions(vm, status, toasts, table::targets, owner, showTrace);
        // an empty home offers the demo fleet; deploying and starting it runs off the FX thread
        table.offerDemo(() -> vm.actions().startDemo(o -> vm.afterOperation(),
                err -> toasts.show(Toasts.Kind.DANGER, "Demo fleet: " + err.getMessage(), java.util.List.of(), 8)));

        filter.setId("agents-filter");
        filter.setPromptText("Filter by name or pid  (Ctrl+F)");
        filter.setLeft(Icons.of(FontAwesome.Glyph.SEARCH));
        filter.setPrefWidth(280);
        Button clearFilter = new Button(null, Icons.of(FontAwesome.Glyph.TIMES));
        clearFilter.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL);
        clearFilter.setOnAction(e -> filter.clear());
        clearFilter.setTooltip(new Tooltip("Clear the filter"));
        clearFilter.setAccessibleText("Clear the filter");
        filter.setAccessibleText("Filter agents by name, instance, group or pid");
        stateFilter.setAccessibleText("Show only instances in these states");
        clearFilter.visibleProperty().bind(filter.textProperty().isNotEmpty());
        filter.setRight(clearFilter);
        filter.textProperty().addListener(o -> applyFilter());

        stateFilter.setId("state-filter");
        stateFilter.getItems().setAll(InstanceState.values());
        stateFilter.setTitle("All states");
        stateFilter.setShowCheckedCount(true);
        stateFilter.setConverter(new StringConverter<>() {
            @Override
            public String toString(InstanceState s) { return s == null ? "" : StateStyle.label(s); }

            @Override
            public InstanceState fromString(String s) { return InstanceState.valueOf(s.toUpperCase()); }
        });
        stateFilter.getCheckModel().getCheckedItems().addListener((javafx.collections.ListChangeListener<InstanceState>) c -> applyFilter());
        stateFilter.setPrefWidth(150);

        Button start = button("Start", FontAwesome.Glyph.PLAY, "Start the selection, or everything when nothing is selected (Ctrl+S)", () -> actions.run(FleetOp.START));
        start.setId("btn-start");
        Button stop = button("Stop", FontAwesome.Glyph.STOP, "Stop (Ctrl+Shift+S)", () -> actions.run(FleetOp.STOP));
        stop.setId("btn-stop");
        Button restart = button("Restart", FontAwesome.Glyph.REFRESH, "Restart (Ctrl+R)", () -> actions.run(FleetOp.RESTART));
        restart.setId("btn-restart");
        Button rolling = button("Rolling", FontAwesome.Glyph.RETWEET, "Rolling restart: one at a time, each back to RUNNING first (Ctrl+Shift+R)", () -> actions.run(FleetOp.ROLLING_RESTART));
        rolling.setId("btn-rolling");
        Button force = button("Force stop", FontAwesome.Glyph.POWER_OFF, "Force stop: SIGKILL at once (Ctrl+Shift+K)", () -> actions.run(FleetOp.FORCE_STOP));
        force.setId("btn-force-stop");
        force.getStyleClass().add(Styles.DANGER);
        Button scale = button("Scale\u2026", FontAwesome.Glyph.SORT_AMOUNT_ASC, "Change the number of instances (Ctrl+Shift+N)", actions::scale);
        scale.setId("btn-scale");
        start.getStyleClass().add(Styles.SUCCESS);

        Region sp = new Region();
        HBox.setHgrow(sp, Priority.ALWAYS);
        HBox bar = new HBox(8, filter, stateFilter, sp, start, stop, restart, rolling, new Separator(Orientation.VERTICAL), force, scale);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(10, 12, 10, 12));
        bar.getStyleClass().add("view-toolbar");
        setTop(bar);

        table.setContextMenu(contextMenu());
        table.setAccessibleText("Agents and their instances");
        // Escape clears the selection: the detail pane then shows the whole fleet
        table.addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.ESCAPE && !table.getSelectionModel().isEmpty()) {
                table.getSelectionModel().clearSelection();
                e.consume();
            }
        });
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> detail.show(b == null ? null : b.getValue()));
        split = new SplitPane(table, detail);
        split.setDividerPositions(0.63);
        detail.setMinWidth(440); // five detail tabs fit their header at the narrowest (ConsoleLayoutTest)
        table.setMinWidth(480);
        SplitPane.setResizableWithParent(detail, false);
        setCenter(split);
    }

    private static Button button(String text, FontAwesome.Glyph g, String tip, Runnable r) {
        Button b = new Button(text, Icons.of(g));
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> r.run());
        return b;
    }

    private ContextMenu contextMenu() {
        ContextMenu m = new ContextMenu();
        m.getItems().addAll(
                item("Start", FontAwesome.Glyph.PLAY, "Shortcut+S", () -> actions.run(FleetOp.START)),
                item("Stop", FontAwesome.Glyph.STOP, "Shortcut+Shift+S", () -> actions.run(FleetOp.STOP)),
                item("Force stop", FontAwesome.Glyph.POWER_OFF, "Shortcut+Shift+K", () -> actions.run(FleetOp.FORCE_STOP)),
                new SeparatorMenuItem(),
                item("Restart", FontAwesome.Glyph.REFRESH, "Shortcut+R", () -> actions.run(FleetOp.RESTART)),
                item("Rolling restart", FontAwesome.Glyph.RETWEET, "Shortcut+Shift+R", () -> actions.run(FleetOp.ROLLING_RESTART)),
                new SeparatorMenuItem(),
                item("Scale\u2026", FontAwesome.Glyph.SORT_AMOUNT_ASC, "Shortcut+Shift+N", actions::scale),
                item("Show logs", FontAwesome.Glyph.FILE_TEXT_ALT, "Alt+3", () -> detail.selectTab("tab-logs")),
                item("Edit spec", FontAwesome.Glyph.PENCIL, "Alt+4", () -> detail.selectTab("tab-spec")));
        return m;
    }

    /** A context-menu item showing its shortcut (the window's accelerator does the same from anywhere). */
    private static MenuItem item(String text, FontAwesome.Glyph g, String keys, Runnable r) {
        MenuItem i = new MenuItem(text, Icons.of(g));
        i.setAccelerator(javafx.scene.input.KeyCombination.keyCombination(keys));
        i.setOnAction(e -> r.run());
        return i;
    }

    private void applyFilter() {
        EnumSet<InstanceState> s = EnumSet.noneOf(InstanceState.class);
        s.addAll(stateFilter.getCheckModel().getCheckedItems());
        table.setFilter(new FleetFilter(filter.getText(), s, hosts.filter.get()));
    }

    @Override
    public void activate() {
        // the host filter and column follow the Hosts list while the view shows
        subs.on(hosts.filter, (o, a, b) -> applyFilter());
        subs.on(hosts.multiHost, (o, a, b) -> table.showHosts(b));
        table.showHosts(hosts.multiHost.get());
        applyFilter();
        table.activate();
        detail.activate();
    }

    @Override
    public void deactivate() {
        subs.clear();
        table.deactivate();
        detail.deactivate();
    }

    public void focusFilter() {
        filter.requestFocus();
        filter.selectAll();
    }

    public void selectAll() {
        table.requestFocus();
        table.getSelectionModel().selectAll();
    }

    @Override
    public void tick(long now) {
        table.tick(now);
        detail.tick(now);
    }

    public void select(FleetRow r) {
        var item = table.itemOf(r);
        if (item != null) {
            table.getSelectionModel().clearSelection();
            table.getSelectionModel().select(item);
            table.scrollTo(table.getRow(item));
        }
    }

    public FleetTable table() { return table; }

    public DetailPane detail() { return detail; }

    public BulkActions actions() { return actions; }

    public CheckComboBox<InstanceState> stateFilter() { return stateFilter; }

    public SplitPane split() { return split; }

    public void close() { detail.close(); }
}
