package io.sabot.ui.agents;

import atlantafx.base.theme.Styles;
import io.sabot.engine.Transition;
import io.sabot.ui.kit.Activatable;
import io.sabot.ui.model.Fmt;
import io.sabot.ui.kit.StateStyle;
import io.sabot.ui.model.AgentRow;
import io.sabot.ui.model.FleetRow;
import io.sabot.ui.model.HistoryModel;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/** State transitions of the selected instance (or of all instances of an agent), newest first. */
public final class HistoryTable extends TableView<Transition> implements Activatable {
    private final HistoryModel model;
    private final TableColumn<Transition, String> inst;
    private FleetRow row;

    public HistoryTable(HistoryModel model) {
        this.model = model;
        setId("history-table");
        setFixedCellSize(28);
        getStyleClass().addAll(Styles.DENSE, Styles.STRIPED);
        setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        setPlaceholder(new Label("No transitions yet"));
        TableColumn<Transition, String> time = col("Time", t -> Fmt.clock(t.timeMs()), 92);
        time.setMinWidth(88);
        inst = col("Instance", Transition::instance, 120);
        TableColumn<Transition, Transition> change = new TableColumn<>("Change");
        change.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        change.setCellFactory(c -> new TableCell<>() {
            private final Label badge = new Label();

            {
                badge.getStyleClass().add("state-badge");
            }

            @Override
            protected void updateItem(Transition t, boolean empty) {
                super.updateItem(t, empty);
                if (empty || t == null) {
                    setGraphic(null);
                    setText(null);
                    return;
                }
                badge.getStyleClass().removeAll(StateStyle.ALL_CLASSES);
                badge.getStyleClass().add(StateStyle.cssClass(t.to()));
                badge.setText(StateStyle.label(t.to()));
                setText(t.from() == null ? "" : StateStyle.label(t.from()) + " \u2192");
                setGraphic(badge);
                setContentDisplay(javafx.scene.control.ContentDisplay.RIGHT);
                setGraphicTextGap(6);
            }
        });
        change.setPrefWidth(175);
        change.setMinWidth(165);
        TableColumn<Transition, String> cause = col("Cause", Transition::cause, 80);
        cause.setMinWidth(70);
        TableColumn<Transition, String> pid = col("PID", t -> t.pid() > 0 ? Long.toString(t.pid()) : "\u2014", 62);
        pid.setMinWidth(56);
        TableColumn<Transition, String> why = col("Detail", t -> {
            String s = t.reason() == null ? "" : t.reason();
            if (t.signal() != null && !s.contains(t.signal())) s += (s.isEmpty() ? "" : "; ") + t.signal();
            return s;
        }, 220);
        getColumns().setAll(List.of(time, inst, change, cause, pid, why));
    }

    private static TableColumn<Transition, String> col(String title, java.util.function.Function<Transition, String> f, double w) {
        TableColumn<Transition, String> c = new TableColumn<>(title);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        c.setPrefWidth(w);
        return c;
    }

    /** Shows the row's history (loaded when this tab is active). */
    public void show(FleetRow r) {
        row = r;
        inst.setVisible(r instanceof AgentRow); // the instance column only matters for an agent
        model.show(r);
    }

    /** Reads the shown row's history again. */
    public void reload() { model.show(row); }

    /** Bound to the model's list only while its tab shows: a hidden table pays for no layout. */
    @Override
    public void activate() {
        setItems(model.items());
        model.setActive(true);
    }

    @Override
    public void deactivate() {
        model.setActive(false);
        setItems(FXCollections.observableArrayList());
    }

    /** A transition of the shown row happened: reload soon (coalesced, at most twice a second). */
    public void invalidate() { model.invalidate(); }

    @Override
    public void tick(long nowNanos) { model.tick(nowNanos); }

    public HistoryModel model() { return model; }
}
