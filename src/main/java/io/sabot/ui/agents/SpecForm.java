package io.sabot.ui.agents;

import atlantafx.base.theme.Styles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sabot.engine.DeployResult;
import io.sabot.engine.Engine;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.SpecError;
import io.sabot.spec.SpecException;
import io.sabot.spec.SpecParser;
import io.sabot.ui.Background;
import io.sabot.ui.StatusBar;
import io.sabot.ui.Toasts;
import io.sabot.ui.model.FleetModel;
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
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The selected agent's spec as a form. "Redeploy" builds the spec JSON from the form, runs it
 * through the real parser ({@link SpecParser#fromTree}) on a background thread and shows each
 * {@link SpecError} beside the field its path names (red border and message); only a clean spec
 * goes to {@code engine.deploy}.
 */
public final class SpecForm extends javafx.scene.layout.BorderPane {
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

    private final Engine engine;
    private final FleetModel model;
    private final Background bg;
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

    public SpecForm(Engine engine, FleetModel model, Background bg, StatusBar status, Toasts toasts) {
        this.engine = engine;
        this.model = model;
        this.bg = bg;
        this.status = status;
        this.toasts = toasts;
        getStyleClass().add("spec-form");
        GridPane g = new GridPane();
        g.setHgap(14);
        g.setVgap(4);
        g.setPadding(new Insets(8, 4, 8, 4));
        ColumnConstraints c0 = new ColumnConstraints(), c1 = new ColumnConstraints();
        c0.setMinWidth(130);
        c1.setHgrow(Priority.ALWAYS);
        c1.setFillWidth(true);
        g.getColumnConstraints().setAll(c0, c1, c0, c1);

        ComboBox<String> policy = new ComboBox<>();
        policy.getItems().setAll("permanent", "transient", "temporary");
        policy.setMaxWidth(Double.MAX_VALUE);
        policy.setMinWidth(130);
        TextArea env = new TextArea();
        env.setPrefRowCount(3);
        env.setPromptText("KEY=VALUE, one per line");

        int r = 0;
        r = section(g, r, "Instances and timing");
        r = pair(g, r, "Concurrency", add("concurrency", text()), "Start timeout (ms)", add("startTimeoutMs", text()));
        r = pair(g, r, "Stop grace (ms)", add("stopGraceMs", text()), null, null);
        r = section(g, r, "Restart policy");
        r = pair(g, r, "Policy", add("restart.policy", policy), "Max restarts", add("restart.maxRestarts", text()));
        r = pair(g, r, "Within (s)", add("restart.withinSeconds", text()), null, null);
        r = section(g, r, "Backoff");
        r = pair(g, r, "Initial (ms)", add("restart.backoff.initialMs", text()), "Max (ms)", add("restart.backoff.maxMs", text()));
        r = pair(g, r, "Multiplier", add("restart.backoff.multiplier", text()), null, null);
        r = section(g, r, "Limits (empty = none)");
        r = pair(g, r, "Memory (MB)", add("limits.memoryMb", text()), "CPU (% of a core)", add("limits.cpuPercent", text()));
        r = section(g, r, "Environment");
        Field envField = add("env", env);
        g.add(wrap(envField), 0, r++, 4, 1);

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
        scroll.getStyleClass().add("edge-to-edge");
        setCenter(scroll);
        // the buttons and form-wide errors stay in view however long the form is
        VBox footer = new VBox(6, general, buttons);
        footer.setPadding(new Insets(10, 4, 4, 4));
        footer.getStyleClass().add("spec-footer");
        setBottom(footer);
        setDisable(true);
        model.spec.addListener((o, a, b) -> {
            // keep edits the user is making; refresh only an untouched form
            AgentSpec now = agent == null ? null : model.specOf(agent);
            if (now != null && loaded != null && !now.equals(loaded) && !dirty()) load(agent, true);
        });
    }

    private static TextField text() {
        TextField t = new TextField();
        t.setPrefColumnCount(8);
        return t;
    }

    private Field add(String path, Control c) {
        Field f = new Field(path, c);
        c.setId("spec-" + path.replace("restart.backoff.", "backoff-").replace("restart.", "").replace("limits.", ""));
        f.error.setId(c.getId() + "-error");
        fields.put(path, f);
        return f;
    }

    private static Node wrap(Field f) {
        VBox v = new VBox(2, f.control, f.error);
        v.setFillWidth(true);
        return v;
    }

    private static int section(GridPane g, int r, String text) {
        Label l = new Label(text);
        l.getStyleClass().addAll(Styles.TEXT_BOLD, "form-section");
        GridPane.setMargin(l, new Insets(r == 0 ? 0 : 10, 0, 2, 0));
        g.add(l, 0, r, 4, 1);
        return r + 1;
    }

    private static int pair(GridPane g, int r, String l1, Field f1, String l2, Field f2) {
        Label a = new Label(l1);
        g.add(a, 0, r);
        g.add(wrap(f1), 1, r);
        GridPane.setValignment(a, javafx.geometry.VPos.TOP);
        GridPane.setMargin(a, new Insets(6, 0, 0, 0));
        if (l2 != null) {
            Label b = new Label(l2);
            GridPane.setValignment(b, javafx.geometry.VPos.TOP);
            GridPane.setMargin(b, new Insets(6, 0, 0, 0));
            g.add(b, 2, r);
            g.add(wrap(f2), 3, r);
        }
        return r + 1;
    }

    /** Shows an agent's spec (no-op when it already shows it, unless forced). */
    public void load(String agentName, boolean force) {
        if (!force && agentName != null && agentName.equals(agent)) return;
        agent = agentName;
        AgentSpec s = agentName == null ? null : model.specOf(agentName);
        loaded = s;
        clearErrors();
        setDisable(s == null);
        if (s == null) {
            title.setText(agentName == null ? "No agent selected" : agentName);
            facts.setText(agentName == null ? "Select an agent or instance to edit its spec." : "Spec not loaded yet.");
            return;
        }
        title.setText(s.name());
        StringBuilder f = new StringBuilder();
        f.append(s.builtin() != null ? "builtin " + s.builtin() : "command " + String.join(" ", s.command()));
        f.append(" \u00b7 group ").append(s.group()).append(" \u00b7 ").append(s.strategy().wireName());
        if (s.topic() != null) f.append(" \u00b7 topic ").append(s.topic());
        if (!s.dependsOn().isEmpty()) f.append(" \u00b7 depends on ").append(String.join(", ", s.dependsOn()));
        facts.setText(f.toString());
        set("concurrency", s.concurrency());
        set("startTimeoutMs", s.startTimeoutMs());
        set("stopGraceMs", s.stopGraceMs());
        set("restart.policy", s.restart().policy().wireName());
        set("restart.maxRestarts", s.restart().maxRestarts());
        set("restart.withinSeconds", s.restart().withinSeconds());
        set("restart.backoff.initialMs", s.restart().backoff().initialMs());
        set("restart.backoff.maxMs", s.restart().backoff().maxMs());
        set("restart.backoff.multiplier", s.restart().backoff().multiplier());
        set("limits.memoryMb", s.limits().memoryMb());
        set("limits.cpuPercent", s.limits().cpuPercent());
        StringBuilder env = new StringBuilder();
        // secret-looking values are never shown; an unchanged mask keeps the real value on redeploy
        new java.util.TreeMap<>(s.env()).forEach((k, v) -> env.append(k).append('=').append(io.sabot.telemetry.Secrets.maskValue(k, v)).append('\n'));
        ((TextArea) fields.get("env").control).setText(env.toString().strip());
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
    private void set(String path, Object v) {
        Field f = fields.get(path);
        String s = v == null ? "" : v instanceof Double && ((Double) v) == Math.rint((Double) v) ? String.valueOf(((Double) v).longValue()) + ".0" : String.valueOf(v);
        if (f.control instanceof TextInputControl) ((TextInputControl) f.control).setText(s);
        else ((ComboBox<String>) f.control).setValue(s);
    }

    private void clearErrors() {
        for (Field f : fields.values()) f.show(null);
        general.setText("");
        general.setVisible(false);
        general.setManaged(false);
    }

    /** Builds the spec tree, validates it with the real parser off the FX thread, then deploys. */
    void redeploy() {
        if (loaded == null) return;
        clearErrors();
        List<SpecError> local = new ArrayList<>();
        ObjectNode root = tree(local);
        if (!local.isEmpty()) {
            showErrors(local);
            return;
        }
        String name = loaded.name();
        redeploy.setDisable(true);
        Runnable end = status.begin("Validating and redeploying " + name + "\u2026");
        bg.op(() -> {
            FleetSpec parsed;
            try {
                parsed = SpecParser.fromTree(root, "console", null);
            } catch (SpecException e) {
                return e; // shown next to the fields; nothing deployed
            }
            AgentSpec edited = parsed.agents().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
            try {
                return engine.deploy(new FleetSpec(List.of(edited), List.of()));
            } catch (SpecException e) {
                return e;
            }
        }, res -> {
            end.run();
            redeploy.setDisable(false);
            if (res instanceof SpecException) {
                SpecException e = (SpecException) res;
                showErrors(e.errors());
                status.say("Spec of " + name + " has " + io.sabot.ui.Fmt.plural(e.errors().size(), "problem") + "; not deployed");
                return;
            }
            DeployResult d = (DeployResult) res;
            long bad = d.results().stream().filter(x -> !x.success()).count();
            String msg = d.changed().contains(name)
                    ? name + " redeployed" + (d.results().isEmpty() ? "" : ", " + d.results().size() + " instances restarted") + (bad > 0 ? ", " + bad + " failed" : "")
                    : name + " unchanged";
            status.say(msg);
            toasts.show(bad > 0 ? Toasts.Kind.WARNING : Toasts.Kind.SUCCESS, msg, null, 6);
            snapshot = values();
        }, err -> {
            end.run();
            redeploy.setDisable(false);
            toasts.show(Toasts.Kind.DANGER, "Redeploy failed: " + err.getMessage(), null, 12);
        });
    }

    /** The JSON the parser sees: the deployed spec, overridden by the form's values as typed. */
    private ObjectNode tree(List<SpecError> local) {
        List<AgentSpec> agents = new ArrayList<>();
        agents.add(loaded);
        // the parser checks dependencies and topics within the file: bring what this agent refers to
        for (String d : loaded.dependsOn()) {
            AgentSpec dep = model.specOf(d);
            if (dep != null) agents.add(dep);
        }
        ObjectNode root = SpecParser.toTree(new FleetSpec(agents, model.spec.get().topics()));
        ObjectNode a = (ObjectNode) root.get("agents").get(0);
        num(a, "concurrency");
        num(a, "startTimeoutMs");
        num(a, "stopGraceMs");
        ObjectNode restart = obj(a, "restart");
        restart.put("policy", value(fields.get("restart.policy")));
        num(restart, "restart.maxRestarts");
        num(restart, "restart.withinSeconds");
        ObjectNode backoff = obj(restart, "backoff");
        num(backoff, "restart.backoff.initialMs");
        num(backoff, "restart.backoff.maxMs");
        num(backoff, "restart.backoff.multiplier");
        ObjectNode limits = obj(a, "limits");
        num(limits, "limits.memoryMb");
        num(limits, "limits.cpuPercent");
        ObjectNode env = JsonNodeFactory.instance.objectNode();
        String[] lines = value(fields.get("env")).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            int eq = l.indexOf('=');
            if (eq <= 0) local.add(new SpecError("agents[0].env", "line " + (i + 1) + ": expected KEY=VALUE, was \"" + l + "\""));
            else {
                String k = l.substring(0, eq).strip(), v = l.substring(eq + 1);
                if (v.equals(io.sabot.telemetry.Secrets.MASK) && loaded != null && loaded.env().containsKey(k)) v = loaded.env().get(k);
                env.put(k, v);
            }
        }
        a.set("env", env);
        return root;
    }

    private static ObjectNode obj(ObjectNode parent, String f) {
        JsonNode n = parent.get(f);
        if (n instanceof ObjectNode) return (ObjectNode) n;
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        parent.set(f, o);
        return o;
    }

    /** A number as typed: a whole number, a decimal, empty (absent) or, when not a number, the text itself so the parser names the problem. */
    private void num(ObjectNode target, String path) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        String s = value(fields.get(path)).strip();
        if (s.isEmpty()) {
            target.remove(key);
            if (path.startsWith("limits.")) target.putNull(key);
            return;
        }
        try {
            target.put(key, Long.parseLong(s));
            return;
        } catch (NumberFormatException e) {
            // not a whole number
        }
        try {
            target.put(key, Double.parseDouble(s));
        } catch (NumberFormatException e) {
            target.put(key, s);
        }
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
        String prefix = "agents[0].";
        if (path == null || !path.startsWith(prefix)) return null;
        String p = path.substring(prefix.length());
        Field f = fields.get(p);
        if (f != null) return f;
        if (p.equals("env") || p.startsWith("env.")) return fields.get("env");
        return null;
    }

    /** The error shown beside a field (tests), or null. */
    public String errorOf(String path) {
        Field f = fields.get(path);
        return f != null && f.error.isVisible() ? f.error.getText() : null;
    }

    public String agent() { return agent; }

}
