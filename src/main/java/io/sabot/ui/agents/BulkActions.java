package io.sabot.ui.agents;

import io.sabot.spec.AgentSpec;
import io.sabot.spec.SpecParser;
import io.sabot.ui.kit.StatusBar;
import io.sabot.ui.kit.Toasts;
import io.sabot.ui.model.ConsoleModel;
import io.sabot.ui.model.FleetActions;
import io.sabot.ui.model.FleetOp;
import io.sabot.ui.model.Fmt;
import io.sabot.ui.model.Outcome;
import io.sabot.ui.model.Targets;
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
 * The dialogs and feedback around {@link FleetActions}: asks before anything destructive (naming
 * the instance count), shows a status-bar spinner while the call runs, and reports the
 * {@link Outcome} once, with a "Show trace" button when the engine traced it.
 */
public final class BulkActions {
    private final ConsoleModel vm;
    private final FleetActions actions;
    private final StatusBar status;
    private final Toasts toasts;
    private final Supplier<Targets> targets;
    private final Supplier<Window> owner;
    private final Consumer<String> showTrace;

    public BulkActions(ConsoleModel vm, StatusBar status, Toasts toasts, Supplier<Targets> targets, Supplier<Window> owner,
                       Consumer<String> showTrace) {
        this.vm = vm;
        this.actions = vm.actions();
        this.status = status;
        this.toasts = toasts;
        this.targets = targets;
        this.owner = owner;
        this.showTrace = showTrace;
    }

    public void run(FleetOp op) {
        Targets t = targets.get();
        if (t.count() == 0) {
            toasts.show(Toasts.Kind.INFO, "Nothing to " + op.title.toLowerCase() + ": no instance matches the filter.", null, 4);
            return;
        }
        if (op.destructive && !confirm(op.title + " " + Fmt.plural(t.count(), "instance") + "?",
                (t.everything() ? "Every instance: " : "") + t.describe(), op.title)) {
            return;
        }
        Runnable end = status.begin(op.doing + " " + Fmt.plural(t.count(), "instance") + "\u2026");
        actions.run(op, t, o -> {
            end.run();
            outcome(o);
            vm.afterOperation();
        }, err -> {
            end.run();
            status.say(op.title + " failed");
            toasts.show(Toasts.Kind.DANGER, op.title + " failed: " + err.getMessage(), null, 12);
            vm.afterOperation();
        });
    }

    private String lastTraceId;

    /** The trace of the most recent operation that had one (Ctrl+T opens it). */
    public String lastTraceId() { return lastTraceId; }

    /** "12 restarted, 1 failed: fraud_detector-2 start timeout" (+ Show trace). */
    void outcome(Outcome o) {
        status.say(o.statusLine());
        if (o.traceId() != null) lastTraceId = o.traceId();
        List<Button> buttons = new ArrayList<>();
        if (o.traceId() != null) {
            Button b = new Button("Show trace");
            b.setId("show-trace");
            b.setMnemonicParsing(false);
            b.setAccessibleText("Show the trace of this operation on the timeline");
            b.setTooltip(new javafx.scene.control.Tooltip("Open its trace on the timeline (Ctrl+T)"));
            b.setOnAction(e -> showTrace.accept(o.traceId()));
            buttons.add(b);
        }
        // a notification with a button stays long enough to reach it (by mouse or Ctrl+T)
        toasts.show(o.success() ? Toasts.Kind.SUCCESS : Toasts.Kind.WARNING, o.message(), buttons, o.success() && buttons.isEmpty() ? 6 : 15);
    }

    /** Scale the targeted agents to N instances (a redeploy of their spec with a new concurrency). */
    public void scale() {
        List<AgentSpec> specs = actions.specsOf(targets.get());
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
        n.setAccessibleText("Number of instances");
        Label hint = new Label("Now: " + specs.stream().map(s -> s.name() + " \u00d7 " + s.concurrency()).reduce((a, b) -> a + ", " + b).orElse(""));
        hint.getStyleClass().add("text-muted");
        hint.setWrapText(true);
        hint.setLabelFor(n);
        d.getDialogPane().setContent(new VBox(8, hint, n));
        ButtonType apply = new ButtonType("Scale", ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().setAll(apply, ButtonType.CANCEL);
        Button ok = (Button) d.getDialogPane().lookupButton(apply);
        ok.setId("scale-ok");
        ok.setDefaultButton(true);
        // Enter in the number field commits it and scales (the field would otherwise keep the key)
        n.getEditor().setOnAction(e -> ok.fire());
        d.getDialogPane().setId("scale-dialog");
        d.setResizable(true);
        d.setOnShown(e -> {
            d.getDialogPane().getScene().getWindow().requestFocus();
            n.getEditor().requestFocus();
        });
        d.setResultConverter(b -> {
            if (b != apply) return null;
            n.increment(0); // commits typed text
            return n.getValue();
        });
        Optional<Integer> res = d.showAndWait();
        if (res.isEmpty()) return;
        int target = res.get();
        int removed = FleetActions.removedByScale(specs, target);
        if (removed > 0 && !confirm("Scale down: stop " + Fmt.plural(removed, "instance") + "?",
                "The highest-numbered instances are stopped and forgotten.", "Scale down")) {
            return;
        }
        String names = String.join(", ", specs.stream().map(AgentSpec::name).toList());
        Runnable end = status.begin("Scaling " + names + " to " + target + "\u2026");
        actions.scale(specs, target, o -> {
            end.run();
            status.say(o.statusLine());
            toasts.show(o.success() ? Toasts.Kind.SUCCESS : Toasts.Kind.WARNING, o.message(), null, 6);
            vm.afterOperation();
        }, err -> {
            end.run();
            toasts.show(Toasts.Kind.DANGER, "Scale failed: " + err.getMessage(), null, 12);
            vm.afterOperation();
        });
    }

    /** A confirmation naming how many instances; Enter confirms, Escape cancels; true when the user agreed. */
    boolean confirm(String header, String detail, String verb) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION);
        a.initOwner(owner.get());
        a.setTitle("Confirm");
        a.setHeaderText(header);
        a.setContentText(detail);
        a.setResizable(true);
        ButtonType go = new ButtonType(verb, ButtonBar.ButtonData.OK_DONE);
        a.getButtonTypes().setAll(ButtonType.CANCEL, go);
        Button b = (Button) a.getDialogPane().lookupButton(go);
        b.setId("confirm-ok");
        b.getStyleClass().add(atlantafx.base.theme.Styles.DANGER);
        b.setDefaultButton(true);
        Button cancel = (Button) a.getDialogPane().lookupButton(ButtonType.CANCEL);
        cancel.setId("confirm-cancel");
        cancel.setDefaultButton(false);
        cancel.setCancelButton(true);
        a.getDialogPane().setId("confirm-dialog");
        a.setOnShown(e -> {
            a.getDialogPane().getScene().getWindow().requestFocus();
            b.requestFocus();
        });
        return a.showAndWait().filter(x -> x == go).isPresent();
    }
}
