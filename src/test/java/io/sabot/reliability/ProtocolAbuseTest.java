package io.sabot.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.control.ControlClient;
import io.sabot.engine.Cause;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.host.Homes;
import io.sabot.testing.Await;
import io.sabot.testing.HostFixture;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents that abuse the line protocol, run by the real engine (as the daemon hosts it, store
 * included) beside two well-behaved fraud detectors. Each abuser must leave the engine up and
 * answering fast, its junk ignored or cut in its own log, and the good agents untouched.
 */
class ProtocolAbuseTest {
    static final ObjectMapper STRICT = new ObjectMapper();
    /** "Fast" for a status call on this shared, loaded 2-core machine. */
    static final long FAST_MS = 1500;

    @TempDir
    static Path tmp;
    static HostFixture x;
    static Path scripts;
    static Map<String, Long> goodPids = new HashMap<>();

    static final String GOOD = "{\"name\":\"good\",\"builtin\":\"fraud-detector\",\"topic\":\"tx\",\"concurrency\":2,"
            + "\"env\":{\"SABOT_HEARTBEAT_MS\":\"200\",\"SABOT_LINGER_MS\":\"50\"},\"health\":{\"heartbeatTimeoutMs\":10000}}";
    static final String TOPICS = "\"topics\":[{\"name\":\"tx\",\"partitions\":6,\"ratePerSec\":100}]";

    @BeforeAll
    static void startGoodFleet() throws Exception {
        scripts = Files.createDirectories(tmp.resolve("scripts"));
        x = new HostFixture(tmp.resolve("home"));
        x.engine.deploy(Specs.parse("{" + TOPICS + ",\"agents\":[" + GOOD + "]}", scripts));
        assertThat(x.engine.start(Selection.of("good"), null, 30_000L)).allMatch(r -> r.success());
        Await.until(Duration.ofSeconds(20), () -> x.engine.partitions("tx").stream().allMatch(p -> p.owner() != null && p.committedOffset() > 0),
                () -> "good agents consume: " + x.engine.partitions("tx"));
        for (InstanceStatus s : x.engine.status(Selection.of("good"))) goodPids.put(s.id(), s.pid());
    }

    @AfterAll
    static void stop() {
        if (x != null) x.close();
    }

    /** After each abuse: the good agents never noticed (same pids, no restart, still RUNNING and committing). */
    @AfterEach
    void goodAgentsUntouched() {
        long before = committed();
        for (InstanceStatus s : x.engine.status(Selection.of("good"))) {
            assertThat(s.state()).as(s.id()).isEqualTo(InstanceState.RUNNING);
            assertThat(s.pid()).as(s.id() + " kept its process").isEqualTo(goodPids.get(s.id()));
            assertThat(s.restarts()).as(s.id()).isZero();
        }
        Await.until(Duration.ofSeconds(10), () -> committed() > before, () -> "good agents keep committing: " + x.engine.partitions("tx"));
        statusIsFast();
    }

    static long committed() {
        return x.engine.partitions("tx").stream().mapToLong(PartitionView::committedOffset).sum();
    }

    /** `agents status` over the control socket (what the CLI does), valid strict JSON, within FAST_MS. */
    static long statusIsFast() {
        return Bounded.call(Duration.ofSeconds(15), "status over the control socket", () -> {
            long t0 = System.nanoTime();
            try (ControlClient c = ControlClient.connect(Homes.socket(x.home))) {
                JsonNode r = c.call("status", STRICT.createObjectNode().put("all", true));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                // the reply survives a strict parser: no NaN/Infinity smuggled in by an agent's numbers
                STRICT.readTree(STRICT.writeValueAsString(r));
                assertThat(r.isArray()).isTrue();
                assertThat(ms).as("status answered in %d ms", ms).isLessThan(FAST_MS);
                return ms;
            }
        });
    }

    static Path script(String name, String text) throws Exception {
        Path p = scripts.resolve(name);
        Files.writeString(p, text);
        p.toFile().setExecutable(true);
        return p;
    }

    static void deploy(String agentJson, String topics) throws Exception {
        x.engine.deploy(Specs.parse("{" + (topics == null ? TOPICS : topics) + ",\"agents\":[" + GOOD + "," + agentJson + "]}", scripts));
    }

    static String log(String id) throws Exception {
        return Files.readString(x.home.resolve("logs").resolve(id + ".log"));
    }

    static void remove(String name) {
        x.engine.remove(List.of(name));
    }

    static final String PY_PRELUDE = "import os, sys, time, random\n"
            + "out = sys.stdout.buffer\n"
            + "def send(b):\n    out.write(b); out.flush()\n"
            + "def beat():\n    send(b'@sabot {\"type\":\"heartbeat\",\"rate\":1,\"lag\":0,\"processed\":0}\\n')\n";

    @Test
    void garbageBytesAndInvalidProtocolLinesAreIgnoredAndLogged() throws Exception {
        Path py = script("garbage.py", PY_PRELUDE
                + "rnd = random.Random(7)\n"
                + "for i in range(300):\n"
                + "    send(bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 3000))) + b'\\n')\n"
                + "send(b'@sabot {not json\\n')\n"
                + "send(b'@sabot []\\n')\n"
                + "send(b'@sabot \"ready\"\\n')\n"
                + "send(b'@sabot {\"type\":42}\\n')\n"
                + "send(b'@sabot {\"type\":\"ready\"\\n')\n"
                + "send(b'@sabot \\xff\\xfe\\x00{\"type\":\"ready\"}\\n')\n"
                + "send(b'@sabot ' + b'[' * 50000 + b'\\n')\n"
                + "send(b'@sabot {\"type\":\"commit\",\"topic\":\"nope\",\"partition\":0,\"offset\":5}\\n')\n"
                + "send(b'@sabot {\"type\":\"commit\",\"topic\":\"tx\",\"partition\":99999,\"offset\":5}\\n')\n"
                + "send(b'@sabot {\"type\":\"commit\",\"partition\":\"x\",\"offset\":-7}\\n')\n"
                + "send(b'@sabot {\"type\":\"ack\",\"op\":\"revoke\",\"epoch\":\"soon\"}\\n')\n"
                + "for i in range(3):\n    send(b'@sabot {\"type\":\"teleport\",\"x\":1}\\n')\n"
                + "send(b'@sabot {\"type\":\"heartbeat\",\"rate\":1e999,\"lag\":-5,\"processed\":\"many\"}\\n')\n"
                + "send(b'@sabot {\"type\":\"ready\"}\\n')\n"
                + "send(b'GARBAGE-DONE\\n')\n"
                + "while True:\n    send(b'@sabot {\"type\":\"heartbeat\",\"rate\":1e999,\"lag\":-5}\\n'); time.sleep(0.2)\n");
        // it reads tx (so its own consumer group has tx's partitions: an out-of-range commit there is checked as such)
        deploy("{\"name\":\"garbage\",\"command\":[\"python3\",\"" + py + "\"],\"protocol\":true,\"topic\":\"tx\",\"restart\":{\"policy\":\"temporary\"}}", null);
        try {
            assertThat(x.engine.start(Selection.of("garbage"), null, 20_000L).get(0).success()).isTrue();
            Await.until(Duration.ofSeconds(10), () -> {
                try {
                    return log("garbage-0").contains("GARBAGE-DONE");
                } catch (Exception e) {
                    return false;
                }
            }, "the garbage agent got through its junk");
            // the commit notes are written by the partition service's thread, possibly after the agent's own last line
            Await.until(Duration.ofSeconds(10), () -> {
                try {
                    String l = log("garbage-0");
                    return l.contains("commit for unknown topic \"nope\" ignored") && l.contains("tx:99999 offset 5 is out of range");
                } catch (Exception e) {
                    return false;
                }
            }, "the refused commits noted in the garbage agent's log");
            String log = log("garbage-0");
            assertThat(log).contains("invalid protocol line ignored: {not json");
            assertThat(log).contains("protocol line without a \"type\" ignored: []");
            assertThat(log).contains("protocol line without a \"type\" ignored: {\"type\":42}");
            // an unknown message type is logged once, not per line
            assertThat(log.lines().filter(l -> l.contains("teleport")).toList()).as("lines about teleport")
                    .containsExactly("[sabot] unknown protocol message type \"teleport\" ignored (logged once)");
            assertThat(log).contains("commit for unknown topic \"nope\" ignored").contains("tx:99999 offset 5 is out of range");
            InstanceStatus s = x.status("garbage-0");
            assertThat(s.state()).isEqualTo(InstanceState.RUNNING);
            // numbers out of range in a heartbeat are not taken at face value
            assertThat(Double.isFinite(s.messagesPerSec())).as("rate %s", s.messagesPerSec()).isTrue();
            assertThat(s.lag()).isGreaterThanOrEqualTo(0);
            assertThat(x.engine.partitions("tx")).allMatch(p -> p.committedOffset() < 1_000_000);
        } finally {
            remove("garbage");
        }
    }

    @Test
    void aTenMegabyteLineWithoutNewlineIsCutAndTheNextLineStillParses() throws Exception {
        Path py = script("longline.py", PY_PRELUDE
                + "send(b'@sabot {\"type\":\"ready\",\"pad\":\"' + b'x' * (10 * 1024 * 1024))\n"
                + "time.sleep(0.3)\n"
                + "send(b'\"}\\n@sabot {\"type\":\"ready\"}\\n')\n"
                + "while True:\n    beat(); time.sleep(0.2)\n");
        deploy("{\"name\":\"longline\",\"command\":[\"python3\",\"" + py + "\"],\"protocol\":true,\"restart\":{\"policy\":\"temporary\"}}", null);
        try {
            long t0 = System.nanoTime();
            assertThat(x.engine.start(Selection.of("longline"), null, 20_000L).get(0).success()).isTrue();
            statusIsFast();
            String log = log("longline-0");
            // the 10 MB line (the prefix, the object's start and the padding) was cut, never parsed: it did not make the agent ready
            int length = "@sabot {\"type\":\"ready\",\"pad\":\"".length() + 10 * 1024 * 1024 + 2;
            assertThat(log).contains("[line of " + length + " bytes cut]");
            assertThat(Files.size(x.home.resolve("logs/longline-0.log"))).isLessThan(64 * 1024);
            assertThat(x.engine.history("longline-0")).anyMatch(t -> t.to() == InstanceState.RUNNING && t.cause().equals(Cause.READY));
            System.out.printf("protocol abuse: 10 MB line cut, agent ready after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        } finally {
            remove("longline");
        }
    }

    @Test
    void aHeartbeatFloodDoesNotSlowTheEngine() throws Exception {
        Path py = script("flood.py", PY_PRELUDE
                + "send(b'@sabot {\"type\":\"ready\"}\\n')\n"
                + "line = b'@sabot {\"type\":\"heartbeat\",\"rate\":1,\"lag\":0,\"processed\":1}\\n'\n"
                + "chunk = line * 1000\n"
                + "t0 = time.time(); n = 0\n"
                + "while time.time() - t0 < 4:\n    out.write(chunk); n += 1000\n"
                + "out.flush()\n"
                + "sys.stderr.write('FLOOD-DONE %d lines in %.2f s\\n' % (n, time.time() - t0)); sys.stderr.flush()\n"
                + "while True:\n    beat(); time.sleep(0.2)\n");
        deploy("{\"name\":\"flood\",\"command\":[\"python3\",\"" + py + "\"],\"protocol\":true,\"restart\":{\"policy\":\"temporary\"}}", null);
        try {
            assertThat(x.engine.start(Selection.of("flood"), null, 20_000L).get(0).success()).isTrue();
            long worst = 0;
            int calls = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!log("flood-0").contains("FLOOD-DONE")) {
                worst = Math.max(worst, statusIsFast());
                calls++;
                assertThat(System.nanoTime()).as("the flood ends").isLessThan(deadline);
                Thread.sleep(20); // pacing between status calls
            }
            String done = log("flood-0").lines().filter(l -> l.startsWith("FLOOD-DONE")).findFirst().orElseThrow();
            String[] f = done.split(" ");
            double rate = Long.parseLong(f[1]) / Double.parseDouble(f[4]);
            System.out.printf("protocol abuse: heartbeat flood %s (%.0f lines/s through the engine's pipe); %d status calls meanwhile, worst %d ms%n",
                    done, rate, calls, worst);
            assertThat(calls).isGreaterThan(0);
            assertThat(x.status("flood-0").state()).isEqualTo(InstanceState.RUNNING);
        } finally {
            remove("flood");
        }
    }

    @Test
    void anAgentThatClosesStdoutButKeepsRunningIsKilledForSilence() throws Exception {
        Path sh = script("closer.sh", "#!/bin/sh\necho '@sabot {\"type\":\"ready\"}'\nexec 1>&-\nexec sleep 100000\n");
        deploy("{\"name\":\"closer\",\"command\":[\"" + sh + "\"],\"protocol\":true,\"health\":{\"heartbeatTimeoutMs\":1000},"
                + "\"restart\":{\"policy\":\"temporary\"}}", null);
        try {
            assertThat(x.engine.start(Selection.of("closer"), null, 20_000L).get(0).success()).isTrue();
            long pid = x.status("closer-0").pid();
            Await.until(Duration.ofSeconds(10), () -> x.status("closer-0").state() == InstanceState.STOPPED, () -> "silent agent killed: " + x.status("closer-0"));
            assertThat(x.status("closer-0").lastExit().reason()).isEqualTo("heartbeat timeout");
            assertThat(x.engine.history("closer-0")).anyMatch(t -> t.cause().equals(Cause.HEALTH));
            Await.until(Duration.ofSeconds(2), () -> !Procs.alive(pid), "its process is gone");
            assertThat(log("closer-0")).contains("killing closer-0: heartbeat timeout");
        } finally {
            remove("closer");
        }
    }

    @Test
    void anAgentThatNeverReadsStdinCannotStallTheEngine() throws Exception {
        // one assign for 5,000 partitions is ~150 KB: more than a pipe holds, so a writer that blocks would hang
        Path py = script("deaf.py", PY_PRELUDE
                + "send(b'@sabot {\"type\":\"ready\"}\\n')\n"
                + "while True:\n    beat(); time.sleep(0.2)\n");
        String topics = "\"topics\":[{\"name\":\"tx\",\"partitions\":6,\"ratePerSec\":100},{\"name\":\"wide\",\"partitions\":5000,\"ratePerSec\":1}]";
        deploy("{\"name\":\"deaf\",\"command\":[\"python3\",\"" + py + "\"],\"protocol\":true,\"topic\":\"wide\",\"restart\":{\"policy\":\"temporary\"}}", topics);
        try {
            assertThat(x.engine.start(Selection.of("deaf"), null, 20_000L).get(0).success()).isTrue();
            Await.until(Duration.ofSeconds(10), () -> x.engine.partitions("wide").stream().allMatch(p -> "deaf-0".equals(p.owner())),
                    () -> "wide assigned to deaf-0");
            for (int i = 0; i < 5; i++) statusIsFast();
            // the partition service still serves the other topic: a rebalance there is delivered and consumed
            long before = committed();
            Bounded.call(Duration.ofSeconds(10), "rebalance of tx", () -> x.engine.rebalance("tx", "round_robin", "test"));
            Await.until(Duration.ofSeconds(10), () -> committed() > before, "tx still consumed after its rebalance");
            // stopping the deaf agent works too (SIGTERM, grace, SIGKILL)
            assertThat(Bounded.call(Duration.ofSeconds(15), "stop deaf", () -> x.engine.stop(Selection.of("deaf"), false, 2000L)).get(0).success()).isTrue();
            statusIsFast();
        } finally {
            remove("deaf");
        }
    }

    @Test
    void commitsBeyondTheStreamOrForeignPartitionsDoNotMoveStoredOffsets() throws Exception {
        // reads its assignment, then commits absurd offsets for its own partitions and for others
        Path py = script("liar.py", PY_PRELUDE
                + "import json, threading\n"
                + "send(b'@sabot {\"type\":\"ready\"}\\n')\n"
                + "def beats():\n    while True:\n        beat(); time.sleep(0.2)\n"
                + "threading.Thread(target=beats, daemon=True).start()\n"
                + "for line in sys.stdin:\n"
                + "    m = json.loads(line)\n"
                + "    if m.get('type') == 'assign':\n"
                + "        for p in m['partitions']:\n"
                + "            send(('@sabot {\"type\":\"commit\",\"topic\":\"lies\",\"partition\":%d,\"offset\":%d}\\n' % (p['partition'], 2**62)).encode())\n"
                + "            send(('@sabot {\"type\":\"commit\",\"topic\":\"lies\",\"partition\":%d,\"offset\":%d}\\n' % (p['partition'], 2**63 - 1)).encode())\n"
                + "        send(b'@sabot {\"type\":\"commit\",\"topic\":\"tx\",\"partition\":0,\"offset\":4611686018427387904}\\n')\n"
                + "        send(b'LIES-SENT\\n')\n");
        String topics = "\"topics\":[{\"name\":\"tx\",\"partitions\":6,\"ratePerSec\":100},{\"name\":\"lies\",\"partitions\":2,\"ratePerSec\":10}]";
        deploy("{\"name\":\"liar\",\"command\":[\"python3\",\"" + py + "\"],\"protocol\":true,\"topic\":\"lies\",\"restart\":{\"policy\":\"temporary\"}}", topics);
        try {
            assertThat(x.engine.start(Selection.of("liar"), null, 20_000L).get(0).success()).isTrue();
            Await.until(Duration.ofSeconds(10), () -> {
                try {
                    return log("liar-0").contains("LIES-SENT");
                } catch (Exception e) {
                    return false;
                }
            }, "the liar sent its commits");
            // the notes are written by the partition service's thread, after the line the agent printed;
            // the offsets are read once the last of its commits (tx:0) has been handled
            Await.until(Duration.ofSeconds(10), () -> {
                try {
                    String l = log("liar-0");
                    return l.contains("offset 4611686018427387904 is beyond the end of the stream") && l.contains("commit for unknown topic \"tx\" ignored");
                } catch (Exception e) {
                    return false;
                }
            }, "the refused commits noted in the liar's log");
            statusIsFast();
            long nowLimit = 10L * (System.currentTimeMillis() - x.engine.topics().stream()
                    .filter(t -> t.name().equals("lies")).findFirst().orElseThrow().originEpochMs()) / 1000 + 20;
            for (PartitionView p : x.engine.partitions("lies")) {
                assertThat(p.committedOffset()).as("lies:%d committed beyond what the stream has produced", p.partition()).isLessThanOrEqualTo(nowLimit);
            }
            assertThat(x.engine.partitions("tx")).allMatch(p -> p.committedOffset() < 1_000_000);
        } finally {
            remove("liar");
        }
    }

    static List<String> lines(String s) { return new ArrayList<>(s.lines().toList()); }
}
