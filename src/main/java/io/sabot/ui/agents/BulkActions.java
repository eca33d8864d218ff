package io.sabot.ui.agents;

import io.sabot.engine.DeployResult;
import io.sabot.engine.Engine;
import io.sabot.engine.LifecycleResult;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.SpecException;
import io.sabot.spec.SpecParser;
import io.sabot.ui.Background;
import io.sabot.ui.Fmt;
import io.sabot.ui.StatusBar;
import io.sabot.ui.Toasts;
import io.sabot.ui.model.FleetModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * Start, stop, force stop, restart, rolling restart and scale, on the table's targets. Asks
 * before anything destructive, runs the call on a background thread with a status-bar spinner,
 * and reports the outcome once, with a "Show trace" button when the engine traced it.
 */
public final class BulkActions {
    public enum Op {
        START("Start", "Starting", "started", false),
        STOP("Stop", "Stopping", "stopped", true),
        FORCE_STOP("Force stop", "Force-stopping", "force-stopped", true),
        RESTART("Restart", "Restarting", "restarted", true),
        ROLLING_RESTART("Rolling restart", "Restarting one by one", "restarted", true);

        public final String title, doing, done;
        public final boolean destructive;

        Op(String title, String doing, String done, boolean destructive) {
            this.title = title;
            this.doing = doing;
            this.done = done;
            this.destructive = destructive;
        }
    }

    private final Engine engine;
    private final FleetModel model;
    private final Background bg;
    private final StatusBar status;
    private final Toasts toasts;
    private final Supplier<Targets> targets;
    private final Supplier<Window> owner;
    private final Consumer<String> showTrace;
    private final Runnable afterOp;

    public BulkActions(Engine engine, FleetModel model, Background bg, StatusBar status, Toasts toasts,
                       Supplier<Targets> targets, Supplier<Window> owner, Consumer<String> showTrace, Runnable afterOp) {
        this.engine = engine;
        this.model = model;
        this.bg = bg;
        this.status = status;
        this.toasts = toasts;
        this.targets = targets;
        this.owner = owner;
        this.showTrace = showTrace;
        this.afterOp = afterOp;
    }

    public void run(Op op) {
        Targets t = targets.get();
        if (t.count() == 0) {
            toasts.show(Toasts.Kind.INFO, "Nothing to " + op.title.toLowerCase() + ": no instance matches the filter.", null, 4);
            return;
        }
        if (op.destructive && !confirm(op.title + " " + Fmt.plural(t.count(), "instance") + "?",
                (t.everything() ? "Every instance: " : "") + t.describe(), op.title)) {
            return;
        }
        String doing = op.doing + " " + Fmt.plural(t.count(), "instance") + "\u2026";
        Runnable end = status.begin(doing);
        long t0 = System.nanoTime();
        bg.op(() -> call(op, t), results -> {
            end.run();
            outcome(op.done, results, System.nanoTime() - t0);
            afterOp.run();
        }, err -> {
            end.run();
            status.say(op.title + " failed");
            toasts.show(Toasts.Kind.DANGER, op.title + " failed: " + err.getMessage(), null, 12);
            afterOp.run();
        });
    }

    private List<LifecycleResult> call(Op op, Targets t) {
        switch (op) {
            case START: return engine.start(t.selection(), null, null);
            case STOP: return engine.stop(t.selection(), false, null);
            case FORCE_STOP: return engine.stop(t.selection(), true, null);
            case RESTART: return engine.restart(t.selection(), false, null);
            default: return engine.restart(t.selection(), true, null);
        }
    }

    /** "12 restarted, 1 failed: fraud_detector-2 start timeout" (+ Show trace). */
    void outcome(String done, List<LifecycleResult> results, long nanos) {
        List<LifecycleResult> failed = new ArrayList<>();
        int ok = 0;
        String trace = null;
        for (LifecycleResult r : results) {
            if (r.success()) ok++;
            else {
                failed.add(r);
                if (trace == null && r.traceId() != null) trace = r.traceId();
            }
        }
        if (trace == null) for (LifecycleResult r : results) if (r.traceId() != null) { trace = r.traceId(); break; }
        StringBuilder msg = new StringBuilder().append(ok).append(' ').append(done);
        if (!failed.isEmpty()) {
            msg.append(", ").append(failed.size()).append(" failed: ");
            for (int i = 0; i < Math.min(2, failed.size()); i++) {
                if (i > 0) msg.append("; ");
                msg.append(failed.get(i).instance()).append(' ').append(failed.get(i).error());
            }
            if (failed.size() > 2) msg.append("; +").append(failed.size() - 2).append(" more");
        }
        status.say(msg + " in " + Fmt.nanos(nanos));
        List<Button> actions = new ArrayList<>();
        if (trace != null) {
            String id = trace;
            Button b = new Button("Show trace");
            b.setId("show-trace");
            b.setOnAction(e -> showTrace.accept(id));
            actions.add(b);
        }
        toasts.show(failed.isEmpty() ? Toasts.Kind.SUCCESS : Toasts.Kind.WARNING, msg.toString(), actions, failed.isEmpty() ? 6 : 15);
    }

    /** Scale the targeted agents to N instances (a redeploy of their spec with a new concurrency). */
    public void scale() {
        Targets t = targets.get();
        List<AgentSpec> specs = new ArrayList<>();
        for (String a : t.agents()) {
            AgentSpec s = model.specOf(a);
            if (s != null) specs.add(s);
        }
        if (specs.isEmpty()) {
            toasts.show(Toasts.Kind.INFO, "Select an agent to scale.", null, 4);
            return;
        }
        int current = specs.get(0).concurrency();
        Dialog<Integer> d = new Dialog<>();
        d.initOwner(owner.get());
        d.setTitle("Scale");
        d.setHeaderText("Scale " + (specs.size() == 1 ? specs.get(0).name() : Fmt.plural(specs.size(), "agent")) + " to N instances");
        Spinner<Integer> n = new Spinner<>(1, SpecParser.MAX_CONCURRENCY, current);
        n.setEditable(true);
        n.setId("scale-n");
        Label hint = new Label("Now: " + specs.stream().map(s -> s.name() + " \u00d7 " + s.concurrency()).reduce((a, b) -> a + ", " + b).orElse(""));
        hint.getStyleClass().add("text-muted");
        d.getDialogPane().setContent(new VBox(8, hint, n));
        ButtonType apply = new ButtonType("Scale", ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().setAll(apply, ButtonType.CANCEL);
        d.getDialogPane().lookupButton(apply).setId("scale-ok");
        d.setResultConverter(b -> {
            if (b != apply) return null;
            n.increment(0); // commits typed text
            return n.getValue();
        });
        Optional<Integer> res = d.showAndWait();
        if (res.isEmpty()) return;
        int target = res.get();
        int removed = 0;
        for (AgentSpec s : specs) removed += Math.max(0, s.concurrency() - target);
        if (removed > 0 && !confirm("Scale down: stop " + Fmt.plural(removed, "instance") + "?",
                "The highest-numbered instances are stopped and forgotten.", "Scale down")) {
            return;
        }
        List<AgentSpec> scaled = new ArrayList<>();
        for (AgentSpec s : specs) scaled.add(s.withConcurrency(target));
        String names = String.join(", ", scaled.stream().map(AgentSpec::name).toList());
        Runnable end = status.begin("Scaling " + names + " to " + target + "\u2026");
        long t0 = System.nanoTime();
        bg.op(() -> deploy(scaled), (DeployResult r) -> {
            end.run();
            long bad = r.results().stream().filter(x -> !x.success()).count();
            String msg = names + " scaled to " + target + (bad > 0 ? ", " + bad + " failed" : "");
            status.say(msg + " in " + Fmt.nanos(System.nanoTime() - t0));
            toasts.show(bad > 0 ? Toasts.Kind.WARNING : Toasts.Kind.SUCCESS, msg, null, 6);
            afterOp.run();
        }, err -> {
            end.run();
            toasts.show(Toasts.Kind.DANGER, "Scale failed: " + err.getMessage(), null, 12);
            afterOp.run();
        });
    }

    private DeployResult deploy(List<AgentSpec> specs) throws SpecException {
        return engine.deploy(new FleetSpec(specs, List.of()));
    }

    /** A confirmation naming how many instances; true when the user agreed. */
    boolean confirm(String header, String detail, String verb) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION);
        a.initOwner(owner.get());
        a.setTitle("Confirm");
        a.setHeaderText(header);
        a.setContentText(detail);
        ButtonType go = new ButtonType(verb, ButtonBar.ButtonData.OK_DONE);
        a.getButtonTypes().setAll(ButtonType.CANCEL, go);
        Button b = (Button) a.getDialogPane().lookupButton(go);
        b.setId("confirm-ok");
        b.getStyleClass().add(atlantafx.base.theme.Styles.DANGER);
        b.setDefaultButton(true);
        a.getDialogPane().lookupButton(ButtonType.CANCEL).setId("confirm-cancel");
        a.getDialogPane().setId("confirm-dialog");
        return a.showAndWait().filter(x -> x == go).isPresent();
    }
}
