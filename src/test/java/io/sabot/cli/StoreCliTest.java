package io.sabot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.store.DesiredStateRecord;
import io.sabot.store.SpecRecord;
import io.sabot.store.Store;
import io.sabot.testing.Daemon;
import io.sabot.testing.NoJavaNames;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sabot store check | repair | backup}: what they print and their exit codes, with and without an engine. */
class StoreCliTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    private static Daemon.Result store(Path home, String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "store";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--home";
        full[args.length + 2] = home.toString();
        Daemon.Result r = Daemon.cli(full);
        NoJavaNames.check("sabot store " + String.join(" ", args), r.toString());
        return r;
    }

    private static void fleet(Path home) {
        try (Store s = Store.open(home)) {
            s.journal().commitAll(List.of(new SpecRecord("a", "{\"name\":\"a\",\"command\":[\"sleep\",\"1000\"]}", Instant.now()),
                    new DesiredStateRecord("a", false, 1, Instant.now())));
        }
    }

    private static void damageHeader(Path home) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(home.resolve("sabot.mv.db").toFile(), "rw")) {
            f.write(new byte[8192]);
        }
    }

    @Test
    void badUsageIsTwo() {
        Path home = tmp.resolve("home");
        assertThat(Daemon.cli("store", "--home", home.toString()).code).isEqualTo(2);
        assertThat(Daemon.cli("store", "check", "--bogus", "--home", home.toString()).code).isEqualTo(2);
        Daemon.Result missing = store(home, "check");
        assertThat(missing.code).isEqualTo(2);
        assertThat(missing.err).contains("there is no Sabot home at " + home);
        assertThat(Files.exists(home)).as("a check creates nothing").isFalse();
    }

    @Test
    void checkAndRepairWithoutAnEngine() throws Exception {
        Path home = tmp.resolve("home");
        fleet(home);
        Daemon.Result ok = store(home, "check");
        assertThat(ok.code).as(ok.toString()).isZero();
        assertThat(ok.out).contains("database    " + home.resolve("sabot.mv.db")).contains("agents: a").endsWith("ok\n");
        Daemon.Result nothing = store(home, "repair");
        assertThat(nothing.code).as(nothing.toString()).isZero();
        assertThat(nothing.out).contains("nothing to repair");

        damageHeader(home);
        Daemon.Result bad = store(home, "check");
        assertThat(bad.code).as(bad.toString()).isEqualTo(1);
        assertThat(bad.out).contains("the database " + home.resolve("sabot.mv.db") + " cannot be opened");
        Daemon.Result json = store(home, "check", "--json");
        assertThat(json.code).isEqualTo(1);
        JsonNode j = JSON.readTree(json.out);
        assertThat(j.path("ok").asBoolean()).isFalse();
        assertThat(j.path("problems").size()).isPositive();

        Daemon.Result repaired = store(home, "repair");
        assertThat(repaired.code).as(repaired.toString()).isZero();
        assertThat(repaired.out).contains("found: the database").contains("repaired: the database file " + home.resolve("sabot.mv.db"))
                .contains("moved aside to").contains("from the snapshot of").endsWith("ok\n");
        assertThat(store(home, "check").code).isZero();
        try (Store s = Store.open(home)) {
            assertThat(s.specs().all()).extracting(SpecRecord::name).containsExactly("a");
        }
    }

    @Test
    void repairThatCannotBringTheFleetBackIsOne() throws Exception {
        Path home = tmp.resolve("home");
        fleet(home);
        damageHeader(home);
        Files.deleteIfExists(home.resolve("sabot.snapshot.json"));
        Files.deleteIfExists(home.resolve(".sabot.snapshot.slots"));
        Daemon.Result r = store(home, "repair");
        assertThat(r.code).as(r.toString()).isEqualTo(1);
        assertThat(r.out).contains("the fleet's specs could not be recovered");
    }

    @Test
    void withAnEngineRunningCheckAsksItAndRepairRefusesWithThree() throws Exception {
        Path home = tmp.resolve("home");
        try (Daemon d = new Daemon(home)) {
            Daemon.Result check = d.run("store", "check");
            assertThat(check.code).as(check.toString()).isZero();
            assertThat(check.out).contains("checked by the running engine");
            Daemon.Result repair = d.run("store", "repair");
            assertThat(repair.code).as(repair.toString()).isEqualTo(3);
            assertThat(repair.err).contains("in use by another Sabot engine: pid " + d.process.pid()).contains("stop it first");
            Daemon.Result backup = d.run("store", "backup");
            assertThat(backup.code).as(backup.toString()).isZero();
            assertThat(backup.out).startsWith("backup " + home.resolve("backups"));
            JsonNode j = JSON.readTree(d.run("store", "check", "--json").out);
            assertThat(j.path("backups").size()).isEqualTo(1);
            assertThat(j.path("online").asBoolean()).isTrue();
        }
        Daemon.Result noEngine = store(home, "backup");
        assertThat(noEngine.code).isEqualTo(3);
    }
}
