package io.sabot.ui;

import io.sabot.engine.Engine;
import io.sabot.engine.EngineInfo;
import java.nio.file.Path;
import javafx.application.Application;
import javafx.stage.Stage;

/**
 * The JavaFX application. It is started by {@link ConsoleLauncher} (a class that extends
 * Application cannot be a plain jar's main class), which hands it the engine first.
 */
@ConsoleEntryPoint
public final class ConsoleApp extends Application {
    private static volatile Engine engine;
    private static volatile boolean ownsEngine;
    private static volatile Thread engineCloser;

    private EngineInfo info;
    private ConsolePrefs prefs;
    private Path prefsFile;
    private ConsoleWindow window;

    private static volatile Path prefsHome;

    static void configure(Engine e, boolean owns) { configure(e, owns, null); }

    static void configure(Engine e, boolean owns, Path home) {
        engine = e;
        ownsEngine = owns;
        prefsHome = home;
        engineCloser = null;
    }

    /** The thread closing the engine after the window closed, or null. */
    static Thread engineCloser() { return engineCloser; }

    /** Runs on the launcher thread, not the FX thread: engine info and the prefs file are read here. */
    @Override
    public void init() {
        if (engine == null) throw new IllegalStateException("ConsoleApp needs an engine: start it with ConsoleLauncher.launch");
        info = engine.info();
        prefsFile = ConsolePrefs.file(prefsHome != null ? prefsHome : Path.of(info.home()));
        prefs = ConsolePrefs.load(prefsFile);
    }

    @Override
    public void start(Stage stage) {
        window = new ConsoleWindow(new io.sabot.ui.model.ConsoleModel(engine, info, javafx.application.Platform::runLater), prefs, prefsFile);
        window.attach(stage);
        stage.setOnHidden(e -> shutdown());
        stage.show();
    }

    private void shutdown() {
        if (window == null) return;
        ConsolePrefs now = window.currentPrefs();
        window.close();
        window = null;
        // not daemon threads: the JVM waits for the prefs file and the agents' orderly stop
        Thread save = new Thread(() -> now.save(prefsFile), "sabot-console-prefs");
        save.start();
        if (ownsEngine) {
            Engine e = engine;
            Thread t = new Thread(e::close, "sabot-engine-close");
            engineCloser = t;
            t.start();
        }
    }
}
