package io.sabot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.Daemon;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sabot bridge} (what every {@code --host} command starts on the remote host) runs on the
 * lean path: a real {@code io.sabot.Main bridge --home H} process answers its banner and forwards a
 * request to the engine and back, and loads neither picocli nor Jackson (the JVM's class-load log).
 */
class LeanBridgeTest {
    @TempDir
    Path tmp;

    @Test
    void theBridgeLoadsNoPicocliAndNoJacksonAndStillForwards() throws Exception {
        Path home = tmp.resolve("home");
        Path classes = tmp.resolve("classes.log");
        String java = ProcessHandle.current().info().command().orElseThrow();
        try (Daemon d = new Daemon(home)) {
            Process p = new ProcessBuilder(List.of(java, "-XX:TieredStopAtLevel=1", "-Xlog:class+load=info:file=" + classes,
                    "-cp", System.getProperty("java.class.path"), "io.sabot.Main", "bridge", "--home", home.toString()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String banner = in.readLine();
                assertThat(banner).matches("\\{\"sabotBridge\":1,\"protocol\":\\d+,\"minProtocol\":\\d+,\"version\":\"[^\"]+\"}");
                OutputStream out = p.getOutputStream();
                out.write("1 !open\n1 {\"id\":7,\"op\":\"hello\",\"protocol\":1,\"minProtocol\":1,\"version\":\"dev\"}\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(in.readLine()).isEqualTo("1 !ok");
                assertThat(in.readLine()).startsWith("1 {").contains("\"id\":7").contains("\"ok\":true");
                out.close(); // stdin's end: the bridge closes its connections and exits
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
            } finally {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        List<String> loaded = Files.readAllLines(classes);
        assertThat(loaded).anyMatch(l -> l.contains("io.sabot.control.Bridge "));
        assertThat(loaded).noneMatch(l -> l.contains("picocli.")).noneMatch(l -> l.contains("com.fasterxml."));
    }
}
