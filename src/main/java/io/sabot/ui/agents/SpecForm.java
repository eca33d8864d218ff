package io.sabot.ui.agents;

import atlantafx.base.theme.Styles;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.SpecError;
import io.sabot.ui.kit.Activatable;
import io.sabot.ui.kit.ResponsiveForm;
import io.sabot.ui.kit.StatusBar;
import io.sabot.ui.kit.Toasts;
import io.sabot.ui.model.SpecModel;
import io.sabot.ui.model.Subs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The selected agent's spec as a form. "Redeploy" builds the spec JSON from the form, runs it
 * through the real parser ({@link SpecParser#fromTree}) on a background thread and shows each
 * {@link SpecError} beside the field its path names (red border and message); only a clean spec
 * goes to {@code engine.deploy}.
 */
public final class SpecForm extends javafx.scene.layout.BorderPane implements Activatable {
    private static final PseudoClass DANGER = PseudoClass.getPseudoClass("danger");

    /** A form field: its spec path below {@code agents[0].}, the control and its error line. */
    private static final class Field {
        final String path;
        final Control control;
        final Label error = new Label();

        Field(String path, Control control) {
            this.path = path;
            this.control = control;
            error.getStyleClass().addAll("field-error", Styles.TEXT_SMALL);
            error.setWrapText(true);
            error.setManaged(false);
            error.setVisible(false);
        }

        void show(String msg) {
            control.pseudoClassStateChanged(DANGER, msg != null);
            error.setText(msg == null ? "" : msg);
            error.setVisible(msg != null);
            error.setManaged(msg != null);
        }
    }

    private final SpecModel model;
    private final Subs subs = new Subs();
    private final StatusBar status;
    private final Toasts toasts;
    private final Map<String, Field> fields = new LinkedHashMap<>();
    private final Label title = new Label();
    private final Label facts = new Label();
    private final Label general = new Label();
    private final Button redeploy = new Button("Redeploy");
    private final Button reset = new Button("Reset");
    private String agent;
    private AgentSpec loaded;
    private ResponsiveForm form;

    public SpecForm(SpecModel model, StatusBar status, Toasts toasts) {
        this.model = model;
        this.status = status;
        this.toasts = toasts;
        getStyleClass().add("spec-form");
        ComboBox<String> policy = new ComboBox<>();
        policy.getItems().setAll("permanent", "transient", "temporary");
        policy.setMaxWidth(Double.MAX_VALUE);
        TextArea env = new TextArea();
        env.setPrefRowCount(3);
        env.setPromptText("KEY=VALUE, one per line");
        env.setAccessibleText("Environment, one KEY=VALUE per line");

        // two columns of fields when there is room, one when the pane is narrow: nothing is cut off
        ResponsiveForm g = new ResponsiveForm();
        g.setPadding(new Insets(8, 4, 8, 4));
        g.section("Instances and timing")
                .field("Concurrency", wrap(add("concurrency", text())))
                .field("Start timeout (ms)", wrap(add("startTimeoutMs", text())))
                .field("Stop grace (ms)", wrap(add("stopGraceMs", text())));
        g.section("Restart policy")
                .field("Policy", wrap(add("restart.policy", policy)))
                .field("Max restarts", wrap(add("restart.maxRestarts", text())))
                .field("Within (s)", wrap(add("restart.withinSeconds", text())));
        g.section("Backoff")
                .field("Initial (ms)", wrap(add("restart.backoff.initialMs", text())))
                .field("Max (ms)", wrap(add("restart.backoff.maxMs", text())))
                .field("Multiplier", wrap(add("restart.backoff.multiplier", text())));
        g.section("Limits (empty = none)")
                .field("Memory (MB)", wrap(add("limits.memoryMb", text())))
                .field("CPU (% of a core)", wrap(add("limits.cpuPercent", text())));
        probe(g, "readiness", "Readiness probe (RUNNING only once it passes)");
        probe(g, "liveness", "Liveness probe (restarts the instance when it fails)");
        g.section("Environment").wide(wrap(add("env", env)));
        form = g;

        title.getStyleClass().add(Styles.TITLE_4);
        facts.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        facts.setWrapText(true);
        general.setId("spec-general-error");
        general.getStyleClass().addAll("field-error", Styles.TEXT_SMALL);
        general.setWrapText(true);
        general.setManaged(false);
        general.setVisible(false);
        redeploy.setId("spec-redeploy");
        redeploy.getStyleClass().add(Styles.ACCENT);
        redeploy.setDefaultButton(false);
        redeploy.setOnAction(e -> redeploy());
        reset.setId("spec-reset");
        reset.setOnAction(e -> load(agent, true));
        HBox buttons = new HBox(8, redeploy, reset);
        buttons.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(6, title, facts, g);
        box.setPadding(new Insets(4, 12, 12, 4));
        ScrollPane scroll = new ScrollPane(box);
        scroll.setFitToWidth(true);
        scroll.setMinHeight(60); // the form scrolls; the buttons below it always show
        scroll.getStyleClass().add("edge-to-edge");
        setCenter(scroll);
        // the buttons and form-wide errors stay in view however long the form is
        VBox footer = new VBox(6, general, buttons);
        footer.setPadding(new Insets(10, 4, 4, 4));
        footer.getStyleClass().add("spec-footer");
        setBottom(footer);
        setDisable(true);
        setMinHeight(0);
    }

    /** While its tab shows, a redeploy from elsewhere refreshes an untouched form. */
    @Override
    public void activate() {
        subs.on(model.fleetSpec(), o -> {
            // keep edits the user is making; refresh only an untouched form
            AgentSpec now = model.specOf(agent);
            if (now != null && loaded != null && !now.equals(loaded) && !dirty()) load(agent, true);
        });
        AgentSpec now = model.specOf(agent);
        if (now != null && !now.equals(loaded) && !dirty()) load(agent, true);
    }

    @Override
    public void deactivate() { subs.clear(); }

    /** The fields of one probe (health.readiness or health.liveness); see {@link io.sabot.ui.model.ProbeFormValues}. */
    private void probe(ResponsiveForm g, String name, String heading) {
        String b = "health." + name + ".";
        ComboBox<String> kind = new ComboBox<>();
        kind.getItems().setAll(io.sabot.ui.model.ProbeFormValues.KINDS);
        kind.setMaxWidth(Double.MAX_VALUE);
        TextField target = text();
        target.setPromptText("exec: argv · http: URL · tcp: host:port · log: regex");
        target.setAccessibleText(name + " probe target");
        TextField httpStatus = text();
        // the status range means something only to an http probe; the others ignore it
        httpStatus.disableProperty().bind(kind.valueProperty().isNotEqualTo("http"));
        target.disableProperty().bind(kind.valueProperty().isEqualTo("none"));
        g.section(heading)
                .field("Kind", wrap(add(b + "kind", kind)))
                .field("HTTP status", wrap(add(b + "status", httpStatus)))
                .wide(labelled("Target", wrap(add(b + "target", target))))
                .field("Initial delay (ms)", wrap(add(b + "initialDelayMs", text())))
                .field("Period (ms)", wrap(add(b + "periodMs", text())))
                .field("Timeout (ms)", wrap(add(b + "timeoutMs", text())))
                .field("Successes needed", wrap(add(b + "successThreshold", text())))
                .field("Failures allowed", wrap(add(b + "failureThreshold", text())));
    }

    /** A field across the whole form with its label above it (a probe's target is a command or URL: it needs the width). */
    private static Node labelled(String label, Node field) {
        Label l = new Label(label);
        VBox v = new VBox(2, l, field);
        v.setFillWidth(true);
        return v;
    }

    private static TextField text() {
        TextField t = new TextField();
        t.setPrefColumnCount(8);
        t.setMinWidth(60);
        return t;
    }

    private Field add(String path, Control c) {
        Field f = new Field(path, c);
        c.setId("spec-" + path.replace("restart.backoff.", "backoff-").replace("restart.", "").replace("limits.", "").replace("health.", "").replace('.', '-'));
        c.setMaxWidth(Double.MAX_VALUE);
        f.error.setId(c.getId() + "-error");
        fields.put(path, f);
        return f;
    }

    private static Node wrap(Field f) {
        VBox v = new VBox(2, f.control, f.error);
        v.setFillWidth(true);
        return v;
    }

    /** Shows an agent's spec (no-op when it already shows it, unless forced). */
    public void load(String agentName, boolean force) {
        if (!force && agentName != null && agentName.equals(agent)) return;
        agent = agentName;
        AgentSpec s = model.specOf(agentName);
        loaded = s;
        clearErrors();
        setDisable(s == null);
        if (s == null) {
            title.setText(agentName == null ? "No agent selected" : agentName);
            facts.setText(agentName == null ? "Select an agent or instance to edit its spec." : "Spec not loaded yet.");
            return;
        }
        title.setText(s.name());
        facts.setText(SpecModel.facts(s));
        SpecModel.values(s).forEach(this::set);
        snapshot = values();
    }

    private Map<String, String> snapshot = Map.of();

    private boolean dirty() { return !values().equals(snapshot); }

    private Map<String, String> values() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Field f : fields.values()) m.put(f.path, value(f));
        return m;
    }

    @SuppressWarnings("unchecked")
    private static String value(Field f) {
        if (f.control instanceof TextInputControl) return ((TextInputControl) f.control).getText();
        Object v = ((ComboBox<String>) f.control).getValue();
        return v == null ? "" : v.toString();
    }

    @SuppressWarnings("unchecked")
    private void set(String path, String s) {
        Field f = fields.get(path);
        if (f.control instanceof TextInputControl) ((TextInputControl) f.control).setText(s);
        else ((ComboBox<String>) f.control).setValue(s);
    }

    private void clearErrors() {
        for (Field f : fields.values()) f.show(null);
        general.setText("");
        general.setVisible(false);
        general.setManaged(false);
    }

    /** Validates the form with the real parser off the FX thread, then deploys. */
    void redeploy() {
        if (loaded == null) return;
        clearErrors();
        String name = loaded.name();
        redeploy.setDisable(true);
        Runnable end = status.begin("Validating and redeploying " + name + "\u2026");
        model.redeploy(loaded, values(), res -> {
            end.run();
            redeploy.setDisable(false);
            if (!res.ok()) {
                showErrors(res.errors());
                if (res.message() != null) status.say(res.message());
                return;
            }
            status.say(res.message());
            toasts.show(res.warning() ? Toasts.Kind.WARNING : Toasts.Kind.SUCCESS, res.message(), null, 6);
            snapshot = values();
        }, err -> {
            end.run();
            redeploy.setDisable(false);
            toasts.show(Toasts.Kind.DANGER, "Redeploy failed: " + err.getMessage(), null, 12);
        });
    }

    /** Puts each error beside its field; errors about other places go to the line under the form. */
    void showErrors(List<SpecError> errors) {
        List<String> rest = new ArrayList<>();
        Map<Field, List<String>> per = new LinkedHashMap<>();
        for (SpecError e : errors) {
            Field f = fieldFor(e.path());
            if (f == null) rest.add(e.toString());
            else per.computeIfAbsent(f, k -> new ArrayList<>()).add(e.message());
        }
        per.forEach((f, msgs) -> f.show(String.join("; ", msgs)));
        if (!rest.isEmpty()) {
            general.setText(String.join("\n", rest));
            general.setVisible(true);
            general.setManaged(true);
        }
        if (!per.isEmpty()) per.keySet().iterator().next().control.requestFocus();
    }

    private Field fieldFor(String path) {
        String p = SpecModel.fieldOf(path);
        return p == null ? null : fields.get(p);
    }

    /** The error shown beside a field (tests), or null. */
    public String errorOf(String path) {
        Field f = fields.get(path);
        return f != null && f.error.isVisible() ? f.error.getText() : null;
    }

    public String agent() { return agent; }

    /** The form's columns of fields now (1 when narrow, 2 when wide). */
    public int columns() { return form.columns(); }

}
