package io.sabot.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.control.RemoteEngine;
import io.sabot.engine.StoreHealth;
import io.sabot.host.Homes;
import io.sabot.store.DesiredStateRecord;
import io.sabot.store.Store;
import io.sabot.store.TransitionRecord;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import io.sabot.testing.NoJavaNames;
import io.sabot.testing.Procs;
import io.sabot.testing.SmallDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The home on a real 40 MB file system that fills up while a real daemon supervises real agents:
 * the engine keeps answering and supervising, every reply of an operation that needed durability
 * says it was not recorded durably and why, nothing is reverted by a restart while the disk is
 * still full, and recording resumes by itself once space returns, with everything acknowledged
 * in the database. No output holds a Java exception name.
 */
class FullDiskTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    private static JsonNode statusJson(Daemon d) throws Exception {
        Daemon.Result r = d.run("agents", "status", "--json");
        assertThat(r.code).as(r.toString()).isZero();
        return JSON.readTree(r.out);
    }

    private static String state(Daemon d, String id) throws Exception {
        for (JsonNode s : statusJson(d)) if (s.path("id").asText().equals(id)) return s.path("state").asText();
        return null;
    }

    private static Long pid(Daemon d, String id) throws Exception {
        for (JsonNode s : statusJson(d)) if (s.path("id").asText().equals(id) && !s.path("pid").isNull()) return s.path("pid").asLong();
        return null;
    }

    private static StoreHealth health(Path home) {
        try (RemoteEngine e = new RemoteEngine(Homes.socket(home))) {
            return e.info().store();
        }
    }

    private static Daemon daemon(Path home, Path log) throws Exception {
        return new Daemon(home, log, Map.of("SABOT_BACKUP_EVERY", "0"), List.of());
    }

    @Test
    void fullDiskHoldsRecordsKeepsSupervisingAndResumesWithoutRestart() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), 40)) {
            Path home = disk.dir.resolve("home");
            Path spec = tmp.resolve("spec.json");
            Files.writeString(spec, "{\"agents\":[{\"name\":\"keep\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":2},"
                    + "{\"name\":\"victim\",\"command\":[\"sleep\",\"100000\"]}]}");
            List<String> outputs = new ArrayList<>();
            try (Daemon d = daemon(home, tmp.resolve("daemon.log"))) {
                assertThat(d.run("agents", "deploy", spec.toString()).code).isZero();
                assertThat(d.run("agents", "start", "--all").code).isZero();
                for (JsonNode s : statusJson(d)) d.remember(s.path("pid").asLong());

                long filled = disk.fill();
                assertThat(disk.usable()).as("the disk is full").isLessThan(64 * 1024);

                // an operation that needs durability: done, and the reply says it is not recorded durably
                Daemon.Result stop = d.run("agents", "stop", "victim");
                outputs.add(stop.toString());
                assertThat(stop.code).as(stop.toString()).isZero();
                assertThat(stop.err).contains("not recorded durably: the disk holding " + home + " is full");
                assertThat(state(d, "victim-0")).isEqualTo("STOPPED");
                Await.until(Duration.ofSeconds(10), () -> !health(home).ok(), "the store reports it is failing");
                StoreHealth failing = health(home);
                assertThat(failing.message()).contains("the disk holding " + home + " is full").contains("held in memory");
                assertThat(failing.stateSafe()).as("the snapshot file holds the stop").isTrue();

                // the engine keeps supervising: a killed agent comes back while the disk is full
                long before = pid(d, "keep-0");
                Procs.sigkill(before);
                Await.until(Duration.ofSeconds(20), () -> {
                    try {
                        Long now = pid(d, "keep-0");
                        if (now != null) d.remember(now);
                        return now != null && now != before && "RUNNING".equals(state(d, "keep-0"));
                    } catch (Exception e) {
                        return false;
                    }
                }, "keep-0 restarted while the disk is full");
                Daemon.Result status = d.run("agents", "status");
                outputs.add(status.toString());
                assertThat(status.err).contains("store: not recording since");
                Daemon.Result check = d.run("store", "check");
                outputs.add(check.toString());
                assertThat(check.code).as(check.toString()).isEqualTo(1);
                assertThat(check.out).contains("not recording: the disk holding " + home + " is full");

                // space returns: recording resumes by itself, without a restart
                disk.free();
                long t0 = System.nanoTime();
                Await.until(Duration.ofSeconds(30), () -> health(home).ok(), "recording resumed");
                long resumedMs = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("FullDiskTest: filled %d bytes; recording resumed %d ms after the space returned%n", filled, resumedMs);
                StoreHealth ok = health(home);
                assertThat(ok.notices()).anyMatch(n -> n.startsWith("recording resumed after") && n.contains("nothing held was lost"));
                Daemon.Result again = d.run("agents", "stop", "keep-1");
                outputs.add(again.toString());
                assertThat(again.err).doesNotContain("not recorded durably");
            }
            // nothing acknowledged was lost: the database holds the stop, the crash and the restart
            try (Store store = Store.open(home)) {
                DesiredStateRecord victim = store.desiredStates().all().stream().filter(x -> x.agent().equals("victim")).findFirst().orElseThrow();
                assertThat(victim.running()).isFalse();
                List<TransitionRecord> ts = store.transitions().byInstance("keep-0", 100);
                assertThat(ts).as("the crash and the restart during the full disk were recorded afterwards: %s", ts)
                        .anyMatch(t -> "crash".equals(t.cause()) || "SIGKILL".equals(t.signal()));
                assertThat(ts.stream().filter(t -> t.to().equals("RUNNING")).count()).isGreaterThanOrEqualTo(2);
                assertThat(store.transitions().byInstance("victim-0", 100)).anyMatch(t -> t.to().equals("STOPPED"));
            }
            for (String o : outputs) NoJavaNames.check("CLI output", o);
            NoJavaNames.check("daemon log", Files.readString(tmp.resolve("daemon.log")));
        }
    }

    @Test
    void aRestartWhileTheDiskIsStillFullRevertsNothing() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), 40)) {
            Path home = disk.dir.resolve("home");
            Path spec = tmp.resolve("spec.json");
            Files.writeString(spec, "{\"agents\":[{\"name\":\"keep\",\"command\":[\"sleep\",\"100000\"]},"
                    + "{\"name\":\"flood\",\"command\":[\"sleep\",\"100000\"]},{\"name\":\"gone\",\"command\":[\"sleep\",\"100000\"]}]}");
            List<Long> pids = new ArrayList<>();
            Daemon d1 = daemon(home, tmp.resolve("daemon1.log"));
            try {
                assertThat(d1.run("agents", "deploy", spec.toString()).code).isZero();
                assertThat(d1.run("agents", "start", "--all").code).isZero();
                for (JsonNode s : statusJson(d1)) pids.add(s.path("pid").asLong());
                disk.fill();
                Daemon.Result stop = d1.run("agents", "stop", "flood");
                Daemon.Result remove = d1.run("agents", "remove", "gone");
                assertThat(stop.code).isZero();
                assertThat(remove.code).isZero();
                assertThat(stop.err + remove.err).contains("not recorded durably: the disk holding " + home + " is full")
                        .contains("safe in the snapshot file");
                d1.process.destroyForcibly(); // kill -9 while the disk is still full
                d1.process.waitFor();
            } finally {
                d1.close();
            }
            Await.until(Duration.ofSeconds(5), () -> pids.stream().noneMatch(Procs::alive), "the watchdog ended the agents");
            // a new engine on the still-full disk: the stop and the removal hold
            try (Daemon d2 = daemon(home, tmp.resolve("daemon2.log"))) {
                Await.until(Duration.ofSeconds(20), () -> {
                    try {
                        return "RUNNING".equals(state(d2, "keep-0"));
                    } catch (Exception e) {
                        return false;
                    }
                }, "keep running again");
                for (JsonNode s : statusJson(d2)) if (!s.path("pid").isNull()) d2.remember(s.path("pid").asLong());
                assertThat(state(d2, "flood-0")).as("the stop is not reverted").isEqualTo("STOPPED");
                assertThat(state(d2, "gone-0")).as("the removal is not reverted").isNull();
                assertThat(d2.logText()).contains("were taken from the snapshot").contains("agents removed since: gone");
                disk.free();
                Await.until(Duration.ofSeconds(30), () -> health(home).ok(), "recording resumed");
            }
            try (Store store = Store.open(home)) {
                assertThat(store.specs().all()).extracting(s -> s.name()).containsExactlyInAnyOrder("keep", "flood");
                assertThat(store.desiredStates().all()).anyMatch(x -> x.agent().equals("flood") && !x.running());
            }
            NoJavaNames.check("daemon log", Files.readString(tmp.resolve("daemon1.log")) + Files.readString(tmp.resolve("daemon2.log")));
        }
    }
}
