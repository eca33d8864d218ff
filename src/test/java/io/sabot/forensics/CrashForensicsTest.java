package io.sabot.forensics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sabot.engine.CrashReport;
import io.sabot.engine.Selection;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import io.sabot.testing.EngineFixture;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A memory-limit kill and a heartbeat kill show as such in {@code sabot agents why}, with uptime, last lines, budget and backoff;
 * the budget is the supervision group's.
 */
class CrashForensicsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static ObjectNode agent(String name, String python) {
        ObjectNode a = JSON.createObjectNode();
        a.put("name", name);
        a.putArray("command").add("python3").add("-c").add(python);
        return a;
    }

    @Test
    void memoryLimitAndHeartbeatKillsAreNamedByAgentsWhy() throws Exception {
        ObjectNode spec = JSON.createObjectNode();
        ArrayNode agents = spec.putArray("agents");
        // grows a MiB at a time past its 64 MiB limit; restarted (permanent, long backoff) so budget and backoff show
        ObjectNode hog = agent("hog", "import time\nprint('hog starting', flush=True)\na=[]\nfor i in range(1024):\n a.append(b'x'*(1<<20))\n"
                + " if i % 16 == 0: print('allocated', i, 'MiB', flush=True)\n time.sleep(0.003)\ntime.sleep(100)");
        hog.putObject("limits").put("memoryMb", 64);
        hog.putObject("restart").put("maxRestarts", 3).put("withinSeconds", 60).putObject("backoff").put("initialMs", 60_000).put("maxMs", 60_000).put("jitter", 0);
        agents.add(hog);
        // says ready, then falls silent
        ObjectNode silent = agent("silent", "import time\nprint('@sabot {\"type\":\"ready\"}', flush=True)\nprint('working on batch 7', flush=True)\ntime.sleep(100)");
        silent.put("protocol", true);
        silent.putObject("health").put("heartbeatTimeoutMs", 500);
        silent.putObject("restart").put("policy", "temporary");
        agents.add(silent);
        Path file = tmp.resolve("spec.json");
        Files.writeString(file, spec.toString());
        try (Daemon d = new Daemon(tmp.resolve("home"))) {
            // no TCP port unless asked for (--metrics-listen)
            assertThat(io.sabot.export.ListeningSockets.of(d.process.pid())).isEmpty();
            assertThat(d.run("agents", "deploy", file.toString()).code).isZero();
            assertThat(d.run("agents", "start", "--all").code).isZero();
            Await.until(Duration.ofSeconds(60), () -> why(d, "hog").size() == 1 && why(d, "silent").size() == 1,
                    () -> "both crashes recorded: " + d.run("agents", "why", "hog", "silent", "--json"));

            JsonNode h = why(d, "hog").get(0);
            assertThat(h.path("instance").asText()).isEqualTo("hog-0");
            assertThat(h.path("cause").asText()).isEqualTo("memory-limit");
            assertThat(h.path("signal").asText()).isEqualTo("SIGKILL");
            assertThat(h.path("causeDetail").asText()).startsWith("memory limit: resident");
            assertThat(h.path("uptimeMs").asLong()).isPositive();
            assertThat(h.path("outcome").asText()).isEqualTo("BACKOFF");
            assertThat(h.path("nextBackoffMs").asLong()).isEqualTo(60_000);
            assertThat(h.path("maxRestarts").asInt()).isEqualTo(3);
            assertThat(h.path("restartsInWindow").asInt()).isEqualTo(1);
            assertThat(h.path("restartBudgetLeft").asInt()).isEqualTo(2);
            List<String> lines = lines(h);
            assertThat(lines.size()).isBetween(3, 50);
            assertThat(lines).anyMatch(l -> l.startsWith("allocated"));
            assertThat(lines.get(lines.size() - 1)).startsWith("[sabot] hog-0 (pid " + h.path("pid").asLong() + ")");

            JsonNode s = why(d, "silent").get(0);
            assertThat(s.path("cause").asText()).isEqualTo("heartbeat-timeout");
            assertThat(s.path("causeDetail").asText()).contains("heartbeat timeout");
            assertThat(s.path("outcome").asText()).isEqualTo("STOPPED");
            assertThat(s.path("nextBackoffMs").isNull()).isTrue();
            assertThat(lines(s)).contains("working on batch 7");
            assertThat(lines(s)).anyMatch(l -> l.contains("killing silent-0: heartbeat timeout"));

            // the human form says the same in words
            Daemon.Result text = d.run("agents", "why", "hog", "silent");
            assertThat(text.code).isZero();
            assertThat(text.out).contains("hog-0: killed at its memory limit").contains("signal SIGKILL").contains("restart after 60000 ms of backoff")
                    .contains("2 left before FAILED").contains("silent-0: killed: no heartbeat in time");
            // bad input names what is wrong
            Daemon.Result bad = d.run("agents", "why", "nosuch");
            assertThat(bad.code).isEqualTo(2);
            assertThat(bad.err).contains("nosuch");
        }
    }

    /**
     * The budget a crash report gives is its supervision group's: two members of group g crash
     * once each; counted per instance each would have used 1 of 3, the group has used 2.
     */
    @Test
    void theRestartBudgetOfAMemberIsItsGroups() throws Exception {
        String restart = "\"group\":\"g\",\"restart\":{\"maxRestarts\":3,\"withinSeconds\":60,\"backoff\":{\"initialMs\":0,\"maxMs\":0}}";
        try (EngineFixture f = new EngineFixture(tmp.resolve("home"));
             CrashRecorder recorder = new CrashRecorder(f.engine, null)) {
            f.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("a", 1, restart), Specs.sleeper("b", 1, restart)), tmp));
            f.engine.start(Selection.everything(), null, null);
            for (String id : List.of("a-0", "b-0")) {
                long pid = f.status(id).pid();
                Procs.sigkill(pid);
                Await.until(Duration.ofSeconds(20), () -> recorder.crashes(List.of(id)).size() == 1, () -> id + "'s crash recorded: " + f.status());
            }
            CrashReport a = recorder.crashes(List.of("a-0")).get(0);
            assertThat(a.group()).isEqualTo("g");
            assertThat(a.restartsInWindow()).isEqualTo(1);
            CrashReport b = recorder.crashes(List.of("b-0")).get(0);
            assertThat(b.group()).isEqualTo("g");
            assertThat(b.outcome()).isEqualTo("BACKOFF");
            assertThat(b.maxRestarts()).isEqualTo(3);
            assertThat(b.windowSeconds()).isEqualTo(60);
            assertThat(b.restartsInWindow()).as("the group's restarts, a-0's included").isEqualTo(2);
            assertThat(b.restartBudgetLeft()).isEqualTo(1);
            assertThat(b.nextBackoffMs()).isZero();
        }
    }

    private static List<JsonNode> why(Daemon d, String name) {
        Daemon.Result r = d.run("agents", "why", name, "--json");
        if (r.code != 0) return List.of();
        try {
            List<JsonNode> out = new java.util.ArrayList<>();
            JSON.readTree(r.out).forEach(out::add);
            return out;
        } catch (java.io.IOException e) {
            throw new AssertionError(r.toString(), e);
        }
    }

    private static List<String> lines(JsonNode r) {
        List<String> out = new java.util.ArrayList<>();
        r.path("lastLines").forEach(n -> out.add(n.asText()));
        return out;
    }
}
