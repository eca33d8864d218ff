package io.sabot.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.Selection;
import io.sabot.engine.Subscription;
import io.sabot.spec.SpecException;
import io.sabot.spec.SpecParser;
import io.sabot.testing.Await;
import io.sabot.testing.EngineFixture;
import io.sabot.testing.Specs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's {@code logs} settings with a real process: its log rotates at write time many times,
 * rotated files are compressed and only {@code keep} of them stay, and a follower
 * ({@code logs --follow}) sees every line, in order, across all the rotations.
 */
class LogRotationTest {
    @TempDir
    Path home;

    static final int LINES = 20_000;

    @Test
    void aFollowerSeesEveryLineAcrossRotationsAndRotatedFilesAreCompressed() throws Exception {
        // 500 numbered lines (~40 bytes each) every 100 ms: ~200 KB/s through a 20 KB cap, ~40 rotations
        String script = "b=0; while [ $b -lt " + (LINES / 500) + " ]; do seq $((b*500+1)) $((b*500+500)) | sed 's/^/line-of-the-rotation-test /'; b=$((b+1)); sleep 0.1; done; sleep 100000";
        String agent = "{\"name\":\"rot\",\"command\":[\"sh\",\"-c\",\"" + script + "\"],\"stopGraceMs\":2000,"
                + "\"logs\":{\"maxFileMb\":0.02,\"keep\":2,\"compress\":true}}";
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.deploy(Specs.parse(Specs.fleet(agent), home));
            List<String> seen = new ArrayList<>();
            Subscription follow = f.engine.followLogs("rot-0", l -> {
                synchronized (seen) { seen.add(l); }
            });
            try {
                assertThat(f.engine.start(Selection.of("rot"), null, 10_000L)).allMatch(r -> r.success());
                f.status();
                Await.until(Duration.ofSeconds(120), () -> lastNumber(seen) == LINES, () -> "follower at line " + lastNumber(seen) + " of " + LINES);
            } finally {
                follow.close();
            }
            List<Integer> numbers = new ArrayList<>();
            synchronized (seen) {
                for (String l : seen) if (l.startsWith("line-of-the-rotation-test ")) numbers.add(Integer.parseInt(l.substring(26)));
            }
            assertThat(numbers).as("every line once, in order").hasSize(LINES);
            for (int i = 0; i < LINES; i++) {
                if (numbers.get(i) != i + 1) throw new AssertionError("line " + (i + 1) + " expected at position " + i + ", got " + numbers.get(i));
            }
            Path logs = home.resolve("logs");
            Await.until(Duration.ofSeconds(30), () -> names(logs).equals(List.of("rot-0.log", "rot-0.log.1.gz", "rot-0.log.2.gz")),
                    () -> "two compressed generations beside the current file: " + names(logs));
            assertThat(Files.size(logs.resolve("rot-0.log"))).isLessThanOrEqualTo(20 * 1024 + 1);
            // the rotated files hold the lines just before the current file's, without a gap
            List<String> kept = new ArrayList<>(gunzip(logs.resolve("rot-0.log.2.gz")));
            kept.addAll(gunzip(logs.resolve("rot-0.log.1.gz")));
            kept.addAll(Files.readAllLines(logs.resolve("rot-0.log")));
            kept.removeIf(l -> !l.startsWith("line-of-the-rotation-test "));
            int first = Integer.parseInt(kept.get(0).substring(26));
            for (int i = 0; i < kept.size(); i++) assertThat(Integer.parseInt(kept.get(i).substring(26))).isEqualTo(first + i);
            assertThat(first + kept.size() - 1).isEqualTo(LINES);
            // `agents logs` shows the lines asked for even when the current file holds fewer (20 KB: ~640 lines)
            List<String> last = f.engine.logs("rot-0", 600);
            assertThat(last).hasSize(600);
            assertThat(last.get(599)).isEqualTo("line-of-the-rotation-test " + LINES);
        }
    }

    @Test
    void badLogSettingsNameTheField() {
        String agent = "{\"name\":\"x\",\"command\":[\"true\"],\"logs\":{\"maxFileMb\":0,\"keep\":-1,\"compress\":\"yes\",\"maxAgeHours\":0,\"size\":1}}";
        try {
            SpecParser.parse(Specs.fleet(agent), false, "spec.json", home);
            throw new AssertionError("accepted");
        } catch (SpecException e) {
            assertThat(e.getMessage()).contains("agents[0].logs.maxFileMb: must be >= 0.001, was 0")
                    .contains("agents[0].logs.keep: must be >= 0, was -1")
                    .contains("agents[0].logs.compress: must be true or false")
                    .contains("agents[0].logs.maxAgeHours: must be >= 0.001, was 0")
                    .contains("agents[0].logs")
                    .contains("size")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void logSettingsSurviveTheStoreAndTheControlSocket() throws Exception {
        String agent = "{\"name\":\"x\",\"command\":[\"true\"],\"logs\":{\"maxFileMb\":0.5,\"keep\":7,\"compress\":false,\"maxAgeHours\":24}}";
        io.sabot.spec.FleetSpec spec = Specs.parse(Specs.fleet(agent), home);
        io.sabot.spec.LogSpec want = new io.sabot.spec.LogSpec(0.5, 7, false, 24.0);
        assertThat(spec.agents().get(0).logs()).isEqualTo(want);
        assertThat(spec.agents().get(0).logs().maxFileBytes()).isEqualTo(512 * 1024);
        // the store keeps each agent as its JSON (StoreBridge), the control socket carries the spec as JSON
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        io.sabot.spec.AgentSpec back = json.readValue(json.writeValueAsString(spec.agents().get(0)), io.sabot.spec.AgentSpec.class);
        assertThat(back).isEqualTo(spec.agents().get(0));
        // what `spec show` prints deploys again as it is
        assertThat(SpecParser.fromTree(SpecParser.toTree(spec), "shown", home).agents().get(0).logs()).isEqualTo(want);
        // without "logs": nothing printed, the defaults apply
        io.sabot.spec.FleetSpec plain = Specs.parse(Specs.fleet("{\"name\":\"y\",\"command\":[\"true\"]}"), home);
        assertThat(plain.agents().get(0).logs()).isNull();
        assertThat(SpecParser.toTree(plain).toString()).doesNotContain("logs");
    }

    private static int lastNumber(List<String> seen) {
        synchronized (seen) {
            for (int i = seen.size() - 1; i >= 0; i--) {
                String l = seen.get(i);
                if (l.startsWith("line-of-the-rotation-test ")) return Integer.parseInt(l.substring(26));
            }
        }
        return 0;
    }

    private static List<String> names(Path d) {
        try (var s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (java.io.IOException e) {
            return List.of(e.toString());
        }
    }

    private static List<String> gunzip(Path gz) throws Exception {
        try (var in = new GZIPInputStream(Files.newInputStream(gz))) {
            return new ArrayList<>(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        }
    }
}
