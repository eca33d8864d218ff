package io.sabot.ui.agents;

import atlantafx.base.controls.ToggleSwitch;
import atlantafx.base.theme.Styles;
import io.sabot.ui.kit.Activatable;
import io.sabot.ui.model.AgentRow;
import io.sabot.ui.model.FleetRow;
import io.sabot.ui.model.InstanceRow;
import io.sabot.ui.model.LogModel;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The log tail of one instance ({@link LogModel}): reads and follows only while its tab shows;
 * new lines arrive once per frame.
 */
public final class LogPane extends VBox implements Activatable {
    static final int MAX_LINES = LogModel.MAX_LINES;

    private final LogModel model;
    private final ComboBox<String> instance = new ComboBox<>();
    private final ToggleSwitch follow = new ToggleSwitch("Follow");
    private final ToggleSwitch autoScroll = new ToggleSwitch("Auto-scroll");
    private final ListView<String> lines = new ListView<>();

    public LogPane(LogModel model) {
        this.model = model;
        setSpacing(6);
        instance.setId("log-instance");
        instance.setPrefWidth(190);
        instance.setMinWidth(120);
        instance.setAccessibleText("Instance whose log shows");
        instance.valueProperty().addListener((o, a, b) -> model.show(b));
        follow.setSelected(true);
        follow.setId("log-follow");
        follow.setAccessibleText("Follow new log lines");
        autoScroll.setSelected(true);
        autoScroll.setId("log-autoscroll");
        autoScroll.setAccessibleText("Scroll to the newest line");
        follow.selectedProperty().addListener((o, a, b) -> model.setFollow(b));
        Button clear = new Button("Clear");
        clear.setId("log-clear");
        clear.getStyleClass().add(Styles.SMALL);
        clear.setOnAction(e -> model.lines().clear());
        for (javafx.scene.control.Control c : new javafx.scene.control.Control[]{follow, autoScroll, clear}) c.setMinWidth(Region.USE_PREF_SIZE);
        instance.setPromptText("Instance");
        // the switches wrap under the chooser when the pane is narrow
        FlowPane switches = new FlowPane(12, 6, follow, autoScroll, clear);
        switches.setAlignment(Pos.CENTER_RIGHT);
        switches.setPrefWrapLength(260);
        HBox.setHgrow(switches, Priority.ALWAYS);
        HBox bar = new HBox(12, instance, switches);
        bar.setAlignment(Pos.CENTER_LEFT);
        lines.setId("log-lines");
        lines.setFixedCellSize(20);
        lines.getStyleClass().addAll("log-lines", Styles.DENSE);
        lines.setPlaceholder(new Label("No output yet"));
        lines.setAccessibleText("Log lines");
        VBox.setVgrow(lines, Priority.ALWAYS);
        getChildren().addAll(bar, lines);
    }

    /** Shows the instance (or the agent's first instance). */
    public void show(FleetRow r) {
        List<String> ids;
        if (r == null) ids = List.of();
        else if (r instanceof AgentRow a) ids = a.instances().stream().map(InstanceRow::id).toList();
        else ids = ((InstanceRow) r).agentSiblings();
        if (!instance.getItems().equals(ids)) instance.getItems().setAll(ids);
        String want = r == null ? null : r instanceof AgentRow ? (ids.isEmpty() ? null : ids.get(0)) : r.name();
        if (want != null && !want.equals(instance.getValue())) instance.setValue(want);
        else if (want == null) instance.setValue(null);
        model.show(want);
    }

    private final io.sabot.ui.model.Subs subs = new io.sabot.ui.model.Subs();

    @Override
    public void activate() {
        lines.setItems(model.lines());
        subs.onList(model.lines(), c -> scrollEnd()); // the tail, then once per frame at most
        model.setActive(true);
        scrollEnd();
    }

    @Override
    public void deactivate() {
        subs.clear();
        model.setActive(false);
        lines.setItems(FXCollections.observableArrayList());
    }

    void reload() { model.reopen(); }

    /** Called by the pulse: appends what arrived, once per frame. */
    @Override
    public void tick(long now) { model.tick(); }

    private void scrollEnd() {
        if (autoScroll.isSelected() && !lines.getItems().isEmpty()) lines.scrollTo(lines.getItems().size() - 1);
    }

    public List<String> lines() { return model.lines(); }

    public LogModel model() { return model; }

    public void close() { model.close(); }
}
