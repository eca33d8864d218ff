package io.sabot.ui;

import io.sabot.launch.QuitChoice;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;

/**
 * Quitting a console attached to a background engine: the window's close button and Ctrl+Q ask
 * {@link QuitDialog}; Cancel keeps the window open, any other answer goes to {@code chosen}
 * and the window closes.
 */
public final class QuitFlow {
    private QuitFlow() {}

    public static void install(ConsoleWindow window, Stage stage, EngineLink link, Consumer<QuitChoice> chosen) {
        stage.setOnCloseRequest(e -> {
            Optional<QuitChoice> c = QuitDialog.ask(stage, link, window.model().agents().size(), window.model().instances().size());
            if (c.isEmpty()) e.consume();
            else chosen.accept(c.get());
        });
        stage.getScene().getAccelerators().put(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN),
                () -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
    }
}
