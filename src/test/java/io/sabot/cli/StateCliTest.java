package io.sabot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract's {@code sabot state show --json} and {@code sabot state reset} against a daemon:
 * a row per (agent, store, partition, holder) with the contract's fields; stores of a stopped agent
 * are shown offline; a reset is refused while the agent runs, then clears the stores; the stores
 * restore on the next start; removing the agent deletes its state.
 */
class StateCliTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    @Test
    void stateShowResetAndCleanupOnRemove() throws Exception {
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"topics\":[{\"name\":\"tx\",\"partitions\":3,\"ratePerSec\":200}],\"agents\":["
                + "{\"name\":\"fd\",\"builtin\":\"fraud-detector\",\"topic\":\"tx\",\"concurrency\":2,\"state\":{\"backend\":\"rocksdb\"}}]}");
        Path home = tmp.resolve("home");
        try (Daemon d = new Daemon(home)) {
            assertThat(d.run("agents", "deploy", spec.toString()).code).isZero();
            assertThat(d.run("agents", "start", "--all").code).isZero();
            Await.until(Duration.ofSeconds(60), () -> {
                JsonNode rows = rows(d, "fd");
                if (rows == null || rows.size() != 3) return false;
                for (JsonNode r : rows) if (!r.path("status").asText().equals("active") || r.path("entries").asLong() <= 0) return false;
                return true;
            }, () -> "3 active stores with entries: " + rows(d, "fd"));
            for (JsonNode r : rows(d, null)) {
                for (String f : List.of("agent", "store", "topic", "partition", "owner", "status", "entries", "bytes", "restoredRecords", "restoreTotal")) {
                    assertThat(r.has(f)).as("row has %s: %s", f, r).isTrue();
                }
                assertThat(r.path("agent").asText()).isEqualTo("fd");
                assertThat(r.path("store").asText()).isEqualTo("cards");
                assertThat(r.path("owner").asText()).startsWith("fd-");
            }
            Daemon.Result human = d.run("state", "show");
            assertThat(human.code).isZero();
            assertThat(human.out).contains("AGENT").contains("cards").contains("tx:0").contains("active");

            Daemon.Result refused = d.run("state", "reset", "fd");
            assertThat(refused.code).as(refused.toString()).isNotZero();
            assertThat(refused.err).contains("while it runs").contains("sabot agents stop fd");

            assertThat(d.run("agents", "stop", "fd").code).isZero();
            JsonNode offline = rows(d, "fd");
            assertThat(offline).hasSize(3);
            for (JsonNode r : offline) {
                assertThat(r.path("status").asText()).isEqualTo("offline");
                assertThat(r.path("owner").isNull()).isTrue();
            }
            Daemon.Result reset = d.run("state", "reset", "fd", "--store", "cards");
            assertThat(reset.code).as(reset.toString()).isZero();
            assertThat(reset.out).contains("cards");
            assertThat(rows(d, "fd")).isEmpty();
            assertThat(d.run("state", "reset", "fd", "--store", "nope").err).contains("no state store \"nope\"");

            // started again: every partition restored (from nothing) before processing
            assertThat(d.run("agents", "start", "fd").code).isZero();
            Await.until(Duration.ofSeconds(60), () -> {
                JsonNode rows = rows(d, "fd");
                return rows != null && rows.size() == 3 && rows.findValuesAsText("status").stream().allMatch("active"::equals);
            }, () -> "active again: " + rows(d, "fd"));
            assertThat(d.log()).doesNotContain("Exception");

            Path stateDir = home.resolve("state").resolve("fd");
            assertThat(stateDir).isDirectory();
            assertThat(d.run("agents", "remove", "fd").code).isZero();
            Await.until(Duration.ofSeconds(20), () -> !Files.exists(stateDir), "the removed agent's state is deleted");
            assertThat(d.run("state", "show", "fd").err).contains("unknown agent");
        }
    }

    @Test
    void standbyCopiesShowAsStandbyRows() throws Exception {
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"topics\":[{\"name\":\"tx\",\"partitions\":2,\"ratePerSec\":200}],\"agents\":["
                + "{\"name\":\"fd\",\"builtin\":\"fraud-detector\",\"topic\":\"tx\",\"concurrency\":2,"
                + "\"state\":{\"backend\":\"memory\",\"standbys\":1}}]}");
        try (Daemon d = new Daemon(tmp.resolve("home"))) {
            assertThat(d.run("agents", "deploy", spec.toString()).code).isZero();
            assertThat(d.run("agents", "start", "--all").code).isZero();
            // each partition: an active row of its owner and a standby row of the other instance, with the copy's entries
            Await.until(Duration.ofSeconds(60), () -> {
                JsonNode rows = rows(d, "fd");
                if (rows == null || rows.size() != 4) return false;
                for (int p = 0; p < 2; p++) {
                    String active = null;
                    String standby = null;
                    for (JsonNode r : rows) {
                        if (r.path("partition").asInt() != p) continue;
                        if (r.path("status").asText().equals("active")) active = r.path("owner").asText();
                        if (r.path("status").asText().equals("standby") && r.path("entries").asLong() > 0) standby = r.path("owner").asText();
                    }
                    if (active == null || standby == null || active.equals(standby)) return false;
                }
                return true;
            }, () -> "an active and a warm standby row per partition: " + rows(d, "fd"));
            assertThat(d.run("state", "show").out).contains("standby");
            assertThat(d.log()).doesNotContain("Exception");
        }
    }

    private static JsonNode rows(Daemon d, String agent) {
        try {
            Daemon.Result r = agent == null ? d.run("state", "show", "--json") : d.run("state", "show", agent, "--json");
            return r.code == 0 ? JSON.readTree(r.out) : null;
        } catch (Exception e) {
            return null;
        }
    }
}
