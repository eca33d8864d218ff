package io.sabot.ui;

import io.sabot.engine.Engine;
import io.sabot.engine.EngineInfo;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javafx.util.Duration;
import javax.imageio.ImageIO;

/** How the CLI opens the console: a window over an engine, or one screenshot of it. */
@ConsoleEntryPoint
public final class ConsoleLauncher {
    private ConsoleLauncher() {}

    /**
     * Opens the console and returns when its window is closed. With {@code ownsEngine} (the
     * console hosts a LocalEngine), closing the window closes the engine on a background thread
     * and this method returns once it has; otherwise (attached to a daemon) the engine runs on.
     */
    public static void launch(Engine engine, boolean ownsEngine, String[] args) {
        launch(engine, ownsEngine, null, args, null);
    }

    /**
     * Opens the console over {@code engine} as {@code link} describes it and returns, once the
     * window is closed, what the user chose for the engine (attached consoles ask on close; an
     * in-process engine is closed as in {@link #launch(Engine, boolean, String[])}).
     */
    public static io.sabot.launch.QuitChoice launch(Engine engine, EngineLink link, String[] args) { return launch(engine, link, null, args); }

    /** As {@link #launch(Engine, EngineLink, String[])}, opening {@code file} ("Open…") once the window shows. */
    public static io.sabot.launch.QuitChoice launch(Engine engine, EngineLink link, java.nio.file.Path file, String[] args) {
        return launch(engine, link, file, args, null);
    }

    /** As above, keeping the console's preferences and Hosts list in {@code prefsHome} (the local home when the engine is another host's). */
    public static io.sabot.launch.QuitChoice launch(Engine engine, EngineLink link, java.nio.file.Path file, String[] args, Path prefsHome) {
        ConsoleApp.openAtStart(file);
        launch(engine, !link.attached(), link, args, prefsHome);
        return ConsoleApp.quitChoice();
    }

    private static void launch(Engine engine, boolean ownsEngine, EngineLink link, String[] args, Path prefsHome) {
        ConsoleApp.configure(engine, ownsEngine, link, prefsHome);
        Application.launch(ConsoleApp.class, args == null ? new String[0] : args);
        Thread closer = ConsoleApp.engineCloser();
        if (closer != null) {
            try {
                closer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Shows the console over {@code engine}, switches to {@code view} (agents, partitions, traces,
     * events), waits {@code afterSeconds} for live data, writes the window to {@code png} and
     * closes the window. Does not close the engine. Blocks until the file is written.
     */
    public static void screenshot(Engine engine, Path png, String view, double afterSeconds) {
        screenshot(engine, png, view, afterSeconds, false);
    }

    /** As {@link #screenshot(Engine, Path, String, double)}, in the dark theme when {@code dark}. */
    public static void screenshot(Engine engine, Path png, String view, double afterSeconds, boolean dark) {
        screenshot(engine, png, view, afterSeconds, dark, 1440, 900, null);
    }

    /**
     * As above, with the window's size and, for the agents view, the detail tab to open (metrics,
     * history, logs or spec; null: metrics).
     */
    public static void screenshot(Engine engine, Path png, String view, double afterSeconds, boolean dark, int width, int height, String tab) {
        View v = View.parse(view == null ? "agents" : view);
        EngineInfo info = engine.info();
        // for the trace view, the newest bulk operation's trace is opened (read here, off the FX thread)
        String traceId = v != View.TRACES ? null : engine.traces(50).stream()
                .filter(t -> t.name().startsWith("restart")).map(t -> t.traceId()).findFirst().orElse(null);
        boolean started = startToolkit();
        CompletableFuture<WritableImage> shot = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                ConsolePrefs p = new ConsolePrefs(Double.NaN, Double.NaN, width, height, false, v.id(), dark ? "dark" : "light", 0.63);
                ConsoleWindow w = new ConsoleWindow(new io.sabot.ui.model.ConsoleModel(engine, info, Platform::runLater), p, null);
                Stage stage = new Stage();
                w.attach(stage);
                stage.show();
                w.select(v);
                // with an instance selected the detail pane shows its live charts
                PauseTransition pick = new PauseTransition(Duration.seconds(Math.min(1.5, afterSeconds / 3)));
                pick.setOnFinished(e -> {
                    w.selectFirstInstance();
                    if (tab != null) w.agents().detail().selectTab("tab-" + tab);
                    if (traceId != null) w.showTrace(traceId);
                });
                pick.play();
                PauseTransition wait = new PauseTransition(Duration.seconds(Math.max(0.2, afterSeconds)));
                wait.setOnFinished(e -> {
                    try {
                        shot.complete(stage.getScene().snapshot(null));
                    } catch (RuntimeException ex) {
                        shot.completeExceptionally(ex);
                    } finally {
                        w.close();
                        stage.close();
                    }
                });
                wait.play();
            } catch (RuntimeException ex) {
                shot.completeExceptionally(ex);
            }
        });
        try {
            WritableImage img = shot.get((long) (afterSeconds * 1000) + 60_000, TimeUnit.MILLISECONDS);
            // the PNG is encoded and written here, on the caller's thread, not the FX thread
            BufferedImage bi = SwingFXUtils.fromFXImage(img, null);
            if (png.toAbsolutePath().getParent() != null) Files.createDirectories(png.toAbsolutePath().getParent());
            if (!ImageIO.write(bi, "png", png.toFile())) throw new IOException("no PNG writer");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while taking the screenshot");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("screenshot failed: " + e, e);
        } finally {
            if (started) Platform.exit();
        }
    }

    /** Starts the FX toolkit unless it already runs; true when this call started it. */
    private static boolean startToolkit() {
        CompletableFuture<Void> up = new CompletableFuture<>();
        try {
            Platform.startup(() -> up.complete(null));
        } catch (IllegalStateException alreadyRunning) {
            return false;
        }
        Platform.setImplicitExit(false);
        up.join();
        return true;
    }
}
