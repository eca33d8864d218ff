package io.sabot.ui.traces;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import io.sabot.telemetry.SpanView;
import io.sabot.ui.kit.Activatable;
import io.sabot.ui.model.Fmt;
import io.sabot.ui.kit.Icons;
import io.sabot.ui.model.TraceEntry;
import io.sabot.ui.model.TraceStore;
import io.sabot.ui.model.TracesModel;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.glyphfont.FontAwesome;

/**
 * Recent traces (a query at open, after each operation, and live spans merged in) and, for the
 * selected one, its spans on a Gantt timeline with the clicked span's attributes beside it.
 */
public final class TracesView extends BorderPane implements Activatable {
    private final TracesModel model;
    private final TraceStore store;
    private final TableView<TraceEntry> list;
    private final GanttCanvas gantt = new GanttCanvas();
    private final TableView<Map.Entry<String, String>> attrs = new TableView<>();
    private final Label title = new Label("No trace selected");
    private final Label sub = new Label();
    private final TraceSearchBar search;
    private final Label critical = new Label();
    private boolean active;
    private long criticalAtNanos;
    private TraceEntry shown;
    private int shownVersion = -1;
    private String pending;

    private final TableColumn<TraceEntry, String> hostCol = new TableColumn<>("Hosts");
    private final javafx.beans.property.BooleanProperty multiHost;
    private final io.sabot.ui.model.Subs subs = new io.sabot.ui.model.Subs();

    public TracesView(TracesModel model) { this(model, new javafx.beans.property.SimpleBooleanProperty()); }

    /** @param multiHost whether the console shows several hosts (the hosts column shows then) */
    public TracesView(TracesModel model, javafx.beans.property.BooleanProperty multiHost) {
        this.model = model;
        this.multiHost = multiHost;
        this.store = model.store();
        model.setAfterLoad(this::trySelectPending);
        getStyleClass().add("traces-view");
        list = new TableView<>(store.items());
        list.setId("traces-list");
        list.setFixedCellSize(28);
        list.getStyleClass().addAll(Styles.DENSE, Tweaks.EDGE_TO_EDGE);
        list.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label empty = new Label("No traces yet.\nOperations (start, stop, restart) are traced when telemetry is on.");
        empty.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        empty.getStyleClass().add(Styles.TEXT_MUTED);
        empty.setWrapText(true);
        list.setPlaceholder(empty);
        TableColumn<TraceEntry, String> name = new TableColumn<>("Operation");
        name.setCellValueFactory(c -> c.getValue().name);
        name.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean e) {
                super.updateItem(s, e);
                TraceEntry t = getTableRow() == null ? null : getTableRow().getItem();
                setText(e ? null : s);
                getStyleClass().remove("trace-error");
                if (!e && t != null && t.isError()) getStyleClass().add("trace-error");
            }
        });
        name.setPrefWidth(160);
        TableColumn<TraceEntry, String> dur = new TableColumn<>("Duration");
        dur.setCellValueFactory(c -> c.getValue().duration.asString().map(s -> Fmt.nanos(c.getValue().duration.get())));
        dur.setPrefWidth(82);
        dur.setMinWidth(64);
        dur.getStyleClass().add("num-col");
        TableColumn<TraceEntry, String> status = new TableColumn<>("Status");
        status.setCellValueFactory(c -> c.getValue().status);
        status.setCellFactory(c -> new TableCell<>() {
            private final Label l = new Label();

            @Override
            protected void updateItem(String s, boolean e) {
                super.updateItem(s, e);
                if (e || s == null) {
                    setGraphic(null);
                    return;
                }
                boolean err = "ERROR".equalsIgnoreCase(s);
                l.setText(err ? "\u25cf error" : "\u25cf ok");
                l.getStyleClass().setAll("label", err ? "health-bad" : "health-ok");
                setGraphic(l);
            }
        });
        status.setPrefWidth(62);
        status.setMinWidth(58);
        TableColumn<TraceEntry, String> time = new TableColumn<>("Time");
        time.setCellValueFactory(c -> new ReadOnlyStringWrapper(Fmt.clockSeconds(c.getValue().start.get() / 1_000_000)));
        time.setPrefWidth(70);
        time.setMinWidth(64);
        hostCol.setCellValueFactory(c -> c.getValue().hosts);
        hostCol.setPrefWidth(90);
        hostCol.setVisible(false);
        list.getColumns().setAll(List.of(name, hostCol, dur, status, time));
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> showTrace(b));

        Label head = new Label("Recent traces");
        head.getStyleClass().add(Styles.TEXT_BOLD);
        Button refresh = new Button(null, Icons.of(FontAwesome.Glyph.REFRESH));
        refresh.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        refresh.setTooltip(new Tooltip("Reload traces (F5)"));
        refresh.setAccessibleText("Reload traces");
        refresh.setId("traces-reload");
        refresh.setOnAction(e -> reload());
        Region sp = new Region();
        HBox.setHgrow(sp, Priority.ALWAYS);
        HBox lh = new HBox(6, head, sp, refresh);
        lh.setAlignment(Pos.CENTER_LEFT);
        lh.setPadding(new Insets(10, 8, 6, 12));
        search = new TraceSearchBar(model.search());
        search.setOnChange(() -> {
            if (active) list.setItems(itemsNow());
        });
        VBox left = new VBox(lh, search, list);
        left.setMinWidth(390);
        left.setMaxWidth(560);
        VBox.setVgrow(list, Priority.ALWAYS);

        title.getStyleClass().add(Styles.TITLE_4);
        title.setId("trace-title");
        sub.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        Button zin = zoomButton(FontAwesome.Glyph.SEARCH_PLUS, "Zoom in (mouse wheel)", () -> gantt.zoom(1.5, Double.NaN));
        Button zout = zoomButton(FontAwesome.Glyph.SEARCH_MINUS, "Zoom out", () -> gantt.zoom(1 / 1.5, Double.NaN));
        Button fit = zoomButton(FontAwesome.Glyph.ARROWS_H, "Fit the whole trace", gantt::fit);
        zin.setId("zoom-in");
        zout.setId("zoom-out");
        Region sp2 = new Region();
        HBox.setHgrow(sp2, Priority.ALWAYS);
        critical.setId("trace-critical-path");
        critical.getStyleClass().addAll(Styles.TEXT_SMALL, "critical-path");
        critical.setWrapText(true);
        HBox rh = new HBox(8, new VBox(2, title, sub, critical), sp2, zout, zin, fit);
        rh.setAlignment(Pos.CENTER_LEFT);
        rh.setPadding(new Insets(10, 12, 8, 12));

        BorderPane gs = new BorderPane(gantt);
        gs.setRight(gantt.scrollBar());
        gantt.setOnSelect(this::showSpan);

        attrs.setId("span-attributes");
        attrs.getStyleClass().addAll(Styles.DENSE, Tweaks.EDGE_TO_EDGE, Styles.STRIPED);
        attrs.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        attrs.setPlaceholder(new Label("Click a span"));
        TableColumn<Map.Entry<String, String>, String> k = new TableColumn<>("Attribute");
        k.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().getKey()));
        k.setPrefWidth(130);
        TableColumn<Map.Entry<String, String>, String> v = new TableColumn<>("Value");
        v.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().getValue()));
        attrs.getColumns().setAll(List.of(k, v));
        attrs.setPrefWidth(340);
        attrs.setMinWidth(300);

        SplitPane right = new SplitPane(gs, attrs);
        right.setDividerPositions(0.7);
        SplitPane.setResizableWithParent(attrs, false);
        BorderPane rightPane = new BorderPane(right);
        rightPane.setTop(rh);
        SplitPane main = new SplitPane(left, rightPane);
        main.setDividerPositions(0.32);
        SplitPane.setResizableWithParent(left, false);
        setCenter(main);
        list.setItems(javafx.collections.FXCollections.observableArrayList());
    }

    /** Showing: the list follows the store (live spans merge in) and the first showing queries recent traces. */
    @Override
    public void activate() {
        hostCol.setVisible(multiHost.get());
        subs.on(multiHost, (o, a, b) -> hostCol.setVisible(b));
        active = true;
        list.setItems(itemsNow());
        if (shown != null) list.getSelectionModel().select(shown);
        model.loadOnce();
    }

    /** Hidden: the list is detached, so live spans cost no table layout. */
    @Override
    public void deactivate() {
        subs.clear();
        active = false;
        TraceEntry keep = shown;
        list.setItems(javafx.collections.FXCollections.observableArrayList());
        if (keep != null) showTrace(keep);
    }

    private static Button zoomButton(FontAwesome.Glyph g, String tip, Runnable r) {
        Button b = new Button(null, Icons.of(g));
        b.getStyleClass().add(Styles.BUTTON_ICON);
        b.setTooltip(new Tooltip(tip));
        b.setAccessibleText(tip);
        b.setOnAction(e -> r.run());
        return b;
    }

    /** Queries recent traces on a background thread and merges them in. */
    public void reload() { model.reload(); }

    /** Selects a trace by id (from "Show trace"); if it has not arrived yet, selects it when it does. */
    public void select(String traceId) {
        pending = traceId;
        if (!trySelectPending()) reload();
    }

    /** The recent traces, or the matches while a search is in force. */
    private javafx.collections.ObservableList<TraceEntry> itemsNow() {
        return model.search().active() ? model.search().items() : store.shown(); // the host filter's traces (all when none)
    }

    private boolean trySelectPending() {
        if (pending == null) return false;
        TraceEntry e = model.search().active() && model.search().found().get(pending) != null ? model.search().found().get(pending) : store.get(pending);
        if (e == null) return false;
        pending = null;
        list.getSelectionModel().select(e);
        list.scrollTo(e);
        return true;
    }

    private void showTrace(TraceEntry t) {
        boolean same = t != null && t == shown;
        shown = t;
        shownVersion = t == null ? -1 : t.version.get();
        gantt.setTrace(t, same);
        criticalPath();
        header();
        if (!same) showSpan(null);
    }

    /** The chain of spans that decided the shown trace's length: highlighted, and said in one line. */
    private void criticalPath() {
        criticalAtNanos = System.nanoTime();
        if (shown == null) {
            gantt.setCriticalPath(null);
            critical.setText("");
            return;
        }
        List<SpanView> spans = shown.spans();
        io.sabot.telemetry.CriticalPath cp = io.sabot.telemetry.CriticalPath.of(spans);
        gantt.setCriticalPath(cp);
        String summary = cp.summary(spans);
        critical.setText(summary.isEmpty() ? "" : "Critical path: " + summary);
    }

    private void header() {
        if (shown == null) {
            title.setText("No trace selected");
            sub.setText("");
            return;
        }
        title.setText(shown.name.get());
        sub.setText(shown.traceId() + " \u00b7 " + Fmt.plural(shown.spanCount.get(), "span") + " \u00b7 " + Fmt.nanos(shown.duration.get()));
    }

    private void showSpan(SpanView s) {
        if (s == null) {
            attrs.getItems().clear();
            return;
        }
        Map<String, String> m = new TreeMap<>();
        m.put("span.name", s.name());
        m.put("span.id", s.spanId());
        m.put("span.parent", s.parentSpanId() == null ? "" : s.parentSpanId());
        m.put("span.status", String.valueOf(s.status()));
        m.put("span.duration", Fmt.nanos(s.durationNanos()));
        m.put("span.start", Fmt.clock(s.startEpochNanos() / 1_000_000));
        if (s.attributes() != null) s.attributes().forEach((k, v) -> m.put(k, String.valueOf(v)));
        attrs.getItems().setAll(m.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList());
    }

    /** Called by the pulse while it shows: redraw the open trace when spans were merged into it, and pick up a pending selection. */
    @Override
    public void tick(long nowNanos) {
        if (pending != null) trySelectPending();
        if (shown != null && shown.version.get() != shownVersion) {
            shownVersion = shown.version.get();
            gantt.setTrace(shown, true);
            // a growing trace: the path is worked out again at most twice a second
            if (nowNanos - criticalAtNanos > 500_000_000L) criticalPath();
            header();
        }
        model.search().refilterIfDirty();
        gantt.redrawIfDirty();
    }

    public void setDark(boolean d) { gantt.setDark(d); }

    public TableView<TraceEntry> list() { return list; }

    public GanttCanvas gantt() { return gantt; }

    public TraceEntry shown() { return shown; }

    public TableView<Map.Entry<String, String>> attributes() { return attrs; }

    public TraceSearchBar searchBar() { return search; }

    public Label criticalPathLabel() { return critical; }
}
