package io.sabot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import io.sabot.testing.Procs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract's commands against a real daemon process, with the contract's exit codes. */
class DaemonCliTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    private static JsonNode status(Daemon d) throws Exception {
        Daemon.Result r = d.run("agents", "status", "--json");
        assertThat(r.code).as(r.toString()).isZero();
        JsonNode n = JSON.readTree(r.out);
        for (JsonNode s : n) if (!s.path("pid").isNull()) d.remember(s.path("pid").asLong());
        return n;
    }

    private static long pidOf(JsonNode status, String id) {
        for (JsonNode s : status) if (s.path("id").asText().equals(id)) return s.path("pid").asLong(-1);
        throw new AssertionError("no " + id + " in " + status);
    }

    @Test
    void theWholeFlow() throws Exception {
        Path home = tmp.resolve("home");
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"agents\":[{\"name\":\"fraud_detector\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":3,"
                + "\"restart\":{\"backoff\":{\"initialMs\":0,\"maxMs\":0}}},{\"name\":\"enricher\",\"command\":[\"sleep\",\"100000\"]}]}");
        try (Daemon d = new Daemon(home)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("control.sock")))).isEqualTo("rw-------");
            Daemon.Result r = d.run("agents", "deploy", spec.toString());
            assertThat(r.code).as(r.toString()).isZero();
            r = d.run("agents", "start", "--all");
            assertThat(r.code).as(r.toString()).isZero();
            JsonNode st = status(d);
            assertThat(st).hasSize(4);
            for (JsonNode s : st) {
                assertThat(s.path("state").asText()).isEqualTo("RUNNING");
                assertThat(Procs.alive(s.path("pid").asLong())).isTrue();
                for (String f : List.of("agent", "instance", "id", "state", "pid", "uptimeMs", "restarts", "cpuPercent", "memoryBytes", "healthy", "partitions", "lastExit")) {
                    assertThat(s.has(f)).as("status has " + f).isTrue();
                }
            }
            // kill -9 one pid: a new pid within a second
            long victim = pidOf(st, "fraud_detector-1");
            Procs.sigkill(victim);
            long t0 = System.nanoTime();
            Await.until(Duration.ofSeconds(1), () -> {
                try {
                    long p = pidOf(status(d), "fraud_detector-1");
                    return p > 0 && p != victim;
                } catch (Exception e) {
                    return false;
                }
            }, "a new pid for fraud_detector-1 within 1 s");
            System.out.printf("cli: kill -9 -> new pid seen by the CLI after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            JsonNode after = status(d);
            JsonNode fd1 = null;
            for (JsonNode s : after) if (s.path("id").asText().equals("fraud_detector-1")) fd1 = s;
            assertThat(fd1.path("restarts").asInt()).isEqualTo(1);
            assertThat(fd1.path("lastExit").path("signal").asText()).isEqualTo("SIGKILL");

            List<Long> before = new ArrayList<>();
            for (JsonNode s : after) before.add(s.path("pid").asLong());
            r = d.run("agents", "restart", "--all");
            assertThat(r.code).as(r.toString()).isZero();
            for (JsonNode s : status(d)) {
                assertThat(s.path("state").asText()).isEqualTo("RUNNING");
                assertThat(before).doesNotContain(s.path("pid").asLong());
            }
            r = d.run("agents", "restart", "fraud_detector", "--rolling");
            assertThat(r.code).as(r.toString()).isZero();
            r = d.run("agents", "start", "enricher", "--concurrency", "3");
            assertThat(r.code).as(r.toString()).isZero();
            assertThat(status(d)).hasSize(6);
            r = d.run("agents", "start", "enricher", "--concurrency", "1");
            assertThat(r.code).as(r.toString()).isZero();
            assertThat(status(d)).hasSize(4);

            r = d.run("agents", "stop", "--all");
            assertThat(r.code).as(r.toString()).isZero();
            for (JsonNode s : status(d)) {
                assertThat(s.path("state").asText()).isEqualTo("STOPPED");
                assertThat(s.path("pid").isNull()).isTrue();
            }
            // second engine on the same home: exit 3, naming the holder
            Daemon.Result second = Daemon.cli("daemon", "--home", home.toString());
            assertThat(second.code).isEqualTo(3);
            assertThat(second.err).contains("in use by").contains("pid " + d.process.pid());
        }
    }

    @Test
    void aFailedAgentMakesExitCodeOneAndIsNamedOnStderr() throws Exception {
        Path home = tmp.resolve("home");
        Path script = tmp.resolve("agent.sh");
        Files.writeString(script, "#!/bin/sh\nexec sleep 100000\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"agents\":[{\"name\":\"ok\",\"command\":[\"sleep\",\"100000\"]},{\"name\":\"gone\",\"command\":[\"" + script + "\"]}]}");
        try (Daemon d = new Daemon(home)) {
            assertThat(d.run("agents", "deploy", spec.toString()).code).isZero();
            Files.delete(script);
            Daemon.Result r = d.run("agents", "start", "--all");
            assertThat(r.code).as(r.toString()).isEqualTo(1);
            assertThat(r.err).contains("gone-0").contains("does not exist");
            assertThat(r.out).contains("ok-0");
            status(d);
        }
    }

    @Test
    void noDaemonMeansExitThree() {
        Daemon.Result r = Daemon.cli("agents", "status", "--home", tmp.resolve("empty").toString());
        assertThat(r.code).isEqualTo(3);
        assertThat(r.err).contains("no engine running on home");
    }

    @Test
    void malformedSpecMeansExitTwoNamingTheField() throws Exception {
        Path spec = tmp.resolve("bad.json");
        Files.writeString(spec, "{\"agents\":[{\"name\":\"a\",\"command\":[\"sleep\"]},{\"name\":\"b\",\"command\":[\"sleep\"],\"concurrency\":-2}]}");
        Daemon.Result r = Daemon.cli("agents", "deploy", spec.toString(), "--home", tmp.resolve("h").toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains(spec.toString()).contains("agents[1].concurrency: must be >= 1, was -2");
        Path yaml = tmp.resolve("bad.yaml");
        Files.writeString(yaml, "agents:\n  - name: x\n    command: [sleep\n");
        r = Daemon.cli("agents", "deploy", yaml.toString(), "--home", tmp.resolve("h").toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("not valid YAML");
    }

    @Test
    void cliMisuseIsExitTwo() {
        String h = tmp.resolve("h").toString();
        assertThat(Daemon.cli("frobnicate").code).isEqualTo(2);
        assertThat(Daemon.cli("agents", "start", "--home", h).code).isEqualTo(2);
        assertThat(Daemon.cli("agents", "start", "x", "--all", "--home", h).code).isEqualTo(2);
        assertThat(Daemon.cli("agents", "start", "x", "--concurrency", "0", "--home", h).code).isEqualTo(2);
        Daemon.Result r = Daemon.cli("agents", "start", "x", "--concurrency", "100000", "--home", h);
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("--concurrency must be between 1 and 1000, was 100000");
        assertThat(Daemon.cli("agents", "stop", "--bogus-flag", "--home", h).code).isEqualTo(2);
        assertThat(Daemon.cli("agents", "logs", "--home", h).code).isEqualTo(2);
        assertThat(Daemon.cli("agents", "start", "x", "--concurrency", "many", "--home", h).code).isEqualTo(2);
        assertThat(Daemon.cli("partitions", "rebalance", "--strategy", "random", "--home", h).code).isEqualTo(2);
        assertThat(Daemon.cli("--help").code).isZero();
        assertThat(Daemon.cli("agents", "restart", "--help").out).contains("--rolling");
        assertThat(Daemon.cli("--version").out).startsWith("sabot ");
    }

    @Test
    void remoteSubscribersGetTheLiveEventStreamAsTypedRecords() throws Exception {
        try (Daemon d = new Daemon(tmp.resolve("home"));
             io.sabot.control.RemoteEngine remote = new io.sabot.control.RemoteEngine(tmp.resolve("home").resolve("control.sock"))) {
            java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> counts = new java.util.concurrent.ConcurrentHashMap<>();
            java.util.Set<String> wrongTypes = java.util.concurrent.ConcurrentHashMap.newKeySet();
            remote.subscribe(e -> {
                counts.computeIfAbsent(e.type(), k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                if (e.type().equals("metrics") && !(e instanceof io.sabot.engine.EngineEvent.MetricsEvent m && m.metrics() != null)) wrongTypes.add(e.type());
                if (e.type().equals("transition") && !(e instanceof io.sabot.engine.EngineEvent.TransitionEvent t && t.transition() != null)) wrongTypes.add(e.type());
            });
            Path spec = tmp.resolve("spec.json");
            Files.writeString(spec, "{\"agents\":[{\"name\":\"s\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":2}]}");
            d.run("agents", "deploy", spec.toString());
            d.run("agents", "start", "--all");
            status(d);
            // metrics arrive once a second, for as long as the client listens (not just the first batch)
            Await.until(Duration.ofSeconds(10), () -> counts.getOrDefault("metrics", new java.util.concurrent.atomic.AtomicInteger()).get() >= 3
                    && counts.getOrDefault("transition", new java.util.concurrent.atomic.AtomicInteger()).get() >= 4, () -> "events: " + counts);
            assertThat(wrongTypes).isEmpty();
        }
    }

    @Test
    void unknownAgentThroughTheDaemonIsExitTwo() throws Exception {
        try (Daemon d = new Daemon(tmp.resolve("home"))) {
            Daemon.Result r = d.run("agents", "restart", "ghost");
            assertThat(r.code).isEqualTo(2);
            assertThat(r.err).contains("unknown agent or instance \"ghost\"");
        }
    }

    @Test
    void sigtermStopsAgentsAndExitsZero() throws Exception {
        Path home = tmp.resolve("home");
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"agents\":[{\"name\":\"s\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":2}]}");
        Daemon d = new Daemon(home);
        try {
            d.run("agents", "deploy", spec.toString());
            d.run("agents", "start", "--all");
            List<Long> pids = new ArrayList<>();
            for (JsonNode s : status(d)) pids.add(s.path("pid").asLong());
            d.process.destroy();
            assertThat(d.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(d.process.exitValue()).isZero();
            assertThat(pids).noneMatch(Procs::alive);
            assertThat(Files.exists(home.resolve("control.sock"))).isFalse();
            assertThat(d.run("agents", "status").code).isEqualTo(3);
        } finally {
            d.close();
        }
    }

    @Test
    void logsAndCompletion() throws Exception {
        Path home = tmp.resolve("home");
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"agents\":[{\"name\":\"talk\",\"command\":[\"sh\",\"-c\",\"echo out-line; echo err-line >&2; exec sleep 100000\"]}]}");
        try (Daemon d = new Daemon(home)) {
            d.run("agents", "deploy", spec.toString());
            d.run("agents", "start", "talk");
            status(d);
            Await.until(Duration.ofSeconds(5), () -> {
                Daemon.Result r = d.run("agents", "logs", "talk", "--lines", "20");
                return r.out.contains("out-line") && r.out.contains("err-line");
            }, "both lines in the log");
        }
        Daemon.Result c = Daemon.cli("generate-completion");
        assertThat(c.code).isZero();
        assertThat(c.out).contains("complete -F").contains("agents");
    }
}
