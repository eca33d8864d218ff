package io.sabot.ui;

import io.sabot.engine.Engine;
import io.sabot.engine.EngineConfig;
import io.sabot.engine.EngineInfo;
import io.sabot.testing.EngineFixture;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A console window over a real engine on a temp home, on TestFX's primary stage. Closing it
 * closes the window's plumbing, then the engine fixture (which kills every pid it saw).
 */
public final class ConsoleHarness implements AutoCloseable {
    public final EngineFixture fixture;
    public final io.sabot.engine.LocalEngine engine;
    public final DemoTelemetry telemetry;
    public ConsoleWindow window;
    public Stage stage;

    public ConsoleHarness(Path home, boolean traced) { this(home, traced, false); }

    /** With {@code answersTraces}, the engine's traces() and trace searches read the test telemetry's spans. */
    public ConsoleHarness(Path home, boolean traced, boolean answersTraces) {
        telemetry = traced ? new DemoTelemetry() : null;
        EngineConfig cfg = EngineConfig.defaults(home);
        if (traced) cfg = cfg.withTracer(telemetry.tracer());
        fixture = answersTraces && traced
                ? new EngineFixture(new io.sabot.engine.LocalEngine(new io.sabot.engine.EngineRuntime(cfg),
                        new io.sabot.engine.Answers(null, telemetry::traces, null)))
                : new EngineFixture(cfg);
        if (traced) telemetry.attach(fixture.engine);
        engine = fixture.engine;
    }

    /** Opens the window over {@code e} (the fixture's engine or a wrapper of it). */
    public ConsoleHarness open(Engine e, ConsolePrefs prefs) throws Exception {
        EngineInfo info = e.info(); // off the FX thread, as ConsoleApp.init does
        stage = FxToolkit.registerPrimaryStage();
        FxToolkit.setupStage(s -> {
            window = new ConsoleWindow(new io.sabot.ui.model.ConsoleModel(e, info, javafx.application.Platform::runLater), prefs, fixture.home.resolve("console.json"));
            window.attach(s);
            s.show();
            s.toFront();
            s.requestFocus();
        });
        WaitForAsyncUtils.waitForFxEvents();
        return this;
    }

    public ConsoleHarness open() throws Exception { return open(engine, ConsolePrefs.DEFAULT); }

    /** Reads something on the FX thread. */
    public static <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(60, TimeUnit.SECONDS); // generous: other builds load the machine
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public static void fxRun(Runnable r) {
        fx(() -> {
            r.run();
            return null;
        });
    }

    @Override
    public void close() {
        if (window != null) {
            ConsoleWindow w = window;
            Platform.runLater(w::close);
            WaitForAsyncUtils.waitForFxEvents();
        }
        fixture.close();
    }
}
