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
    private static volatile EngineLink link;
    private static volatile java.nio.file.Path openAtStart;
    private static volatile io.sabot.launch.QuitChoice quitChoice = io.sabot.launch.QuitChoice.KEEP_RUNNING;

    private EngineInfo info;
    private ConsolePrefs prefs;
    private Path prefsFile;
    private ConsoleWindow window;

    private static volatile Path prefsHome;

    static void configure(Engine e, boolean owns) { configure(e, owns, null, null); }

    static void configure(Engine e, boolean owns, EngineLink l) { configure(e, owns, l, null); }

    /** {@code home}: where the console's preferences and Hosts list live (the local home when the engine is another host's). */
    static void configure(Engine e, boolean owns, EngineLink l, Path home) {
        engine = e;
        ownsEngine = owns;
        link = l;
        prefsHome = home;
        quitChoice = io.sabot.launch.QuitChoice.KEEP_RUNNING;
        engineCloser = null;
    }

    /** A file to open ("Open…") once the window shows, or null. */
    static void openAtStart(java.nio.file.Path file) { openAtStart = file; }

    /** What the user chose when closing an attached console (KEEP_RUNNING unless asked otherwise). */
    static io.sabot.launch.QuitChoice quitChoice() { return quitChoice; }

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
        if (link != null) window.setEngineLink(link);
        window.attach(stage);
        if (link != null && link.attached()) QuitFlow.install(window, stage, link, c -> quitChoice = c);
        stage.setOnHidden(e -> shutdown());
        stage.show();
        java.nio.file.Path file = openAtStart;
        if (file != null) javafx.application.Platform.runLater(() -> window.openFile(file));
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
