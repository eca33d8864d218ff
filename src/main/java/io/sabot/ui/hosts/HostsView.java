package io.sabot.ui.hosts;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import io.sabot.multihost.HostState;
import io.sabot.ui.kit.Activatable;
import io.sabot.ui.kit.Icons;
import io.sabot.ui.model.HostRow;
import io.sabot.ui.model.HostsModel;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.glyphfont.FontAwesome;

/**
 * The Hosts list: each host the console shows, its connection state (and why it is not
 * connected), engine version, load and instances; a form to add a host by its ssh:// address and a
 * button to remove the selected one. The table is bound to the model only while the view shows.
 */
public final class HostsView extends BorderPane implements Activatable {
    private final HostsModel model;
    private final TableView<HostRow> table = new TableView<>();
    private final TextField name = new TextField();
    private final TextField address = new TextField();
    private final Label error = new Label();

    public HostsView(HostsModel model) {
        this.model = model;
        getStyleClass().add("hosts-view");
        name.setId("host-name");
        name.setPromptText("Name (optional)");
        name.setPrefColumnCount(12);
        name.setAccessibleText("Name of the host to add");
        address.setId("host-address");
        address.setPromptText("ssh://user@host:port?home=/path");
        address.setPrefColumnCount(30);
        address.setAccessibleText("ssh address of the host to add");
        address.setOnAction(e -> add());
        Button add = new Button("Add host", Icons.of(FontAwesome.Glyph.PLUS));
        add.setId("host-add");
        add.getStyleClass().add(Styles.ACCENT);
        add.setTooltip(new Tooltip("Connect to the Sabot engine of another host through your ssh (keys, agent, ~/.ssh/config)"));
        add.setOnAction(e -> add());
        Button remove = new Button("Remove", Icons.of(FontAwesome.Glyph.TRASH_ALT));
        remove.setId("host-remove");
        remove.setTooltip(new Tooltip("Remove the selected host from the list (its engine and agents keep running)"));
        remove.setOnAction(e -> {
            HostRow r = table.getSelectionModel().getSelectedItem();
            if (r != null) model.remove(r.label());
        });
        remove.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull()
                .or(javafx.beans.binding.Bindings.createBooleanBinding(() -> {
                    HostRow r = table.getSelectionModel().getSelectedItem();
                    return r == null || r.primary();
                }, table.getSelectionModel().selectedItemProperty())));
        Region sp = new Region();
        HBox.setHgrow(sp, Priority.ALWAYS);
        FlowPane form = new FlowPane(8, 8, name, address, add);
        form.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(form, Priority.ALWAYS);
        HBox bar = new HBox(8, form, sp, remove);
        bar.setAlignment(Pos.CENTER_LEFT);
        error.setId("host-error");
        error.getStyleClass().addAll(Styles.DANGER, Styles.TEXT_SMALL);
        error.setWrapText(true);
        error.managedProperty().bind(error.textProperty().isNotEmpty());
        error.visibleProperty().bind(error.textProperty().isNotEmpty());
        Label hint = new Label("Sabot runs `sabot bridge` on the other host through your own ssh client; it opens no port. "
                + "SABOT_SSH_COMMAND replaces ssh and its options.");
        hint.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        hint.setWrapText(true);
        VBox top = new VBox(6, bar, error, hint);
        top.setPadding(new Insets(10, 12, 10, 12));
        top.getStyleClass().add("view-toolbar");
        setTop(top);

        table.setId("hosts-table");
        table.setFixedCellSize(30);
        table.getStyleClass().addAll(Styles.DENSE, Tweaks.EDGE_TO_EDGE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<HostRow, String> host = col("Host", r -> new ReadOnlyStringWrapper(r.label() + (r.primary() ? "  (this console)" : "")), 170);
        TableColumn<HostRow, String> addr = col("Address", r -> new ReadOnlyStringWrapper(r.address()), 260);
        TableColumn<HostRow, String> state = col("State", r -> r.state, 150);
        state.setCellFactory(c -> new StateCell());
        TableColumn<HostRow, String> engine = col("Engine", r -> r.version, 150);
        TableColumn<HostRow, String> load = col("Load", r -> r.load, 190);
        TableColumn<HostRow, String> inst = col("Instances", r -> r.instances, 120);
        TableColumn<HostRow, String> reason = col("Why not connected", r -> r.reason, 360);
        reason.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                setTooltip(empty || s == null || s.isEmpty() ? null : new Tooltip(s));
            }
        });
        table.getColumns().setAll(List.of(host, addr, state, engine, load, inst, reason));
        table.setPlaceholder(new Label("No hosts."));
        setCenter(table);
    }

    private void add() {
        error.setText("");
        model.add(name.getText(), address.getText(), msg -> error.setText(msg));
        if (error.getText().isEmpty()) {
            name.clear();
            address.clear();
        }
    }

    private static TableColumn<HostRow, String> col(String title, Function<HostRow, ObservableValue<String>> f, double w) {
        TableColumn<HostRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(x -> f.apply(x.getValue()));
        c.setPrefWidth(w);
        return c;
    }

    /** Connected green, reconnecting amber, unreachable red. */
    private static final class StateCell extends TableCell<HostRow, String> {
        private final Label badge = new Label();

        @Override
        protected void updateItem(String s, boolean empty) {
            super.updateItem(s, empty);
            HostRow r = getTableRow() == null ? null : getTableRow().getItem();
            if (empty || s == null || r == null) {
                setGraphic(null);
                return;
            }
            HostState.Kind k = r.kind.get();
            String css = switch (k) {
                case CONNECTED -> "state-running";
                case RECONNECTING, CONNECTING -> "state-backoff";
                case UNREACHABLE -> "state-failed";
                default -> "state-stopped";
            };
            badge.getStyleClass().setAll("label", "state-badge", "host-state", css);
            badge.setText("\u25cf " + s);
            setGraphic(badge);
        }
    }

    @Override
    public void activate() {
        // rows update in place; a cell repaints when its row's property changes (the state text changes with its kind)
        table.setItems(model.rows());
    }

    @Override
    public void deactivate() {
        table.setItems(FXCollections.observableArrayList());
    }

    public TableView<HostRow> table() { return table; }

    public Label error() { return error; }

    public TextField nameField() { return name; }

    public TextField addressField() { return address; }
}
