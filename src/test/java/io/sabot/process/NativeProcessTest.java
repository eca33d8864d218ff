package io.sabot.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sabot.testing.Await;
import io.sabot.testing.Procs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native process layer with real processes: spawn, reap, pipes, stdin, threads, descriptors. */
class NativeProcessTest {
    @TempDir
    Path dir;

    private final List<AgentProcess> started = new ArrayList<>();
    private ProcessLauncher launcher;

    @BeforeEach
    void nativeOnly() {
        assumeTrue(ProcessLauncher.nativeProblem() == null, () -> "native process layer not available here: " + ProcessLauncher.nativeProblem());
        launcher = new ProcessLauncher(null);
    }

    @AfterEach
    void killAll() {
        for (AgentProcess p : started) {
            if (p.isAlive()) p.signal(Signals.Sig.KILL);
        }
    }

    private AgentProcess spawn(String name, boolean protocol, List<String> protocolLines, String... argv) throws Exception {
        InstanceLog log = new InstanceLog(dir.resolve("logs").resolve(name + ".log"), 10 << 20);
        AgentProcess p = launcher.launch(new LaunchRequest(name, List.of(argv), null, Map.of("SABOT_TEST", "yes"), protocol, log,
                protocolLines == null ? null : protocolLines::add));
        started.add(p);
        return p;
    }

    private String log(String name) throws Exception {
        Path f = dir.resolve("logs").resolve(name + ".log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @Test
    void exitIsReportedOnceWithItsStatus() throws Exception {
        AgentProcess p = spawn("code", false, null, "/bin/sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(p.onExit().get(10, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(p.exitValue()).isEqualTo(3);
        assertThat(p.isAlive()).isFalse();
        Await.until(Duration.ofSeconds(5), () -> {
            try {
                return log("code").contains("out\n") && log("code").contains("err\n");
            } catch (Exception e) {
                return false;
            }
        }, "stdout and stderr lines in the log");

        AgentProcess k = spawn("killed", false, null, "sleep", "100");
        assertThat(k.isAlive()).isTrue();
        k.signal(Signals.Sig.KILL);
        assertThat(k.onExit().get(10, TimeUnit.SECONDS)).isEqualTo(128 + 9);
    }

    @Test
    void aLoneExitIsHandedOverOnTheReaperThread() throws Exception {
        AgentProcess k = spawn("lone", false, null, "sleep", "100");
        java.util.concurrent.CompletableFuture<String> where = new java.util.concurrent.CompletableFuture<>();
        k.onExit().thenRun(() -> where.complete(Thread.currentThread().getName() + " lone=" + LoneExit.now()));
        k.signal(Signals.Sig.KILL);
        assertThat(where.get(10, TimeUnit.SECONDS)).isEqualTo("sabot-reaper lone=true");
        assertThat(LoneExit.now()).isFalse(); // only on the reaper, only while it hands over
    }

    @Test
    void agentLeadsItsOwnSessionAndGroupAndGetsItsEnvironment() throws Exception {
        AgentProcess p = spawn("env", false, null, "/bin/sh", "-c", "echo \"env=$SABOT_TEST\"; exec sleep 100");
        assertThat(p.pgid()).isEqualTo(p.pid());
        Await.until(Duration.ofSeconds(5), () -> ProcStat.pgid(p.pid()) == p.pid(), "the agent is its own group leader");
        String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        assertThat(Long.parseLong(f[3])).as("session id").isEqualTo(p.pid());
        Await.until(Duration.ofSeconds(5), () -> {
            try {
                return log("env").contains("env=yes");
            } catch (Exception e) {
                return false;
            }
        }, "the environment variable reached the agent");
        assertThat(p.startTicks()).isEqualTo(ProcStat.startTicks(p.pid()));
    }

    @Test
    void agentsInheritNoDescriptorOfTheEngine() throws Exception {
        // /proc/self/fd as the agent sees it: 0, 1, 2 and the descriptor ls opened to list it
        AgentProcess p = spawn("fds", false, null, "/bin/sh", "-c", "exec ls /proc/self/fd");
        p.onExit().get(10, TimeUnit.SECONDS);
        Await.until(Duration.ofSeconds(5), () -> {
            try {
                return log("fds").split("\n").length >= 3;
            } catch (Exception e) {
                return false;
            }
        }, "ls output");
        List<String> fds = List.of(log("fds").trim().split("\n"));
        assertThat(fds).contains("0", "1", "2").hasSizeLessThanOrEqualTo(4);
    }

    @Test
    void protocolLinesAreSplitFromLogLinesAndLongLinesAreCut() throws Exception {
        List<String> proto = new CopyOnWriteArrayList<>();
        String longLine = "x".repeat(OutputLoop.MAX_LINE + 5000);
        Path script = dir.resolve("talk.sh");
        Files.writeString(script, "echo 'hello'\n"
                + "echo '@sabot {\"type\":\"ready\"}'\n"
                + "printf '%s\\n' '" + longLine + "'\n"
                + "echo '@sabot {\"type\":\"heartbeat\"}'\n"
                + "printf 'no newline at the end'\n");
        AgentProcess p = spawn("talk", true, proto, "/bin/sh", script.toString());
        assertThat(p.onExit().get(10, TimeUnit.SECONDS)).isEqualTo(0);
        Await.until(Duration.ofSeconds(5), () -> proto.size() == 2, () -> "protocol lines: " + proto);
        assertThat(proto).containsExactly("{\"type\":\"ready\"}", "{\"type\":\"heartbeat\"}");
        Await.until(Duration.ofSeconds(5), () -> {
            try {
                return log("talk").contains("no newline at the end");
            } catch (Exception e) {
                return false;
            }
        }, "the last, unterminated line");
        String log = log("talk");
        assertThat(log).contains("hello\n").doesNotContain("@sabot").contains("[line of " + (longLine.length()) + " bytes cut]");
        assertThat(log.length()).isLessThan(10_000);
    }

    @Test
    void stdinIsQueuedAndNeverBlocksTheCaller() throws Exception {
        // an agent that reads its stdin and echoes it
        AgentProcess echo = spawn("echo", true, null, "cat");
        for (int i = 0; i < 100; i++) assertThat(echo.send("{\"n\":" + i + "}")).isTrue();
        Await.until(Duration.ofSeconds(10), () -> {
            try {
                return log("echo").contains("{\"n\":99}");
            } catch (Exception e) {
                return false;
            }
        }, "all 100 messages echoed");
        echo.closeStdin();
        assertThat(echo.onExit().get(10, TimeUnit.SECONDS)).isEqualTo(0); // cat ends at EOF
        assertThat(echo.send("{}")).isFalse();

        // an agent that never reads: sends return at once until 8 MiB are queued, then are refused
        AgentProcess deaf = spawn("deaf", true, null, "sleep", "100");
        String msg = "{\"pad\":\"" + "p".repeat(1000) + "\"}";
        long t0 = System.nanoTime();
        int accepted = 0;
        while (deaf.send(msg)) accepted++;
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(accepted).isBetween(AgentProcess.MAX_QUEUED_BYTES / 1012 - 100, AgentProcess.MAX_QUEUED_BYTES / 1012 + 100);
        assertThat(deaf.firstRefusal()).isTrue();
        assertThat(deaf.firstRefusal()).isFalse();
        assertThat(tookMs).as("queueing 8 MiB never waited for the agent").isLessThan(30_000);
        deaf.signal(Signals.Sig.KILL);
        deaf.onExit().get(10, TimeUnit.SECONDS);
        assertThat(deaf.send(msg)).isFalse();
    }

    @Test
    void threadsDoNotGrowWithTheNumberOfAgents() throws Exception {
        spawn("warm", false, null, "true").onExit().get(10, TimeUnit.SECONDS);
        int before = Thread.activeCount();
        List<AgentProcess> many = new ArrayList<>();
        for (int i = 0; i < 60; i++) many.add(spawn("many-" + i, i % 2 == 0, null, "sleep", "100"));
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(before + 2);
        for (AgentProcess p : many) p.signal(Signals.Sig.KILL);
        for (AgentProcess p : many) assertThat(p.onExit().get(10, TimeUnit.SECONDS)).isEqualTo(137);
        for (AgentProcess p : many) assertThat(Procs.alive(p.pid())).isFalse();
    }

    @Test
    void aFloodDoesNotHoldUpAQuietAgentAndTheLogStaysCapped() throws Exception {
        InstanceLog floodLog = new InstanceLog(dir.resolve("logs").resolve("flood.log"), 1 << 20, 2);
        AgentProcess flood = launcher.launch(new LaunchRequest("flood", List.of("/bin/sh", "-c", "yes | head -c 40000000"), null, Map.of(),
                false, floodLog, null));
        started.add(flood);
        AgentProcess quiet = spawn("quiet", false, null, "/bin/sh", "-c", "sleep 0.2; echo quiet-line; exec sleep 100");
        Await.until(Duration.ofSeconds(10), () -> {
            try {
                return log("quiet").contains("quiet-line");
            } catch (Exception e) {
                return false;
            }
        }, "the quiet agent's line while the other floods");
        assertThat(flood.onExit().get(60, TimeUnit.SECONDS)).isEqualTo(0);
        Path logs = dir.resolve("logs");
        Await.until(Duration.ofSeconds(30), () -> {
            try {
                return Files.size(logs.resolve("flood.log.2")) > 0 && Files.readString(logs.resolve("flood.log")).endsWith("y\n");
            } catch (Exception e) {
                return false;
            }
        }, "the flood written and rotated");
        try (var files = Files.list(logs)) {
            List<Path> flood2 = files.filter(f -> f.getFileName().toString().startsWith("flood.log")).toList();
            assertThat(flood2).hasSize(3);
            for (Path f : flood2) assertThat(Files.size(f)).as(f.toString()).isLessThanOrEqualTo(1 << 20);
        }
    }

    @Test
    void aFloodIsReadAtTheAllowedRateWithBoundedEngineCpu() throws Exception {
        OutputLoop loop = NativeLayer.get().output;
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long outputThread = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("sabot-output"))
                .findFirst().orElseThrow().getId();
        InstanceLog log = new InstanceLog(dir.resolve("logs").resolve("yes.log"), 4 << 20, 1);
        long cpu0 = mx.getThreadCpuTime(outputThread);
        long t0 = System.nanoTime();
        AgentProcess yes = launcher.launch(new LaunchRequest("yes", List.of("yes", "flood"), null, Map.of(), false, log, null));
        started.add(yes);
        AgentProcess quiet = spawn("quiet2", false, null, "/bin/sh", "-c", "sleep 1; echo still-heard; exec sleep 100");
        Await.until(Duration.ofSeconds(10), () -> {
            try {
                return log("quiet2").contains("still-heard");
            } catch (Exception e) {
                return false;
            }
        }, "a quiet agent heard during the flood");
        Thread.sleep(3000);
        long[] stats = loop.readStats(log);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long cpuMs = (mx.getThreadCpuTime(outputThread) - cpu0) / 1_000_000;
        yes.signal(Signals.Sig.KILL);
        yes.onExit().get(10, TimeUnit.SECONDS);
        System.out.printf("flood: %d bytes read in %.1f s (%d pauses), output thread CPU %d ms%n", stats[0], seconds, stats[1], cpuMs);
        assertThat(stats[1]).as("the flooding pipe was paused").isPositive();
        assertThat(stats[0]).as("bytes read: at most the burst plus the rate").isLessThanOrEqualTo(loop.burstBytes + (long) (loop.rateBytesPerSec * seconds) + (1 << 20));
        assertThat(cpuMs).as("engine CPU for the flood, ms over %.1f s", seconds).isLessThan((long) (seconds * 1000 / 3));
    }

    @Test
    void aMissingProgramIsAClearError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> spawn("missing", false, null, "/nonexistent/program"))
                .isInstanceOf(java.io.IOException.class).hasMessage("No such file or directory");
    }
}
