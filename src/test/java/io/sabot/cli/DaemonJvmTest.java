package io.sabot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's JVM flags: applied in place (same pid) to a plain start, never twice, never against the operator's own. */
class DaemonJvmTest {
    @TempDir
    Path tmp;

    private static List<String> cmdline(long pid) throws Exception {
        byte[] b = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
        return List.of(new String(b, StandardCharsets.UTF_8).split("\0"));
    }

    @Test
    void aPlainDaemonReExecutesInPlaceWithTheFlags() throws Exception {
        try (Daemon d = new Daemon(tmp.resolve("home"))) {
            List<String> args = cmdline(d.process.pid()); // the pid the starter holds
            assertThat(args).containsSubsequence(DaemonJvm.FLAGS).contains("io.sabot.Main", "daemon");
            assertThat(args.stream().filter(a -> a.equals("-Dsabot.jvm=tuned")).count()).as("re-executed once").isEqualTo(1);
            assertThat(d.run("agents", "status").code).isZero();
        }
    }

    @Test
    void anOperatorsCollectorChoiceIsKept() throws Exception {
        Path home = tmp.resolve("home2");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"), "io.sabot.Main",
                "daemon", "--home", home.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("d.log").toFile()).start();
        try {
            Await.until(Duration.ofSeconds(60), () -> Daemon.cli("agents", "status", "--home", home.toString()).code == 0,
                    () -> "daemon up: " + read(tmp.resolve("d.log")));
            List<String> args = cmdline(p.pid());
            assertThat(args).contains("-XX:+UseParallelGC", "-Dsabot.jvm=tuned", "-XX:TieredStopAtLevel=1").doesNotContain("-XX:+UseSerialGC");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    @Test
    void onlyTheDaemonCommandIsTuned() {
        assertThat(DaemonJvm.isDaemon(new String[] {"daemon"})).isTrue();
        assertThat(DaemonJvm.isDaemon(new String[] {"--home", "/x", "daemon"})).isTrue();
        assertThat(DaemonJvm.isDaemon(new String[] {"agents", "status"})).isFalse();
        assertThat(DaemonJvm.isDaemon(new String[] {"console", "daemon"})).isFalse();
        assertThat(DaemonJvm.isDaemon(new String[] {})).isFalse();
    }

    @Test
    void theAppImageLauncherCarriesTheSameFlags() throws Exception {
        String script = Files.readString(Path.of("packaging/linux/sabot-launcher.sh"));
        for (String f : DaemonJvm.FLAGS) assertThat(script).as("bin/sabot's flags").contains(" " + f + " ");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return e.toString();
        }
    }
}
