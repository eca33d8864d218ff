package io.sabot.ui;

import io.sabot.launch.QuitChoice;
import java.util.Optional;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/**
 * Closing a console attached to a background engine asks what to leave behind: "Keep agents
 * running" (the default button, and what Enter picks), "Stop engine and agents", or Cancel.
 */
public final class QuitDialog {
    public static final ButtonType KEEP = new ButtonType("Keep agents running", ButtonBar.ButtonData.OK_DONE);
    public static final ButtonType STOP = new ButtonType("Stop engine and agents", ButtonBar.ButtonData.OTHER);

    private QuitDialog() {}

    /** Asks on the FX thread; empty when cancelled. */
    public static Optional<QuitChoice> ask(Window owner, EngineLink link, int agents, int instances) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION);
        a.initOwner(owner);
        a.setTitle("Close Sabot Console");
        a.setHeaderText("Keep the agents running after the window closes?");
        a.setContentText(agents + (agents == 1 ? " agent" : " agents") + " (" + instances + (instances == 1 ? " instance" : " instances")
                + ") run in the background engine, pid " + link.pid() + ", on " + link.home() + ".\n\n"
                + "Keep them running and reopen the console any time (or use sabot agents ... from a shell), "
                + "or stop every agent and the engine now.");
        a.getDialogPane().setId("quit-dialog");
        a.getButtonTypes().setAll(KEEP, STOP, ButtonType.CANCEL);
        a.getDialogPane().lookupButton(KEEP).setId("quit-keep");
        a.getDialogPane().lookupButton(STOP).setId("quit-stop");
        a.getDialogPane().lookupButton(STOP).getStyleClass().add("danger");
        Optional<ButtonType> b = a.showAndWait();
        if (b.isEmpty() || b.get() == ButtonType.CANCEL) return Optional.empty();
        return Optional.of(b.get() == STOP ? QuitChoice.STOP_EVERYTHING : QuitChoice.KEEP_RUNNING);
    }
}
