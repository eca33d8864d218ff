package io.sabot.ui.events;

import atlantafx.base.controls.CustomTextField;
import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import io.sabot.ui.model.Fmt;
import io.sabot.ui.kit.Activatable;
import io.sabot.ui.kit.Icons;
import io.sabot.ui.model.EventRow;
import io.sabot.ui.model.EventsModel;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.controlsfx.glyphfont.FontAwesome;

/**
 * Transitions, lifecycle results and notices, newest first, bounded ({@link EventsModel}). The
 * table is bound to the model's filtered list only while the view shows; hidden, new rows cost
 * no layout.
 */
public final class EventsView extends BorderPane implements Activatable {
    public static final int LIMIT = EventsModel.LIMIT;
    private final EventsModel model;
    private final TableView<EventRow> table = new TableView<>();
    private final CustomTextField filter = new CustomTextField();
    private final ComboBox<String> kind = new ComboBox<>(FXCollections.observableArrayList(EventsModel.KINDS));
    private final Label count = new Label();
    private final TableColumn<EventRow, String> hostCol = col("Host", EventRow::host, 90);
    private final javafx.beans.property.BooleanProperty multiHost;
    private final io.sabot.ui.model.Subs subs = new io.sabot.ui.model.Subs();

    public EventsView(EventsModel model, Consumer<String> showTrace) { this(model, showTrace, new javafx.beans.property.SimpleBooleanProperty()); }

    /** @param multiHost whether the console shows several hosts (the host column shows then) */
    public EventsView(EventsModel model, Consumer<String> showTrace, javafx.beans.property.BooleanProperty multiHost) {
        this.model = model;
        this.multiHost = multiHost;
        getStyleClass().add("events-view");
        filter.setId("events-filter");
        filter.setPromptText("Search instance, state, cause, reason  (Ctrl+F)");
        filter.setLeft(Icons.of(FontAwesome.Glyph.SEARCH));
        filter.setPrefWidth(340);
        filter.textProperty().addListener(o -> refilter());
        kind.getSelectionModel().select(0);
        kind.setId("events-kind");
        kind.valueProperty().addListener(o -> refilter());
        filter.setAccessibleText("Search events");
        kind.setAccessibleText("Kind of events shown");
        Button clear = new Button("Clear", Icons.of(FontAwesome.Glyph.TRASH_ALT));
        clear.setId("events-clear");
        clear.setTooltip(new Tooltip("Clear the list (the engine keeps its history)"));
        clear.setOnAction(e -> model.clear());
        count.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        Region sp = new Region();
        HBox.setHgrow(sp, Priority.ALWAYS);
        HBox bar = new HBox(8, filter, kind, sp, count, clear);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(10, 12, 10, 12));
        bar.getStyleClass().add("view-toolbar");
        setTop(bar);

        table.setId("events-table");
        table.setFixedCellSize(28);
        table.getStyleClass().addAll(Styles.DENSE, Tweaks.EDGE_TO_EDGE, Styles.STRIPED);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No events yet. State changes and operation results appear here as they happen."));
        TableColumn<EventRow, String> time = col("Time", r -> Fmt.clock(r.timeMs()), 100);
        TableColumn<EventRow, String> k = col("Kind", EventRow::kind, 80);
        k.setCellFactory(c -> new TableCell<>() {
            private final Label l = new Label();

            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                if (empty || s == null) {
                    setGraphic(null);
                    return;
                }
                l.setText(s);
                l.getStyleClass().setAll("label", "kind-tag", "kind-" + s);
                setGraphic(l);
            }
        });
        TableColumn<EventRow, String> inst = col("Instance", EventRow::instance, 150);
        TableColumn<EventRow, String> change = col("Change", EventRow::change, 170);
        TableColumn<EventRow, String> cause = col("Cause", EventRow::cause, 100);
        TableColumn<EventRow, String> detail = col("Detail", EventRow::detail, 360);
        TableColumn<EventRow, String> trace = col("Trace", r -> r.traceId() == null ? "" : r.traceId().substring(0, Math.min(8, r.traceId().length())), 80);
        trace.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                EventRow r = getTableRow() == null ? null : getTableRow().getItem();
                if (empty || s == null || s.isEmpty() || r == null) {
                    setGraphic(null);
                    return;
                }
                javafx.scene.control.Hyperlink h = new javafx.scene.control.Hyperlink(s);
                h.setOnAction(e -> showTrace.accept(r.traceId()));
                setGraphic(h);
            }
        });
        hostCol.setVisible(false);
        table.getColumns().setAll(List.of(time, hostCol, k, inst, change, cause, detail, trace));
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(EventRow r, boolean empty) {
                super.updateItem(r, empty);
                pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("bad"), !empty && r != null && r.bad());
            }
        });
        setCenter(table);
        count.textProperty().bind(model.count());
    }

    @Override
    public void activate() {
        hostCol.setVisible(multiHost.get());
        subs.on(multiHost, (o, a, b) -> hostCol.setVisible(b));
        table.setItems(model.shown());
    }

    @Override
    public void deactivate() {
        subs.clear();
        table.setItems(FXCollections.observableArrayList());
    }

    private static TableColumn<EventRow, String> col(String title, java.util.function.Function<EventRow, String> f, double w) {
        TableColumn<EventRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        c.setPrefWidth(w);
        return c;
    }

    private void refilter() { model.setFilter(filter.getText(), kind.getSelectionModel().getSelectedIndex()); }

    public void focusFilter() {
        filter.requestFocus();
        filter.selectAll();
    }

    public TableView<EventRow> table() { return table; }

    public ObservableList<EventRow> all() { return model.all(); }

    /** Events held (tests). */
    public int total() { return model.all().size(); }

    public void setFilterText(String s) { filter.setText(s); }
}
