package io.sabot.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real launcher ({@code io.sabot.Main}, a JVM of its own) where no window can open: the
 * message names what is missing and how to install it, the exit code is 4, and nothing was
 * started or written in the home.
 */
class ConsoleLaunchTest {
    @TempDir
    Path tmp;

    private record Run(int code, String output) { }

    private Run sabot(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), "io.sabot.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("launcher exited").isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void withoutADisplayTheConsoleExitsFourSayingWhatToInstall() throws Exception {
        Path home = tmp.resolve("home");
        for (String[] args : new String[][] {{"console", "--home", home.toString()}, {"--home", home.toString()}, {"console", "--demo", "--home", home.toString()}}) {
            Run r = sabot(Map.of(), args);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r.output()).isEqualTo(4);
            assertThat(r.output()).startsWith("sabot console: no display to open a window on")
                    .contains("sudo apt install xvfb libgtk-3-0").contains("sudo dnf install xorg-x11-server-Xvfb gtk3")
                    .doesNotContain("Exception");
        }
        assertThat(Files.exists(home)).as("nothing started, nothing written").isFalse();
    }

    @Test
    void aDisplayWithNoXServerExitsFour() throws Exception {
        int n = 900;
        while (Files.exists(Path.of("/tmp/.X11-unix/X" + n)) || Files.exists(Path.of("/tmp/.X" + n + "-lock"))) n++;
        Run r = sabot(Map.of("DISPLAY", ":" + n), "console", "--home", tmp.resolve("home").toString());
        assertThat(r.code()).as(r.output()).isEqualTo(4);
        assertThat(r.output()).contains("cannot open display \":" + n + "\"").contains("xvfb-run -a sabot console");
    }
}
