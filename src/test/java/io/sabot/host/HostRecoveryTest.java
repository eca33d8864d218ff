package io.sabot.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.store.ResultRecord;
import io.sabot.store.Store;
import io.sabot.store.TransitionRecord;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import io.sabot.testing.Procs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a daemon acknowledged survives its kill -9; a new daemon restores the fleet; traces are trees in H2. */
class HostRecoveryTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    private static JsonNode json(Daemon.Result r) throws Exception {
        assertThat(r.code).as(r.toString()).isZero();
        return JSON.readTree(r.out);
    }

    @Test
    void acknowledgedWorkSurvivesKillNineAndTheFleetComesBack() throws Exception {
        Path home = tmp.resolve("home");
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"agents\":[{\"name\":\"w\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":3},"
                + "{\"name\":\"idle\",\"command\":[\"sleep\",\"100000\"]}]}");
        List<Long> firstPids = new ArrayList<>();
        Daemon d1 = new Daemon(home);
        try {
            assertThat(d1.run("agents", "deploy", spec.toString()).code).isZero();
            assertThat(d1.run("agents", "start", "w").code).isZero();
            assertThat(d1.run("agents", "restart", "w").code).isZero(); // acknowledged: must be on disk
            for (JsonNode s : json(d1.run("agents", "status", "--json"))) if (!s.path("pid").isNull()) firstPids.add(s.path("pid").asLong());
            assertThat(firstPids).hasSize(3);
            d1.process.destroyForcibly(); // kill -9 of the engine
            d1.process.waitFor();
        } finally {
            d1.close();
        }
        // the watchdog took the agents with it
        Await.until(Duration.ofSeconds(3), () -> firstPids.stream().noneMatch(Procs::alive), "agents of the killed engine gone");
        // every acknowledged transition and result is in the store
        try (Store store = Store.open(home)) {
            for (int i = 0; i < 3; i++) {
                List<TransitionRecord> ts = store.transitions().byInstance("w-" + i, 100);
                long running = ts.stream().filter(t -> t.to().equals("RUNNING")).count();
                assertThat(running).as("w-%d started and restarted: %s", i, ts).isGreaterThanOrEqualTo(2);
            }
            List<ResultRecord> rs = store.results().recent(100);
            assertThat(rs.stream().filter(r -> r.op().equals("restart") && r.success()).count()).isEqualTo(3);
        }
        // a new engine brings back what should run, once
        try (Daemon d2 = new Daemon(home)) {
            Await.until(Duration.ofSeconds(10), () -> {
                try {
                    JsonNode st = json(d2.run("agents", "status", "--json"));
                    int running = 0;
                    for (JsonNode s : st) if (s.path("state").asText().equals("RUNNING")) running++;
                    return running == 3;
                } catch (Exception e) {
                    return false;
                }
            }, "w's three instances running again");
            JsonNode st = json(d2.run("agents", "status", "--json"));
            Map<String, String> states = new HashMap<>();
            for (JsonNode s : st) {
                states.put(s.path("id").asText(), s.path("state").asText());
                if (!s.path("pid").isNull()) d2.remember(s.path("pid").asLong());
            }
            assertThat(states).containsEntry("idle-0", "STOPPED").hasSize(4);
            // exactly one process per instance: the engine's children are the three agents and its watchdog
            Set<Long> running = new java.util.HashSet<>();
            for (JsonNode s : st) if (!s.path("pid").isNull()) running.add(s.path("pid").asLong());
            assertThat(running).hasSize(3);
            Set<Long> kids = d2.process.children().map(ProcessHandle::pid).collect(Collectors.toSet());
            assertThat(kids).containsAll(running).hasSize(4);
        }
    }

    @Test
    void bulkRestartIsATraceTreeInTheStore() throws Exception {
        Path home = tmp.resolve("home");
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"agents\":[{\"name\":\"w\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":3}]}");
        try (Daemon d = new Daemon(home)) {
            d.run("agents", "deploy", spec.toString());
            d.run("agents", "start", "--all");
            assertThat(d.run("agents", "restart", "--all").code).isZero();
            for (JsonNode s : json(d.run("agents", "status", "--json"))) d.remember(s.path("pid").asLong());
            JsonNode trace = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (trace == null && System.nanoTime() < deadline) {
                for (JsonNode t : json(d.run("telemetry", "traces", "--limit", "20", "--json"))) {
                    if (t.path("name").asText().equals("restart (3 instances)") && t.path("spans").size() >= 1 + 3 * 5) trace = t;
                }
                if (trace == null) Thread.sleep(100); // spans are exported in batches
            }
            assertThat(trace).as("restart trace with all its spans").isNotNull();
            for (String f : List.of("traceId", "name", "startEpochNanos", "durationNanos", "status", "spans")) assertThat(trace.has(f)).isTrue();
            Map<String, JsonNode> byId = new HashMap<>();
            for (JsonNode s : trace.path("spans")) byId.put(s.path("spanId").asText(), s);
            JsonNode root = null;
            for (JsonNode s : trace.path("spans")) if (!byId.containsKey(s.path("parentSpanId").asText())) root = s;
            assertThat(root.path("name").asText()).isEqualTo("restart (3 instances)");
            List<JsonNode> children = new ArrayList<>();
            for (JsonNode s : trace.path("spans")) if (s.path("parentSpanId").asText().equals(root.path("spanId").asText())) children.add(s);
            assertThat(children).extracting(c -> c.path("name").asText()).containsExactlyInAnyOrder("restart w-0", "restart w-1", "restart w-2");
            for (JsonNode c : children) {
                List<String> steps = new ArrayList<>();
                long sum = 0;
                for (JsonNode s : trace.path("spans")) {
                    if (!s.path("parentSpanId").asText().equals(c.path("spanId").asText())) continue;
                    steps.add(s.path("name").asText());
                    sum += s.path("durationNanos").asLong();
                    // a step lies within its parent
                    assertThat(s.path("startEpochNanos").asLong()).isGreaterThanOrEqualTo(c.path("startEpochNanos").asLong());
                    assertThat(s.path("startEpochNanos").asLong() + s.path("durationNanos").asLong())
                            .isLessThanOrEqualTo(c.path("startEpochNanos").asLong() + c.path("durationNanos").asLong());
                }
                assertThat(steps).contains("stop.signal", "stop.await_exit", "spawn", "await_ready");
                assertThat(sum).as("steps add up to no more than their parent").isLessThanOrEqualTo(c.path("durationNanos").asLong());
                assertThat(c.path("durationNanos").asLong()).isLessThanOrEqualTo(root.path("durationNanos").asLong());
            }
            Daemon.Result text = d.run("telemetry", "traces", "--limit", "5");
            assertThat(text.out).contains("restart (3 instances)").contains("stop.await_exit");
        }
    }

    @Test
    void groupSettingsSurviveTheEngineAndAreShownOverTheSocket() throws Exception {
        Path home = tmp.resolve("home");
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"groups\":[{\"name\":\"pay\",\"strategy\":\"one_for_all\",\"maxRestarts\":3,\"withinSeconds\":30}],"
                + "\"agents\":[{\"name\":\"a\",\"command\":[\"sleep\",\"100000\"],\"group\":\"pay\"},"
                + "{\"name\":\"b\",\"command\":[\"sleep\",\"100000\"],\"group\":\"pay\",\"concurrency\":2}]}");
        try (Daemon d1 = new Daemon(home)) {
            assertThat(d1.run("agents", "deploy", spec.toString()).code).isZero();
        }
        try (Daemon d2 = new Daemon(home);
             io.sabot.control.RemoteEngine remote = new io.sabot.control.RemoteEngine(home.resolve("control.sock"))) {
            io.sabot.engine.GroupStatus g = remote.groups().stream().filter(x -> x.name().equals("pay")).findFirst().orElseThrow();
            assertThat(g.strategy()).isEqualTo("one_for_all");
            assertThat(g.maxRestarts()).isEqualTo(3);
            assertThat(g.withinSeconds()).isEqualTo(30);
            assertThat(g.members()).containsExactly("a-0", "b-0", "b-1");
            assertThat(g.failedReason()).isNull();
            assertThat(remote.spec().groups()).extracting(io.sabot.spec.GroupSpec::name).containsExactly("pay");
        }
    }
}
