package io.sabot.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.sabot.spec.ExecutableCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/sabot.jar console} (failsafe, after the jar is built): no display exits 4
 * with the message; under Xvfb the console relaunches itself with JavaFX as named modules and
 * draws its window without JavaFX's "Unsupported JavaFX configuration" warning.
 */
class ConsoleLaunchIT {
    @TempDir
    Path tmp;

    private static Path jar() {
        Path jar = Path.of(System.getProperty("sabot.jar", "target/sabot.jar")).toAbsolutePath();
        assumeThat(Files.exists(jar)).as("built jar " + jar).isTrue();
        return jar;
    }

    private record Run(int code, String output) { }

    private Run run(List<String> cmd, boolean display) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (!display) {
            pb.environment().remove("DISPLAY");
            pb.environment().remove("WAYLAND_DISPLAY");
        }
        pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    private static String java() { return Path.of(System.getProperty("java.home"), "bin", "java").toString(); }

    @Test
    void withoutADisplayTheJarExitsFour() throws Exception {
        Run r = run(List.of(java(), "-jar", jar().toString(), "console", "--home", tmp.resolve("home").toString()), false);
        assertThat(r.code()).as(r.output()).isEqualTo(4);
        assertThat(r.output()).contains("no display to open a window on").contains("sudo apt install xvfb libgtk-3-0");
    }

    @Test
    void underXvfbTheConsoleRunsJavaFxAsNamedModulesWithoutTheWarning() throws Exception {
        Path jar = jar();
        assumeThat(ExecutableCheck.onPath("xvfb-run")).as("xvfb-run on PATH").isNotNull();
        Path png = tmp.resolve("console.png");
        List<String> cmd = new ArrayList<>(List.of("xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", java(), "-jar", jar.toString(),
                "console", "--home", tmp.resolve("home").toString(), "--screenshot", png.toString(), "--after", "1"));
        Run r = run(cmd, true);
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).doesNotContain("Unsupported JavaFX configuration").doesNotContain("WARNING").contains("wrote " + png);
        assertThat(Files.size(png)).isGreaterThan(10_000);
        try (var s = Files.list(tmp.resolve("cache").resolve("sabot"))) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith("javafx-"))).as("modules extracted once").hasSize(1);
        }
    }
}
