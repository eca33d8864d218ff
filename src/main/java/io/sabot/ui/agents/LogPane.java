package io.sabot.ui.agents;

import atlantafx.base.controls.ToggleSwitch;
import atlantafx.base.theme.Styles;
import io.sabot.engine.Engine;
import io.sabot.engine.Subscription;
import io.sabot.ui.Background;
import io.sabot.ui.model.AgentRow;
import io.sabot.ui.model.BoundedQueue;
import io.sabot.ui.model.FleetRow;
import io.sabot.ui.model.InstanceRow;
import java.util.List;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The log tail of one instance: the last 500 lines, then new ones as they are written (follow).
 * Lines from the follow thread go into a bounded queue the pulse drains, one addAll per frame;
 * the list keeps at most {@link #MAX_LINES}.
 */
public final class LogPane extends VBox {
    static final int MAX_LINES = 2_000;

    private final Engine engine;
    private final Background bg;
    private final ComboBox<String> instance = new ComboBox<>();
    private final ToggleSwitch follow = new ToggleSwitch("Follow");
    private final ToggleSwitch autoScroll = new ToggleSwitch("Auto-scroll");
    private final ListView<String> lines = new ListView<>();
    private volatile BoundedQueue<String> incoming = new BoundedQueue<>(MAX_LINES);
    private Subscription sub;
    private int generation;
    private String shown;
    private boolean active;

    public LogPane(Engine engine, Background bg) {
        this.engine = engine;
        this.bg = bg;
        setSpacing(6);
        instance.setId("log-instance");
        instance.setPrefWidth(190);
        instance.setMinWidth(120);
        instance.valueProperty().addListener((o, a, b) -> open(b));
        follow.setSelected(true);
        follow.setId("log-follow");
        autoScroll.setSelected(true);
        follow.selectedProperty().addListener((o, a, b) -> reopen());
        Button clear = new Button("Clear");
        clear.getStyleClass().add(Styles.SMALL);
        clear.setOnAction(e -> lines.getItems().clear());
        Region sp = new Region();
        HBox.setHgrow(sp, Priority.ALWAYS);
        for (javafx.scene.control.Control c : new javafx.scene.control.Control[]{follow, autoScroll, clear}) c.setMinWidth(Region.USE_PREF_SIZE);
        instance.setPromptText("Instance");
        HBox bar = new HBox(12, instance, sp, follow, autoScroll, clear);
        bar.setAlignment(Pos.CENTER_LEFT);
        lines.setId("log-lines");
        lines.setFixedCellSize(20);
        lines.getStyleClass().addAll("log-lines", Styles.DENSE);
        lines.setPlaceholder(new Label("No output yet"));
        VBox.setVgrow(lines, Priority.ALWAYS);
        getChildren().addAll(bar, lines);
    }

    /** Shows the instance (or the agent's first instance); follows only while the tab is visible. */
    public void show(FleetRow r) {
        List<String> ids;
        if (r == null) ids = List.of();
        else if (r instanceof AgentRow) ids = ((AgentRow) r).instances().stream().map(InstanceRow::id).toList();
        else ids = ((InstanceRow) r).agentSiblings();
        if (!instance.getItems().equals(ids)) instance.getItems().setAll(ids);
        String want = r == null ? null : r instanceof AgentRow ? (ids.isEmpty() ? null : ids.get(0)) : r.name();
        if (want != null && !want.equals(instance.getValue())) instance.setValue(want);
        else if (want == null) instance.setValue(null);
    }

    public void setActive(boolean on) {
        if (active == on) return;
        active = on;
        reopen();
    }

    void reload() { reopen(); }

    private void reopen() {
        String id = shown;
        shown = null;
        open(id != null ? id : instance.getValue());
    }

    private void open(String id) {
        if (id != null && id.equals(shown)) return;
        closeFollow();
        shown = id;
        lines.getItems().clear();
        if (id == null || !active) return;
        int gen = ++generation;
        BoundedQueue<String> q = new BoundedQueue<>(MAX_LINES);
        incoming = q;
        boolean doFollow = follow.isSelected();
        bg.read(() -> {
            List<String> tail = engine.logs(id, 500);
            Subscription s = doFollow ? engine.followLogs(id, q::offer) : null;
            return new Object[]{tail, s};
        }, res -> {
            @SuppressWarnings("unchecked")
            List<String> tail = (List<String>) res[0];
            Subscription s = (Subscription) res[1];
            if (gen != generation) { // superseded while loading
                if (s != null) bg.run(s::close);
                return;
            }
            sub = s;
            lines.getItems().setAll(tail);
            scrollEnd();
        }, err -> lines.getItems().setAll("(cannot read the log: " + err.getMessage() + ")"));
    }

    private void closeFollow() {
        generation++;
        Subscription s = sub;
        sub = null;
        if (s != null) bg.run(s::close); // a remote unsubscribe may block
    }

    /** Called by the pulse: appends what arrived, once per frame. */
    public void tick() {
        if (sub == null) return;
        List<String> got = incoming.drain();
        if (got.isEmpty()) return;
        var items = lines.getItems();
        items.addAll(got);
        if (items.size() > MAX_LINES) items.remove(0, items.size() - MAX_LINES);
        scrollEnd();
    }

    private void scrollEnd() {
        if (autoScroll.isSelected() && !lines.getItems().isEmpty()) lines.scrollTo(lines.getItems().size() - 1);
    }

    public List<String> lines() { return lines.getItems(); }

    public void close() { closeFollow(); }
}
