package io.sabot.ui.traces;

import atlantafx.base.theme.Styles;
import io.sabot.telemetry.TraceQuery;
import io.sabot.ui.kit.Icons;
import io.sabot.ui.model.TraceSearchModel;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.controlsfx.glyphfont.FontAwesome;

/**
 * Finding a trace: agent or instance, operation, status and a least duration; Enter or "Find"
 * asks the engine (older, stored traces too), "Clear" goes back to the recent ones. The line
 * below says how many match, or why the criteria are wrong.
 */
public final class TraceSearchBar extends VBox {
    static final List<String> OPERATIONS = List.of("Any operation", "start", "stop", "restart", "rolling-restart", "crash-restart",
            "strategy-restart", "redeploy", "scale-down", "remove", "force-stop", "shutdown", "rebalance");
    static final List<String> STATUSES = List.of("Any status", "OK", "Error");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)?");

    private final TraceSearchModel model;
    private final TextField agent = new TextField();
    private final ComboBox<String> operation = new ComboBox<>();
    private final ComboBox<String> status = new ComboBox<>();
    private final TextField minDuration = new TextField();
    private final Button find = new Button("Find", Icons.of(FontAwesome.Glyph.SEARCH));
    private final Button clear = new Button(null, Icons.of(FontAwesome.Glyph.TIMES));
    private final Label state = new Label();
    private Runnable onChange = () -> { };

    public TraceSearchBar(TraceSearchModel model) {
        this.model = model;
        getStyleClass().add("trace-search");
        setSpacing(6);
        setPadding(new Insets(0, 8, 8, 12));
        agent.setId("trace-search-agent");
        agent.setPromptText("Agent or instance");
        agent.setTooltip(new Tooltip("An agent (fraud_detector) or one instance (fraud_detector-1)"));
        HBox.setHgrow(agent, Priority.ALWAYS);
        status.setId("trace-search-status");
        status.getItems().setAll(STATUSES);
        status.getSelectionModel().selectFirst();
        status.setPrefWidth(118);
        operation.setId("trace-search-operation");
        operation.getItems().setAll(OPERATIONS);
        operation.getSelectionModel().selectFirst();
        operation.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(operation, Priority.ALWAYS);
        minDuration.setId("trace-search-min");
        minDuration.setPromptText("\u2265 duration");
        minDuration.setTooltip(new Tooltip("Only traces lasting at least this long: 500ms, 2s, 1.5s"));
        minDuration.setPrefColumnCount(7);
        find.setId("trace-search-find");
        find.getStyleClass().add(Styles.ACCENT);
        find.setDefaultButton(false);
        find.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // the operation box gives way, never the button's word
        minDuration.setMinWidth(70);
        clear.setId("trace-search-clear");
        clear.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        clear.setTooltip(new Tooltip("Clear the search: recent traces"));
        clear.setAccessibleText("Clear the search");
        state.setId("trace-search-state");
        state.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        state.setWrapText(true); // an error names what is wrong: all of it shows
        model.state().addListener((o, a, b) -> state.setText(b));
        HBox row1 = new HBox(6, agent, status);
        HBox row2 = new HBox(6, operation, minDuration, find, clear);
        row1.setAlignment(Pos.CENTER_LEFT);
        row2.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(row1, row2, state);
        find.setOnAction(e -> run());
        agent.setOnAction(e -> run());
        minDuration.setOnAction(e -> run());
        operation.setOnAction(e -> { if (model.active() || !agent.getText().isBlank()) run(); });
        status.setOnAction(e -> { if (model.active() || !agent.getText().isBlank()) run(); });
        clear.setOnAction(e -> clear());
    }

    /** Called on the UI thread whenever the list to show changes (a search ran or was cleared). */
    public void setOnChange(Runnable r) { onChange = r == null ? () -> { } : r; }

    /** The query the fields describe; IllegalArgumentException naming the field that is wrong. */
    TraceQuery query() {
        String op = operation.getSelectionModel().getSelectedIndex() <= 0 ? null : operation.getValue();
        String st = status.getSelectionModel().getSelectedIndex() <= 0 ? null : status.getValue().toLowerCase(Locale.ROOT);
        return new TraceQuery(agent.getText(), op, st, millis(minDuration.getText()), null, io.sabot.ui.model.TraceStore.LIMIT);
    }

    static Long millis(String s) {
        if (s == null || s.isBlank()) return null;
        Matcher m = DURATION.matcher(s.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) throw new IllegalArgumentException("duration: write 500ms, 2s or 1.5s, not \"" + s.strip() + "\"");
        double x = Double.parseDouble(m.group(1));
        String u = m.group(2) == null ? "ms" : m.group(2);
        return Math.round(x * (u.equals("s") ? 1000 : u.equals("m") ? 60_000 : 1));
    }

    /** Runs the search the fields describe. */
    public void run() {
        TraceQuery q;
        try {
            q = query();
        } catch (IllegalArgumentException e) {
            model.cancelPending();
            state.setText(e.getMessage());
            return;
        }
        model.search(q, onChange);
        onChange.run();
    }

    public void clear() {
        agent.clear();
        minDuration.clear();
        operation.getSelectionModel().selectFirst();
        status.getSelectionModel().selectFirst();
        model.clear();
        onChange.run();
    }

    /** Fills the fields and runs the search (tests, screenshots, "Find traces of this instance"). */
    public void search(String agentOrInstance, String op, String st, String least) {
        agent.setText(agentOrInstance == null ? "" : agentOrInstance);
        operation.getSelectionModel().select(op == null ? 0 : Math.max(0, OPERATIONS.indexOf(op)));
        status.getSelectionModel().select(st == null ? 0 : st.equalsIgnoreCase("error") ? 2 : 1);
        minDuration.setText(least == null ? "" : least);
        run();
    }

    public TextField agentField() { return agent; }

    public Label stateLabel() { return state; }
}
