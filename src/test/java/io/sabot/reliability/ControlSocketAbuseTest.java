package io.sabot.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.control.RemoteEngine;
import io.sabot.engine.Subscription;
import io.sabot.store.Store;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw clients of a real daemon's control socket ({@code $SABOT_HOME/control.sock}) that send
 * garbage, half requests, 20 MB lines, open 300 connections, or subscribe and never read. Each
 * gets a clear error or is dropped; the daemon stays up, `agents status` stays fast, and the
 * store opens cleanly afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlSocketAbuseTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long FAST_MS = 1500;

    @TempDir
    static Path tmp;
    static Daemon d;

    @BeforeAll
    static void daemon() throws Exception {
        d = new Daemon(tmp.resolve("home"));
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"agents\":[{\"name\":\"w\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":2}]}");
        assertThat(d.run("agents", "deploy", spec.toString()).code).isZero();
        assertThat(d.run("agents", "start", "w").code).isZero();
        rememberPids();
    }

    @AfterAll
    static void stop() throws Exception {
        if (d != null) d.close();
    }

    static void rememberPids() throws Exception {
        for (JsonNode s : JSON.readTree(d.run("agents", "status", "--json").out)) if (!s.path("pid").isNull()) d.remember(s.path("pid").asLong());
    }

    /** After each abuse the daemon is alive and `sabot agents status` answers quickly, both instances RUNNING. */
    @AfterEach
    void daemonAnswersFast() {
        assertThat(d.process.isAlive()).as("daemon alive").isTrue();
        statusIsFast();
    }

    static long statusIsFast() {
        return Bounded.call(Duration.ofSeconds(15), "sabot agents status", () -> {
            long t0 = System.nanoTime();
            Daemon.Result r = d.run("agents", "status", "--json");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.code).as(r.toString()).isZero();
            JsonNode st = JSON.readTree(r.out);
            assertThat(st).hasSize(2);
            for (JsonNode s : st) assertThat(s.path("state").asText()).isEqualTo("RUNNING");
            assertThat(ms).as("status took %d ms", ms).isLessThan(FAST_MS);
            return ms;
        });
    }

    static SocketChannel connect() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(d.home.resolve("control.sock")));
        return ch;
    }

    static void send(SocketChannel ch, String s) throws IOException {
        send(ch, s.getBytes(StandardCharsets.UTF_8));
    }

    static void send(SocketChannel ch, byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) ch.write(buf);
    }

    /** One reply line, or null at EOF; bounded in time. */
    static String readLine(SocketChannel ch) {
        return Bounded.call(Duration.ofSeconds(15), "a reply line", () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (true) {
                one.clear();
                int n;
                try {
                    n = ch.read(one);
                } catch (IOException e) {
                    n = -1; // reset by the server: same as EOF here
                }
                if (n < 0) return out.size() == 0 ? null : out.toString(StandardCharsets.UTF_8);
                if (one.get(0) == '\n') return out.toString(StandardCharsets.UTF_8);
                out.write(one.get(0));
            }
        });
    }

    static JsonNode request(SocketChannel ch, String json) throws Exception {
        send(ch, json + "\n");
        String line = readLine(ch);
        assertThat(line).as("reply to " + json).isNotNull();
        return JSON.readTree(line);
    }

    static void assertError(JsonNode reply, String kind, String... fragments) {
        assertThat(reply.path("ok").asBoolean(true)).as(reply.toString()).isFalse();
        assertThat(reply.path("error").path("kind").asText()).as(reply.toString()).isEqualTo(kind);
        for (String f : fragments) assertThat(reply.path("error").path("message").asText()).as(reply.toString()).contains(f);
    }

    @Test
    @Order(1)
    void garbageGetsAClearErrorAndTheConnectionIsClosed() throws Exception {
        byte[] junk = new byte[4096];
        new Random(3).nextBytes(junk);
        for (int i = 0; i < junk.length; i++) if (junk[i] == '\n') junk[i] = 'x';
        try (SocketChannel ch = connect()) {
            send(ch, junk);
            send(ch, "\n");
            JsonNode r = JSON.readTree(readLine(ch));
            assertError(r, "bad-input", "invalid request (not a JSON object)");
            assertThat(readLine(ch)).as("then the connection is closed").isNull();
        }
        try (SocketChannel ch = connect()) {
            assertError(request(ch, "[1,2,3]"), "bad-input", "a request is a JSON object");
        }
    }

    @Test
    @Order(2)
    void wellFormedButWrongRequestsGetErrorsNamingWhatIsWrongAndTheConnectionStaysUsable() throws Exception {
        try (SocketChannel ch = connect()) {
            assertError(request(ch, "{\"id\":1,\"op\":\"frobnicate\"}"), "bad-input", "unknown op \"frobnicate\"");
            assertError(request(ch, "{\"id\":2}"), "bad-input", "unknown op \"\"");
            assertError(request(ch, "{\"id\":3,\"op\":\"logs\",\"instance\":5}"), "bad-input", "\"instance\" is required");
            assertError(request(ch, "{\"id\":4,\"op\":\"history\",\"instance\":\"ghost-0\"}"), "bad-input", "unknown instance \"ghost-0\"");
            assertError(request(ch, "{\"id\":5,\"op\":\"restart\",\"names\":[\"w\"],\"timeoutMs\":-1}"), "bad-input", "\"timeoutMs\"");
            assertError(request(ch, "{\"id\":6,\"op\":\"stop\",\"names\":[\"w\"],\"timeoutMs\":\"soon\"}"), "bad-input", "\"timeoutMs\"");
            assertError(request(ch, "{\"id\":7,\"op\":\"start\",\"names\":[\"w\"],\"concurrency\":0}"), "bad-input", "concurrency must be between 1 and 1000, was 0");
            assertError(request(ch, "{\"id\":8,\"op\":\"start\",\"names\":[\"w\"],\"concurrency\":100000}"), "bad-input", "was 100000");
            assertError(request(ch, "{\"id\":9,\"op\":\"start\",\"names\":[\"w\"],\"concurrency\":\"many\"}"), "bad-input", "\"concurrency\"");
            assertError(request(ch, "{\"id\":10,\"op\":\"traces\",\"limit\":-1}"), "bad-input", "\"limit\"");
            assertError(request(ch, "{\"id\":11,\"op\":\"rebalance\",\"strategy\":\"random\"}"), "bad-input", "unknown strategy \"random\"");
            // a lifecycle request without targets (or with a malformed list) is refused: it must not mean "everything"
            assertError(request(ch, "{\"id\":12,\"op\":\"stop\"}"), "bad-input", "give \"names\"");
            assertError(request(ch, "{\"id\":13,\"op\":\"stop\",\"names\":\"w\"}"), "bad-input", "\"names\" must be a list");
            assertError(request(ch, "{\"id\":14,\"op\":\"restart\",\"names\":[]}"), "bad-input", "give \"names\"");
            assertError(request(ch, "{\"id\":15,\"op\":\"remove\",\"names\":[\"ghost\"]}"), "bad-input", "unknown agent \"ghost\"");
            // a spec sent over the socket gets the spec file's validation: no path in a name, no negative counts
            JsonNode bad = request(ch, "{\"id\":16,\"op\":\"deploy\",\"spec\":{\"agents\":[{\"name\":\"../../evil\",\"command\":[\"sleep\",\"1\"]},"
                    + "{\"name\":\"neg\",\"command\":[\"sleep\",\"1\"],\"concurrency\":-3,\"restart\":null,\"stopGraceMs\":-1}]}}");
            assertThat(bad.path("error").path("kind").asText()).as(bad.toString()).isEqualTo("spec");
            List<String> errors = new ArrayList<>();
            for (JsonNode e : bad.path("error").path("errors")) errors.add(e.path("path").asText() + ": " + e.path("message").asText());
            assertThat(errors).anyMatch(e -> e.startsWith("agents[0].name: must match")).contains("agents[1].concurrency: must be >= 1, was -3")
                    .contains("agents[1].stopGraceMs: must be >= 0, was -1");
            assertError(request(ch, "{\"id\":17,\"op\":\"deploy\",\"spec\":[]}"), "bad-input", "deploy needs \"spec\"");
            // the same connection still works
            JsonNode pong = request(ch, "{\"id\":18,\"op\":\"ping\"}");
            assertThat(pong.path("ok").asBoolean()).isTrue();
            assertThat(pong.path("id").asInt()).isEqualTo(18);
        }
        assertThat(Files.exists(d.home.resolve("logs/../../evil-0.log").normalize())).isFalse();
        assertThat(JSON.readTree(d.run("agents", "status", "--json").out).toString()).doesNotContain("neg");
    }

    @Test
    @Order(3)
    void halfARequestThenSilenceDoesNotBlockOthers() throws Exception {
        List<SocketChannel> hung = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                SocketChannel ch = connect();
                send(ch, "{\"id\":1,\"op\":\"sta");
                hung.add(ch);
            }
            for (int i = 0; i < 3; i++) statusIsFast();
            // finishing the line later still gets an answer: the server just waited for the newline
            send(hung.get(0), "tus\",\"all\":true}\n");
            JsonNode r = JSON.readTree(readLine(hung.get(0)));
            assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
        } finally {
            for (SocketChannel ch : hung) ch.close();
        }
    }

    @Test
    @Order(4)
    void aTwentyMegabyteLineIsRefusedWithAnError() throws Exception {
        try (SocketChannel ch = connect()) {
            Thread writer = new Thread(() -> {
                byte[] mb = new byte[1024 * 1024];
                java.util.Arrays.fill(mb, (byte) 'a');
                try {
                    send(ch, "{\"id\":1,\"op\":\"ping\",\"pad\":\"");
                    for (int i = 0; i < 20; i++) send(ch, mb);
                    send(ch, "\"}\n");
                } catch (IOException e) {
                    // the server closed the connection part way: expected
                }
            }, "twenty-mb-writer");
            writer.setDaemon(true);
            writer.start();
            JsonNode r = JSON.readTree(readLine(ch));
            assertError(r, "bad-input", "request line over " + (16 * 1024 * 1024) + " bytes");
            writer.join(TimeUnit.SECONDS.toMillis(15));
            assertThat(writer.isAlive()).as("the writer was cut off").isFalse();
        }
    }

    @Test
    @Order(5)
    void threeHundredConnectionsAtOnce() throws Exception {
        List<SocketChannel> all = new ArrayList<>();
        int pongs = 0, refused = 0, dropped = 0;
        try {
            for (int i = 0; i < 300; i++) all.add(connect());
            // each one asks; each gets a pong, a clear "too many clients", or is dropped (EOF)
            for (SocketChannel ch : all) {
                try {
                    send(ch, "{\"id\":1,\"op\":\"ping\"}\n");
                } catch (IOException e) {
                    // refused connections were answered and closed before we asked: their answer is still there to read
                }
                String line = readLine(ch);
                if (line == null) {
                    dropped++;
                    continue;
                }
                JsonNode r = JSON.readTree(line);
                if (r.path("ok").asBoolean()) pongs++;
                else {
                    assertThat(r.path("error").path("message").asText()).isEqualTo("too many clients");
                    refused++;
                }
            }
            System.out.printf("control socket: 300 connections: %d answered, %d refused (too many clients), %d dropped%n", pongs, refused, dropped);
            assertThat(pongs + refused + dropped).isEqualTo(300);
            assertThat(pongs).isGreaterThan(0);
            // with every slot taken by idle connections, the CLI still gets in: the longest idle one makes room
            Thread.sleep(1100); // pacing: let the held connections become idle (the server's eviction threshold is 1 s)
            statusIsFast();
        } finally {
            for (SocketChannel ch : all) ch.close();
        }
        // every served connection's thread is gone once they close
        long daemonPid = d.process.pid();
        Await.until(Duration.ofSeconds(10), () -> ProcFacts.threadNames(daemonPid).stream().filter(n -> n.startsWith("sabot-control-c")).count() <= 2,
                () -> "control client threads: " + ProcFacts.threadNames(daemonPid).stream().filter(n -> n.startsWith("sabot-control")).count());
    }

    @Test
    @Order(6)
    void aLogFollowerThatNeverReadsIsDroppedWhileReadersKeepGettingEverything() throws Exception {
        // a chatty agent: ~50,000 short log lines a second
        Path py = tmp.resolve("chatty.py");
        Files.writeString(py, "import sys, time\n"
                + "i = 0\n"
                + "while True:\n"
                + "    sys.stdout.write(''.join('line %d\\n' % (i + k) for k in range(500))); sys.stdout.flush(); i += 500\n"
                + "    time.sleep(0.01)\n");
        Path spec = tmp.resolve("chatty.json");
        Files.writeString(spec, "{\"agents\":[{\"name\":\"chatty\",\"command\":[\"python3\",\"" + py + "\"]}]}");
        assertThat(d.run("agents", "deploy", spec.toString()).code).isZero();
        AtomicLong lines = new AtomicLong();
        try (RemoteEngine reader = new RemoteEngine(d.home.resolve("control.sock"));
             SocketChannel stalled = connect()) {
            assertThat(d.run("agents", "start", "chatty").code).isZero();
            rememberPids();
            Subscription follow = reader.followLogs("chatty-0", l -> lines.incrementAndGet());
            try {
                send(stalled, "{\"id\":1,\"op\":\"follow\",\"instance\":\"chatty-0\"}\n");
                long t0 = System.nanoTime();
                boolean droppedIt = stalledDropped(stalled, Duration.ofSeconds(30));
                System.out.printf("control socket: log follower that never reads dropped=%s after %d ms; a reading follower got %d lines meanwhile%n",
                        droppedIt, (System.nanoTime() - t0) / 1_000_000, lines.get());
                assertThat(droppedIt).as("the server dropped the follower that never reads").isTrue();
                // the reading follower keeps getting lines, far more than the stalled one's queue holds
                Await.until(Duration.ofSeconds(20), () -> lines.get() > 30_000, () -> "reading follower got " + lines.get() + " lines");
            } finally {
                follow.close();
            }
        } finally {
            d.run("agents", "remove", "chatty");
        }
    }

    /**
     * The stalled client never reads; it writes a byte now and then (the server's watcher reads
     * those), which fails once the server has dropped it. Meanwhile status stays fast.
     */
    static boolean stalledDropped(SocketChannel stalled, Duration limit) throws Exception {
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < limit.toNanos()) {
            try {
                send(stalled, " ");
            } catch (IOException e) {
                return true;
            }
            statusOfW();
            Thread.sleep(50); // pacing
        }
        return false;
    }

    @Test
    @Order(7)
    void anEventSubscriberReceivesEventsContinuously() throws Exception {
        // regression: the stream's writer and its hang-up watcher shared the channel's blocking lock,
        // so a subscriber got the first batch of events and then nothing more
        AtomicLong events = new AtomicLong();
        try (RemoteEngine counter = new RemoteEngine(d.home.resolve("control.sock"))) {
            Subscription sub = counter.subscribe(e -> events.incrementAndGet());
            try {
                for (int i = 0; i < 3; i++) {
                    long before = events.get();
                    assertThat(d.run("agents", "restart", "w").code).isZero();
                    Await.until(Duration.ofSeconds(10), () -> events.get() >= before + 8, () -> "events of restart " + " seen: " + (events.get() - before));
                }
            } finally {
                sub.close();
            }
        }
        rememberPids();
    }

    /** The long version: an event subscriber that never reads while a crash loop makes events (~15 s). */
    @Test
    @Order(8)
    @org.junit.jupiter.api.Tag("bench")
    void anEventSubscriberThatNeverReadsIsDropped() throws Exception {
        Path spec = tmp.resolve("loop.json");
        Files.writeString(spec, "{\"agents\":[{\"name\":\"loop\",\"command\":[\"sh\",\"-c\",\"exit 3\"],\"concurrency\":20,"
                + "\"restart\":{\"maxRestarts\":1000000000,\"withinSeconds\":1,\"backoff\":{\"initialMs\":0,\"maxMs\":0}}}]}");
        assertThat(d.run("agents", "deploy", spec.toString()).code).isZero();
        AtomicLong events = new AtomicLong();
        try (RemoteEngine counter = new RemoteEngine(d.home.resolve("control.sock"));
             SocketChannel stalled = connect()) {
            Subscription sub = counter.subscribe(e -> events.incrementAndGet());
            try {
                send(stalled, "{\"id\":1,\"op\":\"subscribe\"}\n");
                d.run("agents", "start", "loop");
                long t0 = System.nanoTime();
                boolean droppedIt = stalledDropped(stalled, Duration.ofSeconds(120));
                System.out.printf("control socket: stalled subscriber dropped=%s after %d events in %d ms%n",
                        droppedIt, events.get(), (System.nanoTime() - t0) / 1_000_000);
                assertThat(droppedIt).as("the server dropped the subscriber that never reads (after %d events)", events.get()).isTrue();
                assertThat(events.get()).isGreaterThan(20_000);
            } finally {
                sub.close();
            }
        } finally {
            d.run("agents", "remove", "loop");
        }
    }

    /** Status of the sleeper agent only (the crash loop is busy), bounded and timed. */
    static long statusOfW() {
        return Bounded.call(Duration.ofSeconds(15), "status w", () -> {
            long t0 = System.nanoTime();
            Daemon.Result r = d.run("agents", "status", "w", "--json");
            assertThat(r.code).as(r.toString()).isZero();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).as("status took %d ms", ms).isLessThan(FAST_MS);
            return ms;
        });
    }

    @Test
    @Order(100)
    void afterAllThatTheStoreOpensCleanly() throws Exception {
        d.process.destroy(); // SIGTERM: a normal shutdown
        assertThat(d.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(d.process.exitValue()).isZero();
        try (Store store = Store.open(d.home)) {
            assertThat(store.transitions().byInstance("w-0", 100)).isNotEmpty();
            assertThat(store.specs().all()).isNotEmpty();
        }
        // and a new daemon on it brings w back
        d.close();
        d = new Daemon(d.home);
        Await.until(Duration.ofSeconds(20), () -> {
            try {
                statusIsFast();
                return true;
            } catch (AssertionError e) {
                return false;
            }
        }, "w running again under a new daemon");
        rememberPids();
    }
}
