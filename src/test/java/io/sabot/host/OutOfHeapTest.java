package io.sabot.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import io.sabot.testing.Procs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real daemon forced out of heap (a small -Xmx and a test hook that allocates): it dies, its
 * watchdog ends the agents, and the next start recovers cleanly. Both ways the engine is launched:
 * with -XX:+ExitOnOutOfMemoryError (the packaged launcher) and without any flag
 * ({@code java -jar sabot.jar}), where {@link OutOfMemoryGuard} does it, even when the code that
 * got the error swallowed it.
 */
class OutOfHeapTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    private static List<Long> pids(Daemon d) throws Exception {
        List<Long> out = new ArrayList<>();
        for (JsonNode s : JSON.readTree(d.run("agents", "status", "--json").out)) if (!s.path("pid").isNull()) out.add(s.path("pid").asLong());
        return out;
    }

    private void dieOutOfHeapAndRecover(List<String> jvm, String how) throws Exception {
        Path home = tmp.resolve("home");
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"agents\":[{\"name\":\"w\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":2}]}");
        List<String> args = new ArrayList<>(jvm);
        args.add("io.sabot.host.OomDaemonMain");
        Path log = tmp.resolve("oom-daemon.log");
        List<Long> first;
        // SABOT_DAEMON_JVM=asis: the JVM keeps the flags given here (the daemon would re-execute itself with
        // -XX:+ExitOnOutOfMemoryError and its own heap bound, and the guard's path would never run)
        Daemon d = new Daemon(home, log, Map.of("SABOT_BACKUP_EVERY", "0", "SABOT_DAEMON_JVM", "asis"), args);
        try {
            assertThat(d.run("agents", "deploy", spec.toString()).code).isZero();
            assertThat(d.run("agents", "start", "w").code).isZero();
            first = pids(d);
            assertThat(first).hasSize(2);
            Files.writeString(home.resolve(".test-oom-now"), how);
            assertThat(d.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("the engine died: %s", d.logText()).isTrue();
            assertThat(d.process.exitValue()).as(d.logText()).isEqualTo(3);
        } finally {
            d.close();
            Files.deleteIfExists(home.resolve(".test-oom-now"));
        }
        Await.until(Duration.ofSeconds(10), () -> first.stream().noneMatch(Procs::alive), "the watchdog ended the agents");
        // the next start recovers cleanly: the same fleet, running, and a sound store
        try (Daemon d2 = new Daemon(home, tmp.resolve("daemon2.log"), Map.of("SABOT_BACKUP_EVERY", "0"), List.of())) {
            Await.until(Duration.ofSeconds(30), () -> {
                try {
                    List<Long> now = pids(d2);
                    now.forEach(d2::remember);
                    return now.size() == 2;
                } catch (Exception e) {
                    return false;
                }
            }, "w's instances running again");
            Daemon.Result check = d2.run("store", "check");
            assertThat(check.code).as(check.toString()).isZero();
        }
    }

    @Test
    void withExitOnOutOfMemoryErrorAsThePackagedLauncherStartsIt() throws Exception {
        dieOutOfHeapAndRecover(List.of("-Xmx96m", "-XX:+ExitOnOutOfMemoryError"), "throw");
        assertThat(Files.readString(tmp.resolve("oom-daemon.log"))).contains("Terminating due to java.lang.OutOfMemoryError");
    }

    @Test
    void anEngineOutOfHeapDiesTheWatchdogEndsTheAgentsAndTheNextStartRecovers() throws Exception {
        dieOutOfHeapAndRecover(List.of("-Xmx96m"), "swallow"); // java -jar: no JVM flag, the guard does it
        assertThat(Files.readString(tmp.resolve("oom-daemon.log")))
                .contains("sabot: the engine ran out of memory").contains("the next start recovers from the store");
    }
}
