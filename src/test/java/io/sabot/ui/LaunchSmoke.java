package io.sabot.ui;

import io.sabot.engine.EngineConfig;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.Selection;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.application.Platform;
import javafx.stage.Window;

/**
 * Manual smoke check of the real launch path (Application.launch, prefs saved on close, owned
 * engine closed on a background thread): opens the console over a LocalEngine, closes the
 * window after 3 s, then checks. Run it in its own JVM (Monocle or Xvfb):
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) -Dglass.platform=Monocle
 * -Dmonocle.platform=Headless -Dprism.order=sw io.sabot.ui.LaunchSmoke /tmp/home}
 */
public final class LaunchSmoke {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args.length > 0 ? args[0] : Files.createTempDirectory("sabot-smoke").toString());
        LocalEngine engine = new LocalEngine(EngineConfig.defaults(home));
        engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("s", 2, null)), home));
        engine.start(Selection.everything(), null, null);
        long pid = engine.status(Selection.of("s-0")).get(0).pid();
        Thread closer = new Thread(() -> {
            try {
                while (Window.getWindows().isEmpty()) Thread.sleep(50);
                Thread.sleep(3000);
                Platform.runLater(() -> Window.getWindows().get(0).hide());
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        closer.setDaemon(true);
        closer.start();
        long t0 = System.nanoTime();
        ConsoleLauncher.launch(engine, true, new String[0]);
        System.out.println("launch returned after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        Path prefs = ConsolePrefs.file(home);
        for (int i = 0; i < 100 && !Files.exists(prefs); i++) Thread.sleep(20);
        System.out.println("prefs saved: " + Files.exists(prefs) + (Files.exists(prefs) ? " " + Files.readString(prefs).replaceAll("\\s+", " ") : ""));
        System.out.println("agent s-0 (pid " + pid + ") alive after close: " + Procs.alive(pid));
        Procs.kill(engine.watchdog().pid());
        System.exit(Procs.alive(pid) || !Files.exists(prefs) ? 1 : 0);
    }
}
