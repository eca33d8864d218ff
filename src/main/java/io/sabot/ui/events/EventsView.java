package io.sabot.ui.events;

import atlantafx.base.controls.CustomTextField;
import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import io.sabot.ui.Fmt;
import io.sabot.ui.Icons;
import io.sabot.ui.model.EventRow;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.controlsfx.glyphfont.FontAwesome;

/**
 * Transitions, lifecycle results and notices, newest first, bounded. New rows arrive in one
 * batch per pulse ({@link #append}); the filter is a predicate over a FilteredList.
 */
public final class EventsView extends BorderPane {
    public static final int LIMIT = 5_000;
    private final ObservableList<EventRow> all = FXCollections.observableArrayList();
    private final FilteredList<EventRow> shown = new FilteredList<>(all);
    private final TableView<EventRow> table = new TableView<>(shown);
    private final CustomTextField filter = new CustomTextField();
    private final ComboBox<String> kind = new ComboBox<>(FXCollections.observableArrayList("All kinds", "Transitions", "Results", "Notices", "Problems"));
    private final Label count = new Label();
    private final List<EventRow> hidden = new java.util.ArrayList<>();

    public EventsView(Consumer<String> showTrace) {
        getStyleClass().add("events-view");
        filter.setId("events-filter");
        filter.setPromptText("Search instance, state, cause, reason  (Ctrl+F)");
        filter.setLeft(Icons.of(FontAwesome.Glyph.SEARCH));
        filter.setPrefWidth(340);
        filter.textProperty().addListener(o -> refilter());
        kind.getSelectionModel().select(0);
        kind.setId("events-kind");
        kind.valueProperty().addListener(o -> refilter());
        Button clear = new Button("Clear", Icons.of(FontAwesome.Glyph.TRASH_ALT));
        clear.setOnAction(e -> all.clear());
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
        table.getColumns().setAll(List.of(time, k, inst, change, cause, detail, trace));
        table.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(EventRow r, boolean empty) {
                super.updateItem(r, empty);
                pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("bad"), !empty && r != null && r.bad());
            }
        });
        setCenter(table);
        updateCount();
        visibleProperty().addListener((o, a, b) -> {
            if (b && !hidden.isEmpty()) {
                List<EventRow> held = new java.util.ArrayList<>(hidden);
                hidden.clear();
                append(held);
            }
        });
    }

    private static TableColumn<EventRow, String> col(String title, java.util.function.Function<EventRow, String> f, double w) {
        TableColumn<EventRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        c.setPrefWidth(w);
        return c;
    }

    /** Adds a pulse's worth of events (oldest first as drained), newest on top; one insert, one trim. */
    public void append(List<EventRow> batch) {
        if (batch.isEmpty()) return;
        if (!isVisible()) { // hidden: hold them; a hidden table would still re-layout on every insert
            hidden.addAll(batch);
            if (hidden.size() > LIMIT) hidden.subList(0, hidden.size() - LIMIT).clear();
            return;
        }
        List<EventRow> rev = new java.util.ArrayList<>(batch);
        // newest first; a stable sort keeps arrival order among equal times
        rev.sort(java.util.Comparator.comparingLong(EventRow::timeMs).reversed());
        if (rev.size() > LIMIT) rev = rev.subList(0, LIMIT);
        all.addAll(0, rev);
        if (all.size() > LIMIT) all.remove(LIMIT, all.size());
        updateCount();
    }

    private void refilter() {
        String q = filter.getText() == null ? "" : filter.getText().trim().toLowerCase(Locale.ROOT);
        int k = kind.getSelectionModel().getSelectedIndex();
        shown.setPredicate(r -> {
            if (k == 1 && !r.kind().equals("transition")) return false;
            if (k == 2 && !r.kind().equals("result")) return false;
            if (k == 3 && !r.kind().equals("notice")) return false;
            if (k == 4 && !r.bad()) return false;
            if (q.isEmpty()) return true;
            for (String word : q.split("\\s+")) if (!r.haystack().contains(word)) return false;
            return true;
        });
        updateCount();
    }

    private void updateCount() {
        count.setText(shown.size() == all.size() ? Fmt.plural(all.size(), "event") : shown.size() + " of " + Fmt.plural(all.size(), "event"));
    }

    public void focusFilter() {
        filter.requestFocus();
        filter.selectAll();
    }

    public TableView<EventRow> table() { return table; }

    public ObservableList<EventRow> all() { return all; }

    /** Events held while the view is hidden plus those shown (tests). */
    public int total() { return all.size() + hidden.size(); }

    public void setFilterText(String s) { filter.setText(s); }
}
