package io.sabot.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import io.sabot.testing.NoJavaNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real daemon started under {@code ulimit -n 256} asked to run more agents than its file
 * descriptors allow: the spawns that would leave it too few are refused with an error that names
 * the limit and the fix, and the engine keeps serving throughout (status, stop, the store), and
 * starts agents again once others are stopped.
 */
class FdExhaustionTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int LIMIT = 256;

    @TempDir
    Path tmp;

    private static long openFds(long pid) throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return s.count();
        }
    }

    private static List<JsonNode> status(Daemon d) {
        List<JsonNode> out = new ArrayList<>();
        try {
            JSON.readTree(d.run("agents", "status", "--json").out).forEach(out::add);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    @Test
    void spawnsThatWouldExhaustTheEnginesFileDescriptorsAreRefusedAndTheEngineKeepsServing() throws Exception {
        Path home = tmp.resolve("home");
        try (Daemon d = Daemon.withFileLimit(LIMIT, home, tmp.resolve("daemon.log"), Map.of("SABOT_BACKUP_EVERY", "0"))) {
            long pid = d.process.pid();
            assertThat(Files.readString(Path.of("/proc/" + pid + "/limits"))).containsPattern("Max open files +" + LIMIT + " +" + LIMIT);
            long idle = openFds(pid);
            // a log file per instance when deployed, and at least an output pipe each when running: more than the room left
            int n = (int) (LIMIT - idle) / 2;
            Path spec = tmp.resolve("spec.json");
            Files.writeString(spec, "{\"agents\":[{\"name\":\"w\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":" + n
                    + ",\"stopGraceMs\":2000,\"restart\":{\"policy\":\"temporary\"}}]}");
            Daemon.Result deployed = d.run("agents", "deploy", spec.toString());
            assertThat(deployed.code).as(deployed.toString()).isZero();

            Daemon.Result start = d.run("agents", "start", "w");
            List<JsonNode> st = status(d);
            st.forEach(s -> { if (!s.path("pid").isNull()) d.remember(s.path("pid").asLong()); });
            long running = st.stream().filter(s -> s.path("state").asText().equals("RUNNING")).count();
            assertThat(running).as("some started: %s", start).isPositive();
            assertThat(running).as("some refused: %s", start).isLessThan(n);
            assertThat(start.code).as(start.toString()).isNotZero();
            String all = start.out + start.err;
            assertThat(all).contains("the engine is out of file descriptors (").contains("ulimit -n " + LIMIT)
                    .contains("stop some agents or raise the limit").doesNotContain("error=24").doesNotContain("Too many open files");
            NoJavaNames.check("the start reply", all);
            assertThat(openFds(pid)).as("the engine kept its reserve").isLessThan(LIMIT - 8);

            // it keeps serving: status, the store, and stopping
            assertThat(d.run("store", "check").code).isZero();
            Daemon.Result stop = d.run("agents", "stop", "w");
            assertThat(stop.code).as(stop.toString()).isZero();
            assertThat(status(d)).noneMatch(s -> s.path("state").asText().equals("RUNNING"));

            // with room again, what was refused starts
            String last = "w-" + (n - 1);
            Daemon.Result again = d.run("agents", "start", last);
            assertThat(again.code).as(again.toString()).isZero();
            Await.until(Duration.ofSeconds(10), () -> status(d).stream().anyMatch(s -> s.path("id").asText().equals(last)
                    && s.path("state").asText().equals("RUNNING")), last + " running");
            status(d).forEach(s -> { if (!s.path("pid").isNull()) d.remember(s.path("pid").asLong()); });
            assertThat(d.process.isAlive()).isTrue();
        }
    }
}
