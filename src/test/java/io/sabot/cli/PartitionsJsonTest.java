package io.sabot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract's {@code partitions show --json}: every field of round 1, plus {@code group},
 * {@code cluster} and {@code logEndOffset}; a topic read by two agents has a row per (group,
 * partition).
 */
class PartitionsJsonTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    @Test
    void partitionsShowJsonCarriesTheGroupTheClusterAndTheEndOffset() throws Exception {
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"topics\":[{\"name\":\"tx\",\"partitions\":3}],\"agents\":["
                + "{\"name\":\"fd\",\"builtin\":\"fraud-detector\",\"topic\":\"tx\",\"concurrency\":2},"
                + "{\"name\":\"al\",\"builtin\":\"alerter\",\"topic\":\"tx\",\"consumerGroup\":\"alerts.v1\"}]}");
        try (Daemon d = new Daemon(tmp.resolve("home"))) {
            assertThat(d.run("agents", "deploy", spec.toString()).code).isZero();
            assertThat(d.run("agents", "start", "--all").code).isZero();
            Await.until(Duration.ofSeconds(30), () -> {
                JsonNode rows = rows(d);
                if (rows == null || rows.size() != 6) return false;
                for (JsonNode r : rows) if (r.path("owner").isNull() || r.path("committedOffset").asLong() <= 0) return false;
                return true;
            }, () -> "6 rows, owned and committed: " + rows(d));
            Set<String> groups = new HashSet<>();
            for (JsonNode r : rows(d)) {
                for (String f : List.of("topic", "partition", "owner", "epoch", "committedOffset", "lag", "ratePerSec", "group", "cluster", "logEndOffset")) {
                    assertThat(r.has(f)).as("row has %s: %s", f, r).isTrue();
                }
                assertThat(r.path("cluster").isNull()).isTrue();
                // the owner's host (this engine's: the machine's host name here) and who assigns (this engine)
                assertThat(r.path("host").asText()).as("host of %s", r).isEqualTo(io.sabot.kafka.GroupMembership.localHost());
                assertThat(r.path("coordination").asText()).isEqualTo("sabot");
                assertThat(r.path("logEndOffset").asLong()).isGreaterThanOrEqualTo(r.path("committedOffset").asLong());
                groups.add(r.path("group").asText());
                if (r.path("group").asText().equals("alerts.v1")) assertThat(r.path("owner").asText()).isEqualTo("al-0");
            }
            assertThat(groups).containsExactlyInAnyOrder("fd", "alerts.v1");
        }
    }

    private static JsonNode rows(Daemon d) {
        try {
            Daemon.Result r = d.run("partitions", "show", "--json");
            return r.code == 0 ? JSON.readTree(r.out) : null;
        } catch (Exception e) {
            return null;
        }
    }
}
