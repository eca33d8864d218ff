package io.sabot.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a run that went through errors, every file in the home is its owner's only, including
 * what libraries and the JVM create there: the packaged jar as users run it (so built-in agents
 * write their class-data archive into the home), a spec refused, an agent crashing until it
 * FAILED, a backup, a database damaged and restored (moved-aside file, restored backup), the
 * console's preferences. Runs after {@code package} (failsafe), with {@code target/sabot.jar}.
 */
class HomePermissionsIT {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    static List<String> loose(Path home) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> all = Files.walk(home)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                if (perms.stream().anyMatch(x -> !x.name().startsWith("OWNER"))) out.add(home.relativize(p) + " " + PosixFilePermissions.toString(perms));
            }
        }
        return out;
    }

    private static String state(Daemon d, String id) {
        try {
            for (JsonNode s : JSON.readTree(d.run("agents", "status", "--json").out)) {
                if (!s.path("pid").isNull()) d.remember(s.path("pid").asLong());
                if (s.path("id").asText().equals(id)) return s.path("state").asText();
            }
        } catch (Exception e) {
            return null;
        }
        return null;
    }

    @Test
    void everyFileInTheHomeIsOwnerOnlyAfterARunWithErrors() throws Exception {
        Path jar = Path.of(System.getProperty("sabot.jar", "target/sabot.jar"));
        Assumptions.assumeTrue(Files.isRegularFile(jar), "skipped: no packaged jar at " + jar + " (run mvn verify)");
        Path home = tmp.resolve("home");
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"agents\":[{\"name\":\"Bad Name\",\"command\":[]}]}");
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"topics\":[{\"name\":\"tx\",\"partitions\":4}],\"agents\":["
                + "{\"name\":\"fd\",\"builtin\":\"fraud-detector\",\"topic\":\"tx\"},"
                + "{\"name\":\"crash\",\"command\":[\"sh\",\"-c\",\"echo boom >&2; exit 3\"],"
                + "\"restart\":{\"maxRestarts\":2,\"withinSeconds\":60,\"backoff\":{\"initialMs\":10,\"maxMs\":20}}},"
                + "{\"name\":\"s\",\"command\":[\"sleep\",\"100000\"]}]}");
        Map<String, String> env = Map.of("SABOT_BACKUP_EVERY", "0");
        try (Daemon d = new Daemon(home, tmp.resolve("d1.log"), env, List.of("-jar", jar.toString()))) {
            assertThat(d.run("agents", "deploy", bad.toString()).code).isEqualTo(2);
            assertThat(d.run("agents", "deploy", spec.toString()).code).isZero();
            d.run("agents", "start", "--all");
            Await.until(Duration.ofSeconds(60), () -> "RUNNING".equals(state(d, "fd-0")), "the built-in agent running");
            Await.until(Duration.ofSeconds(30), () -> "FAILED".equals(state(d, "crash-0")), "the crashing agent FAILED");
            assertThat(d.run("agents", "stop", "fd").code).isZero(); // its JVM writes the class-data archive as it exits
            assertThat(d.run("agents", "start", "fd").code).isZero();
            state(d, "fd-0");
            assertThat(d.run("store", "backup").code).isZero();
            io.sabot.ui.ConsolePrefs.DEFAULT.save(home.resolve("console.json")); // what the console does on close
        }
        // the database damaged while the engine is down, restored at the next start
        try (RandomAccessFile f = new RandomAccessFile(home.resolve("sabot.mv.db").toFile(), "rw")) {
            f.write(new byte[8192]);
        }
        try (Daemon d2 = new Daemon(home, tmp.resolve("d2.log"), env, List.of("-jar", jar.toString()))) {
            Await.until(Duration.ofSeconds(60), () -> "RUNNING".equals(state(d2, "s-0")), "the fleet back");
            assertThat(d2.logText()).contains("moved aside to");
        }
        try (Stream<Path> all = Files.walk(home)) {
            List<String> names = all.map(p -> home.relativize(p).toString()).toList();
            assertThat(names).as("the run made what it was meant to").anyMatch(n -> n.startsWith("cds/"))
                    .anyMatch(n -> n.startsWith("backups/sabot-")).anyMatch(n -> n.startsWith("sabot.mv.db.damaged-"))
                    .contains("console.json", "sabot.snapshot.json", "logs/crash-0.log");
        }
        assertThat(loose(home)).as("files and folders others could read or write under the home").isEmpty();
    }
}
