package io.sabot.ui.agents;

import atlantafx.base.theme.Styles;
import io.sabot.engine.CrashReport;
import io.sabot.ui.kit.Activatable;
import io.sabot.ui.kit.Icons;
import io.sabot.ui.model.CrashModel;
import io.sabot.ui.model.Fmt;
import io.sabot.ui.model.Subs;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.glyphfont.FontAwesome;

/**
 * The crash card of the shown instance ({@code sabot agents why} in the console): why it died
 * (memory limit, heartbeat timeout, start timeout, the kernel's OOM killer, a crash), exit code or
 * signal, uptime, its supervision group (when it has other agents), restart budget left, next backoff,
 * and the last log lines before death, with a link to the crash-restart trace. Hidden while the
 * instance never crashed.
 */
public final class CrashCard extends VBox implements Activatable {
    private final CrashModel model;
    private final Subs subs = new Subs();
    private final Label title = new Label();
    private final Label when = new Label();
    private final GridPane facts = new GridPane();
    private final TextArea lines = new TextArea();
    private final Button trace = new Button("Show trace");
    private final Button more = new Button("More lines");
    private final SimpleDateFormat time = new SimpleDateFormat("MMM d HH:mm:ss");
    private boolean expanded;

    public CrashCard(CrashModel model, Consumer<String> showTrace) {
        this.model = model;
        setId("crash-card");
        getStyleClass().add("crash-card");
        setSpacing(6);
        setPadding(new Insets(10, 12, 10, 12));
        title.setId("crash-title");
        title.getStyleClass().addAll(Styles.TEXT_BOLD, "crash-title");
        title.setGraphic(Icons.of(FontAwesome.Glyph.BOLT, 13));
        when.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        trace.getStyleClass().addAll(Styles.SMALL, Styles.FLAT, Styles.ACCENT);
        trace.setOnAction(e -> {
            CrashReport r = model.report().get();
            if (r != null && r.traceId() != null) showTrace.accept(r.traceId());
        });
        more.getStyleClass().addAll(Styles.SMALL, Styles.FLAT);
        more.setOnAction(e -> {
            expanded = !expanded;
            render(model.report().get());
        });
        Region sp = new Region();
        HBox.setHgrow(sp, Priority.ALWAYS);
        title.setMinWidth(0);
        more.setMinWidth(Region.USE_PREF_SIZE);
        trace.setMinWidth(Region.USE_PREF_SIZE);
        HBox head = new HBox(8, title, sp, more, trace);
        head.setAlignment(Pos.CENTER_LEFT);
        javafx.scene.layout.ColumnConstraints keys = new javafx.scene.layout.ColumnConstraints();
        keys.setMinWidth(Region.USE_PREF_SIZE);
        javafx.scene.layout.ColumnConstraints values = new javafx.scene.layout.ColumnConstraints();
        values.setHgrow(Priority.ALWAYS);
        values.setFillWidth(true);
        facts.getColumnConstraints().addAll(keys, values);
        facts.setHgap(18);
        facts.setVgap(2);
        lines.setEditable(false);
        lines.setWrapText(false);
        lines.setId("crash-lines");
        lines.getStyleClass().addAll("log-lines", "crash-lines");
        lines.setMinHeight(90);
        setMinHeight(Region.USE_PREF_SIZE);
        getChildren().addAll(head, when, facts, lines);
        render(null);
    }

    @Override
    public void activate() {
        subs.on(model.report(), (o, a, b) -> render(b));
        model.setActive(true);
        render(model.report().get());
    }

    @Override
    public void deactivate() {
        subs.clear();
        model.setActive(false);
    }

    @Override
    public void tick(long now) { model.tick(now); }

    /** Shows an instance's last crash; null (an agent, nothing) hides the card. */
    public void show(String instanceId) {
        expanded = false;
        model.show(instanceId);
    }

    /** The instance changed state or restarted: read its crash again. */
    public void invalidate() { model.invalidate(); }

    private void render(CrashReport r) {
        boolean show = r != null;
        setVisible(show);
        setManaged(show);
        if (!show) return;
        title.setText("Last crash: " + describe(r));
        when.setText(time.format(new Date(r.timeMs())) + " \u00b7 after " + Fmt.duration(r.uptimeMs()) + " up");
        facts.getChildren().clear();
        int row = 0;
        row = fact(row, "Exit", r.signal() != null ? "signal " + r.signal() : r.exitCode() != null ? "code " + r.exitCode() : "did not start");
        row = fact(row, "Reason", r.causeDetail());
        if (r.oomEvidence() != null) row = fact(row, "Kernel", r.oomEvidence());
        String group = groupNote(r);
        if (group != null) row = fact(row, "Group", group);
        row = fact(row, "Restarts", r.restartsInWindow() + " in the last " + r.windowSeconds() + " s of at most " + r.maxRestarts() + " \u00b7 "
                + (r.restartBudgetLeft() == null ? "budget unknown" : r.restartBudgetLeft() == 0 ? "no restart left: the next crash fails it"
                        : r.restartBudgetLeft() + " left before FAILED"));
        fact(row, "Then", r.nextBackoffMs() != null ? "restarted after " + r.nextBackoffMs() + " ms of backoff" : r.outcome());
        List<String> l = r.lastLines();
        int n = expanded ? l.size() : Math.min(8, l.size());
        lines.setText(String.join("\n", l.subList(l.size() - n, l.size())));
        lines.setPrefRowCount(Math.max(2, Math.min(n, expanded ? 18 : 8)));
        lines.setPrefHeight(expanded ? 300 : 150);
        lines.setVisible(!l.isEmpty());
        lines.setManaged(!l.isEmpty());
        more.setText(expanded ? "Fewer lines" : "All " + l.size() + " lines");
        more.setVisible(l.size() > 8);
        more.setManaged(l.size() > 8);
        trace.setVisible(r.traceId() != null);
        trace.setManaged(r.traceId() != null);
        getStyleClass().removeAll("crash-killed", "crash-plain");
        getStyleClass().add(CrashReport.CRASH.equals(r.cause()) ? "crash-plain" : "crash-killed");
    }

    private int fact(int row, String k, String v) {
        Label key = new Label(k);
        key.setMinWidth(Region.USE_PREF_SIZE);
        key.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        Label val = new Label(v);
        val.setWrapText(true);
        val.getStyleClass().add(Styles.TEXT_SMALL);
        facts.addRow(row, key, val);
        return row + 1;
    }

    /**
     * The supervision group, when it has other agents (a lone agent is a group of one named for it,
     * and saying so would be noise): its restarts count against the whole group's intensity.
     */
    static String groupNote(CrashReport r) {
        if (r.group() == null || r.group().equals(r.agent())) return null;
        return r.group() + " \u00b7 the restarts below are the group's, every agent in it counted";
    }

    static String describe(CrashReport r) {
        switch (r.cause()) {
            case CrashReport.MEMORY_LIMIT: return "killed at its memory limit";
            case CrashReport.HEARTBEAT_TIMEOUT: return "killed, no heartbeat in time";
            case CrashReport.START_TIMEOUT: return "killed, not ready within its start timeout";
            case CrashReport.LIVENESS: return "killed, liveness probe failed";
            case CrashReport.OOM_KILLER: return "killed by the kernel's OOM killer";
            default: return r.signal() != null ? "died of " + r.signal() : "crashed (exit " + r.exitCode() + ")";
        }
    }

    public String titleText() { return title.getText(); }
}
