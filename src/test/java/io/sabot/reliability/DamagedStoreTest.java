package io.sabot.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import io.sabot.testing.NoJavaNames;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real daemon whose database file is damaged in the middle, or truncated, while it is down:
 * the next daemon moves it aside with a notice that names what was restored and what was lost,
 * and the fleet comes back as the user left it (the snapshot holds changes made after the last
 * backup). Then {@code sabot store check} reports a sound store.
 */
class DamagedStoreTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    private static Map<String, String> states(Daemon d) {
        Map<String, String> out = new HashMap<>();
        Daemon.Result r = d.run("agents", "status", "--json");
        if (r.code != 0) return out;
        try {
            for (JsonNode s : JSON.readTree(r.out)) {
                out.put(s.path("id").asText(), s.path("state").asText());
                if (!s.path("pid").isNull()) d.remember(s.path("pid").asLong());
            }
        } catch (Exception e) {
            return out;
        }
        return out;
    }

    /** Deploys a, b and c, backs up, then stops b and removes c (after the backup), and stops the daemon. */
    private Path fleet(Path home, String how) throws Exception {
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"agents\":[{\"name\":\"a\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":2},"
                + "{\"name\":\"b\",\"command\":[\"sleep\",\"100000\"]},{\"name\":\"c\",\"command\":[\"sleep\",\"100000\"]}]}");
        Daemon d = new Daemon(home, tmp.resolve("daemon1.log"), Map.of("SABOT_BACKUP_EVERY", "0"), List.of());
        List<Long> pids = new ArrayList<>();
        try {
            assertThat(d.run("agents", "deploy", spec.toString()).code).isZero();
            assertThat(d.run("agents", "start", "--all").code).isZero();
            for (int i = 0; i < 5; i++) assertThat(d.run("agents", "restart", "a").code).isZero(); // some history
            Daemon.Result backup = d.run("store", "backup");
            assertThat(backup.code).as(backup.toString()).isZero();
            assertThat(backup.out).contains("backup " + home.resolve("backups"));
            assertThat(d.run("agents", "stop", "b").code).isZero();
            assertThat(d.run("agents", "remove", "c").code).isZero();
            states(d);
            Await.until(Duration.ofSeconds(5), () -> states(d).get("a-1") != null, "status");
            if (how.equals("kill")) {
                d.process.destroyForcibly();
                d.process.waitFor();
            }
        } finally {
            d.close();
        }
        return spec;
    }

    private Daemon restartAndExpectTheFleet(Path home, String logName) throws Exception {
        Daemon d2 = new Daemon(home, tmp.resolve(logName), Map.of("SABOT_BACKUP_EVERY", "0"), List.of());
        Await.until(Duration.ofSeconds(30), () -> {
            Map<String, String> s = states(d2);
            return "RUNNING".equals(s.get("a-0")) && "RUNNING".equals(s.get("a-1"));
        }, () -> "a running again: " + states(d2) + "\n" + d2.logText());
        Map<String, String> s = states(d2);
        assertThat(s).as("b stays stopped, c stays removed").containsEntry("b-0", "STOPPED").doesNotContainKey("c-0");
        return d2;
    }

    @Test
    void aDatabaseDamagedInTheMiddleDoesNotKeepTheFleetDown() throws Exception {
        Path home = tmp.resolve("home");
        fleet(home, "kill");
        Path db = home.resolve("sabot.mv.db");
        long size = Files.size(db);
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            byte[] junk = new byte[(int) Math.max(4096, size / 3)];
            for (int i = 0; i < junk.length; i++) junk[i] = (byte) (i * 13 + 5);
            f.seek(size / 3);
            f.write(junk);
        }
        try (Daemon d2 = restartAndExpectTheFleet(home, "daemon2.log")) {
            expectNoticeAndASoundStore(d2, db);
        }
    }

    /**
     * H2 either refuses the file (then it is moved aside and the backup restored) or falls back to
     * an older consistent version of it (then the snapshot gives back what it lost): the notice
     * names which, and {@code store check}, a full scan, ends up passing (a damaged page it still
     * finds is repaired online, named in a notice too).
     */
    private static void expectNoticeAndASoundStore(Daemon d2, Path db) {
        Await.until(Duration.ofSeconds(60), () -> d2.run("store", "check").code == 0, () -> "a sound store: " + d2.run("store", "check"));
        String log = d2.logText();
        assertThat(log).as(log).containsAnyOf("sabot: store: the database " + db, "sabot: store: the database file " + db).contains("snapshot of")
                .containsAnyOf("moved aside to " + db + ".damaged-", "had lost its latest writes");
        assertThat(log).containsAnyOf("could not be recovered", "history recorded after");
        Daemon.Result check = d2.run("store", "check");
        assertThat(check.out).contains("notice").contains("snapshot of");
        NoJavaNames.check("daemon log", log);
        NoJavaNames.check("store check", check.toString());
    }

    @Test
    void aTruncatedDatabaseDoesNotKeepTheFleetDown() throws Exception {
        Path home = tmp.resolve("home");
        fleet(home, "stop");
        Path db = home.resolve("sabot.mv.db");
        try (FileChannel ch = FileChannel.open(db, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(db) / 4);
        }
        try (Daemon d2 = restartAndExpectTheFleet(home, "daemon2.log")) {
            expectNoticeAndASoundStore(d2, db);
        }
    }
}
