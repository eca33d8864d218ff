package io.sabot.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.process.Signals;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real daemon SIGSTOPped for twice its agents' heartbeat timeout, then resumed (with its agents
 * frozen too, as in a suspended VM or a paused container, and resumed just after it, the worst
 * order): the agents that beat again are not killed for the silence the pause caused (the engine
 * notices its own pause and counts their deadlines from the resumption), while an agent that
 * really hung is still killed one timeout after it.
 */
class EnginePauseTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long TIMEOUT_MS = 5000;

    @TempDir
    Path tmp;

    private static Map<String, JsonNode> status(Daemon d) {
        Map<String, JsonNode> out = new HashMap<>();
        try {
            for (JsonNode s : JSON.readTree(d.run("agents", "status", "--json").out)) out.put(s.path("id").asText(), s);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    @Test
    void anEngineStoppedLongerThanTheHeartbeatTimeoutKillsOnlyTheAgentThatReallyHung() throws Exception {
        Path beat = tmp.resolve("beat.sh");
        Files.writeString(beat, "#!/bin/sh\necho '@sabot {\"type\":\"ready\"}'\n"
                + "while true; do echo '@sabot {\"type\":\"heartbeat\",\"rate\":1,\"lag\":0,\"processed\":1}'; sleep 0.2; done\n");
        Files.setPosixFilePermissions(beat, PosixFilePermissions.fromString("rwx------"));
        String health = "\"protocol\":true,\"health\":{\"heartbeatTimeoutMs\":" + TIMEOUT_MS + "}";
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"agents\":["
                + "{\"name\":\"beat\",\"command\":[\"" + beat + "\"],\"concurrency\":3," + health + "},"
                + "{\"name\":\"hung\",\"command\":[\"" + beat + "\"]," + health + ",\"restart\":{\"policy\":\"temporary\"}}]}");
        try (Daemon d = new Daemon(tmp.resolve("home"), tmp.resolve("daemon.log"), Map.of("SABOT_BACKUP_EVERY", "0"), List.of())) {
            assertThat(d.run("agents", "deploy", spec.toString()).code).isZero();
            Daemon.Result started = d.run("agents", "start", "beat", "hung");
            assertThat(started.code).as(started.toString()).isZero();
            Map<String, JsonNode> before = status(d);
            for (JsonNode s : before.values()) d.remember(s.path("pid").asLong());
            long hung = before.get("hung-0").path("pid").asLong();
            assertThat(before.values()).allMatch(s -> s.path("state").asText().equals("RUNNING"));

            // the whole machine (or container) freezes: agents and engine alike; the hung agent never comes back
            long engine = d.process.pid();
            List<Long> beating = List.of("beat-0", "beat-1", "beat-2").stream().map(id -> before.get(id).path("pid").asLong()).toList();
            for (long p : beating) Signals.group(p, Signals.Sig.STOP);
            Signals.group(hung, Signals.Sig.STOP);
            Signals.process(engine, Signals.Sig.STOP);
            try {
                Thread.sleep(2 * TIMEOUT_MS); // the fault itself: nothing runs for twice the heartbeat timeout
            } finally {
                Signals.process(engine, Signals.Sig.CONT);
            }
            try {
                // the engine runs first and checks heartbeats before any agent could beat again (the worst order)
                Await.until(Duration.ofSeconds(30), () -> d.logText().contains("the engine did not run for"),
                        () -> "the engine noticed its own pause: " + d.logText());
            } finally {
                for (long p : beating) Signals.group(p, Signals.Sig.CONT);
            }

            // the hung agent is killed one timeout after the resumption; by then a kill-them-all would have happened
            Await.until(Duration.ofSeconds(30), () -> status(d).get("hung-0").path("state").asText().equals("STOPPED"),
                    () -> "the hung agent killed for silence: " + d.logText());
            Map<String, JsonNode> after = status(d);
            assertThat(after.get("hung-0").path("lastExit").path("reason").asText()).isEqualTo("heartbeat timeout");
            for (String id : List.of("beat-0", "beat-1", "beat-2")) {
                assertThat(after.get(id).path("state").asText()).as(id).isEqualTo("RUNNING");
                assertThat(after.get(id).path("pid").asLong()).as(id + " is the same process").isEqualTo(before.get(id).path("pid").asLong());
                assertThat(after.get(id).path("restarts").asInt()).as(id).isZero();
            }
            assertThat(d.logText()).contains("the engine did not run for").doesNotContain("beat-0 unhealthy");
            Signals.group(hung, Signals.Sig.CONT);
        }
    }
}
