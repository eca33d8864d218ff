package io.sabot.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import io.sabot.testing.Procs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real daemon in the middle of `sabot agents restart --all`, over and over: no
 * agent outlives it by more than 2 s, a new daemon on the same home opens the store cleanly and
 * brings back exactly the fleet that should run (desired agents RUNNING, one process per
 * instance), and in the end the consumers' audit trail has no offset gap.
 *
 * <p>Short (3 rounds) in the suite; long: {@code mvn -B -Pbench test -Dtest=EngineCrashTest -Dsabot.crash.rounds=25}.
 */
class EngineCrashTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    @Test
    void killNineDuringRestartAll() throws Exception {
        rounds(3);
    }

    @Test
    @Tag("bench")
    void killNineDuringRestartAllManyTimes() throws Exception {
        rounds(Integer.getInteger("sabot.crash.rounds", 20));
    }

    /**
     * Deterministic check of the watchdog's token sweep: a process the watchdog was never told
     * about (here an agent's child that left the agent's process group with setsid, as daemons
     * do; in the race it is an agent spawned the instant before the engine died) still ends
     * when the engine is killed.
     */
    @Test
    void anAgentChildThatLeftItsProcessGroupDoesNotOutliveAKilledEngine() throws Exception {
        Path home = tmp.resolve("home2");
        Path spec = tmp.resolve("escape.json");
        Files.writeString(spec, "{\"agents\":[{\"name\":\"esc\",\"command\":[\"sh\",\"-c\",\"setsid sleep 100000 & exec sleep 100000\"]}]}");
        Daemon d = new Daemon(home);
        List<Long> procs = new ArrayList<>();
        try {
            assertThat(d.run("agents", "deploy", spec.toString()).code).isZero();
            assertThat(d.run("agents", "start", "esc").code).isZero();
            Await.until(Duration.ofSeconds(5), () -> ProcFacts.agentProcessesOf(home).size() == 2, "agent and its escaped child");
            procs.addAll(ProcFacts.agentProcessesOf(home));
            long agentPid = JSON.readTree(d.run("agents", "status", "--json").out).get(0).path("pid").asLong();
            long escaped = procs.stream().filter(p -> p != agentPid).findFirst().orElseThrow();
            assertThat(ProcFacts.describe(escaped)).as("the child has a group of its own").contains("pgid " + escaped);
            d.process.destroyForcibly();
            d.process.waitFor();
            Await.until(Duration.ofSeconds(2), () -> procs.stream().noneMatch(Procs::alive),
                    () -> "still alive after kill -9 of the engine: " + procs.stream().filter(Procs::alive).map(ProcFacts::describe).toList());
        } finally {
            for (long p : procs) d.remember(p);
            d.close();
        }
    }

    void rounds(int n) throws Exception {
        Path home = tmp.resolve("home");
        Path audit = Files.createDirectories(tmp.resolve("audit"));
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"topics\":[{\"name\":\"tx\",\"partitions\":6,\"ratePerSec\":100}],\"agents\":["
                + "{\"name\":\"w\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":3,\"stopGraceMs\":2000},"
                + "{\"name\":\"fd\",\"builtin\":\"fraud-detector\",\"topic\":\"tx\",\"concurrency\":2,\"startTimeoutMs\":30000,"
                + "\"env\":{\"SABOT_AUDIT_DIR\":\"" + audit + "\",\"SABOT_HEARTBEAT_MS\":\"200\",\"SABOT_LINGER_MS\":\"50\"}},"
                + "{\"name\":\"idle\",\"command\":[\"sleep\",\"100000\"]}]}");
        long seed = Long.getLong("sabot.crash.seed", System.nanoTime());
        Random rnd = new Random(seed);
        Set<Long> everySeen = ConcurrentHashMap.newKeySet();
        List<Long> survivorsMs = new ArrayList<>(), recoverMs = new ArrayList<>(), watchdogMs = new ArrayList<>();
        Map<String, Integer> restartOutcomes = new TreeMap<>();
        Daemon d = new Daemon(home);
        try {
            Daemon.Result r = d.run("agents", "deploy", spec.toString());
            assertThat(r.code).as(r.toString()).isZero();
            r = d.run("agents", "start", "w", "fd");
            assertThat(r.code).as(r.toString()).isZero();
            awaitFleet(d, everySeen);
            for (int round = 1; round <= n; round++) {
                assertThat(d.run("agents", "stop", "idle").code).isZero(); // so the restart --all has a stopped instance to start
                // learn every agent pid, including the ones spawned by the restart right before the kill
                Set<Long> pids = ConcurrentHashMap.newKeySet();
                AtomicBoolean watching = new AtomicBoolean(true);
                Daemon dd = d;
                Thread watcher = new Thread(() -> {
                    while (watching.get()) {
                        dd.process.descendants().forEach(h -> pids.add(h.pid()));
                        pids.addAll(ProcFacts.agentProcessesOf(home));
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "pid-watcher");
                watcher.setDaemon(true);
                watcher.start();
                AtomicReference<Daemon.Result> restart = new AtomicReference<>();
                Thread restarter = new Thread(() -> restart.set(dd.run("agents", "restart", "--all")), "restart-all");
                restarter.start();
                // kill while the restart is under way: once some instance has left RUNNING, after a random moment more
                Await.until(Duration.ofSeconds(10), () -> midRestart(dd) || restart.get() != null, "restart under way");
                Thread.sleep(rnd.nextInt(200)); // chaos: a random point of the restart
                d.process.destroyForcibly(); // kill -9
                d.process.waitFor();
                long killedAt = System.nanoTime();
                watching.set(false);
                watcher.join();
                everySeen.addAll(pids);
                // no agent survives the engine by more than 2 s (the watchdog: SIGTERM, SIGKILL a second later)
                Set<Long> watchdogs = new HashSet<>();
                for (long p : pids) if (ProcFacts.isWatchdog(p)) watchdogs.add(p);
                pids.removeAll(watchdogs);
                Await.until(Duration.ofSeconds(2), () -> pids.stream().noneMatch(Procs::alive) && ProcFacts.agentProcessesOf(home).isEmpty(),
                        () -> "agents still alive 2 s after kill -9: " + pids.stream().filter(Procs::alive).map(ProcFacts::describe).toList()
                                + " with this home: " + ProcFacts.agentProcessesOf(home).stream().map(ProcFacts::describe).toList());
                survivorsMs.add((System.nanoTime() - killedAt) / 1_000_000);
                // and the watchdog, its work done, ends too
                Await.until(Duration.ofSeconds(10), () -> watchdogs.stream().noneMatch(Procs::alive),
                        () -> "watchdog still alive: " + watchdogs.stream().map(ProcFacts::describe).toList());
                watchdogMs.add((System.nanoTime() - killedAt) / 1_000_000);
                restarter.join(Duration.ofSeconds(15).toMillis());
                assertThat(restarter.isAlive()).as("the CLI's restart returned after its engine died").isFalse();
                Daemon.Result rr = restart.get();
                assertThat(rr.code).as("restart --all: done (0), or the engine went away (3): %s", rr).isIn(0, 3);
                restartOutcomes.merge("exit " + rr.code, 1, Integer::sum);
                d.close();

                // a new daemon on the same home: opens cleanly, restores the fleet, no duplicates
                long t0 = System.nanoTime();
                d = new Daemon(home);
                awaitFleet(d, everySeen);
                recoverMs.add((System.nanoTime() - t0) / 1_000_000);
                String log = Files.readString(home.resolveSibling(home.getFileName() + "-daemon.log"));
                assertThat(log).as("daemon output after round %d", round).doesNotContain("Exception").doesNotContain("corrupt")
                        .doesNotContain("unreadable").doesNotContain("no longer deploy").doesNotContain("could not");
            }
            // finally drain, and check the consumers' audit: no offset gap across all those crashes
            r = d.run("agents", "stop", "--all");
            assertThat(r.code).as(r.toString()).isZero();
            long gaps = 0, committed = 0;
            for (JsonNode p : JSON.readTree(d.run("partitions", "show", "--json").out)) {
                TreeMap<Long, Long> ranges = new TreeMap<>();
                Path f = audit.resolve("tx-" + p.path("partition").asInt() + ".log");
                // no file: no batch of this partition was ever processed; then nothing may be committed either
                for (String line : Files.exists(f) ? Files.readAllLines(f) : List.<String>of()) {
                    String[] x = line.split(" ");
                    ranges.merge(Long.parseLong(x[2]), Long.parseLong(x[3]), Math::max);
                }
                long covered = 0;
                for (Map.Entry<Long, Long> e : ranges.entrySet()) {
                    if (e.getKey() > covered) gaps++;
                    covered = Math.max(covered, e.getValue());
                }
                assertThat(covered).isGreaterThanOrEqualTo(p.path("committedOffset").asLong());
                committed += p.path("committedOffset").asLong();
            }
            Collections.sort(survivorsMs);
            Collections.sort(watchdogMs);
            Collections.sort(recoverMs);
            System.out.printf("CRASH-RESULT rounds=%d seed=%d restartOutcomes=%s agentsGoneAfterKillMs(p50/max)=%d/%d watchdogGoneMs(p50/max)=%d/%d newDaemonFleetBackMs(p50/max)=%d/%d "
                            + "pidsSeen=%d gaps=%d recordsCommitted=%d load=%s%n",
                    n, seed, restartOutcomes, survivorsMs.get(survivorsMs.size() / 2), survivorsMs.get(survivorsMs.size() - 1),
                    watchdogMs.get(watchdogMs.size() / 2), watchdogMs.get(watchdogMs.size() - 1),
                    recoverMs.get(recoverMs.size() / 2), recoverMs.get(recoverMs.size() - 1), everySeen.size(), gaps, committed, ProcFacts.loadAverage());
            assertThat(gaps).as("offset gaps").isZero();
        } finally {
            for (long p : everySeen) d.remember(p);
            d.close();
        }
    }

    static boolean midRestart(Daemon d) {
        Daemon.Result r = d.run("agents", "status", "--json");
        if (r.code != 0) return false;
        try {
            for (JsonNode s : JSON.readTree(r.out)) {
                String st = s.path("state").asText();
                if (!s.path("id").asText().startsWith("idle") && !st.equals("RUNNING")) return true;
            }
        } catch (Exception e) {
            return false;
        }
        return false;
    }

    /**
     * Desired agents RUNNING (w x3, fd x2); idle STOPPED, or RUNNING if the restart --all reached
     * it before the kill (a restart starts a stopped instance); exactly one live process per
     * running instance and none other with this home.
     */
    static void awaitFleet(Daemon d, Set<Long> everySeen) {
        Await.until(Duration.ofSeconds(60), () -> {
            Daemon.Result r = d.run("agents", "status", "--json");
            if (r.code != 0) return false;
            try {
                Map<String, String> states = new HashMap<>();
                Set<Long> pids = new HashSet<>();
                for (JsonNode s : JSON.readTree(r.out)) {
                    states.put(s.path("id").asText(), s.path("state").asText());
                    if (!s.path("pid").isNull()) pids.add(s.path("pid").asLong());
                }
                boolean idleRunning = "RUNNING".equals(states.get("idle-0"));
                boolean ok = states.size() == 6 && (idleRunning || "STOPPED".equals(states.get("idle-0")))
                        && List.of("w-0", "w-1", "w-2", "fd-0", "fd-1").stream().allMatch(i -> "RUNNING".equals(states.get(i)));
                if (!ok) return false;
                everySeen.addAll(pids);
                // no duplicates: the processes of this home are exactly the running instances' processes
                return new HashSet<>(ProcFacts.agentProcessesOf(d.home)).equals(pids) && pids.size() == (idleRunning ? 6 : 5);
            } catch (Exception e) {
                return false;
            }
        }, () -> "fleet restored on " + d.home + ": " + d.run("agents", "status").out + " processes " + ProcFacts.agentProcessesOf(d.home));
    }
}
