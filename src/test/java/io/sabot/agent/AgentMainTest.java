package io.sabot.agent;

import io.sabot.protocol.ProtocolCodec;
import io.sabot.protocol.ProtocolMessages.Ack;
import io.sabot.protocol.ProtocolMessages.Assign;
import io.sabot.protocol.ProtocolMessages.Commit;
import io.sabot.protocol.ProtocolMessages.Drain;
import io.sabot.protocol.ProtocolMessages.Drained;
import io.sabot.protocol.ProtocolMessages.Heartbeat;
import io.sabot.protocol.ProtocolMessages.PartitionOffset;
import io.sabot.protocol.ProtocolMessages.Ready;
import io.sabot.protocol.ProtocolMessages.Revoke;
import io.sabot.stream.EmbeddedStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in agent as a real child JVM speaking the protocol. */
class AgentMainTest {
    static final Duration T = Duration.ofSeconds(20);
    static final String TOPIC = "transactions";

    @TempDir
    Path home;

    private final List<AgentProcess> started = new ArrayList<>();

    @AfterEach
    void killAll() throws InterruptedException {
        for (AgentProcess p : started) p.close();
    }

    private AgentProcess start(String kind, Map<String, String> env) throws IOException {
        List<String> flags = new ArrayList<>(BuiltinLauncher.BASE_FLAGS);
        flags.add("-Xmx64m");
        AgentProcess p = AgentProcess.start(kind, home, env, flags);
        started.add(p);
        return p;
    }

    private Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("SABOT_AUDIT_DIR", home.resolve("audit").toString());
        m.put("SABOT_HEARTBEAT_MS", "200");
        m.put("SABOT_LINGER_MS", "50");
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private static String assign(long epoch, double rate, long origin, long... partitionOffsetPairs) {
        List<PartitionOffset> ps = new ArrayList<>();
        for (int i = 0; i < partitionOffsetPairs.length; i += 2) {
            ps.add(new PartitionOffset((int) partitionOffsetPairs[i], partitionOffsetPairs[i + 1]));
        }
        return ProtocolCodec.encode(new Assign(epoch, TOPIC, rate, origin, ps));
    }

    private static long lastCommit(AgentProcess p, int partition) {
        long last = -1;
        for (Commit c : p.all(Commit.class)) if (c.partition() == partition) last = c.offset();
        return last;
    }

    @Test
    void sendsReadyThenHeartbeats() throws Exception {
        AgentProcess p = start("fraud-detector", env());
        AgentProcess.Msg ready = p.awaitMsg(Ready.class, r -> true, 0, T);
        long readyMs = (ready.nanos() - p.startNanos) / 1_000_000;
        long rss = p.rssBytes();
        System.out.printf("built-in agent (fraud-detector, test class path, BASE_FLAGS -Xmx64m): start->ready %d ms, RSS at ready %.1f MB%n",
                readyMs, rss / 1048576.0);
        assertThat(p.messages().get(0).message()).isInstanceOf(Ready.class);
        Heartbeat hb = p.await(Heartbeat.class, T);
        assertThat(hb.processed()).isZero();
        assertThat(hb.lag()).isZero();
        // heartbeats keep coming at the configured period
        int n = p.all(Heartbeat.class).size();
        p.awaitMsg(Heartbeat.class, h -> true, p.messageCount(), T);
        p.awaitMsg(Heartbeat.class, h -> true, p.messageCount(), T);
        assertThat(p.all(Heartbeat.class).size()).isGreaterThanOrEqualTo(n + 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fraud-detector", "enricher", "alerter"})
    void assignConsumesCommitsAndDrains(String kind) throws Exception {
        AgentProcess p = start(kind, env());
        p.await(Ready.class, T);
        long origin = System.currentTimeMillis() - 3_000;
        p.send(assign(7, 2000, origin, 0, 0, 5, 0, 11, 1234));
        Ack ack = p.await(Ack.class, T);
        assertThat(ack.op()).isEqualTo("assign");
        assertThat(ack.epoch()).isEqualTo(7);
        // catches up past what was available at assign time
        EmbeddedStream s = new EmbeddedStream(2000, origin);
        long target = s.highWatermark(System.currentTimeMillis());
        for (int part : new int[] {0, 5, 11}) {
            p.await(Commit.class, c -> c.partition() == part && c.offset() >= target, T);
        }
        Heartbeat hb = p.await(Heartbeat.class, h -> h.processed() > 0, T);
        assertThat(hb.rate()).isGreaterThanOrEqualTo(0);

        p.send(ProtocolCodec.encode(new Drain()));
        p.await(Drained.class, T);
        assertThat(p.awaitExit(T)).isZero();
        assertThat(p.messages().get(p.messages().size() - 1).message()).isInstanceOf(Drained.class);
        for (int part : new int[] {0, 5, 11}) {
            long from = part == 11 ? 1234 : 0;
            long end = Audit.assertContiguous(home.resolve("audit"), TOPIC, part, from);
            assertThat(end).as("last commit equals the end of what was processed").isEqualTo(lastCommit(p, part));
            assertThat(end).isGreaterThanOrEqualTo(target);
        }
        // commits of a partition never go backwards
        long[] last = new long[16];
        Arrays.fill(last, -1);
        for (Commit c : p.all(Commit.class)) {
            assertThat(c.offset()).isGreaterThanOrEqualTo(last[c.partition()]);
            last[c.partition()] = c.offset();
        }
    }

    @Test
    void revokeCommitsStopsAndAcks() throws Exception {
        AgentProcess p = start("enricher", env());
        p.await(Ready.class, T);
        long origin = System.currentTimeMillis() - 1_000;
        p.send(assign(1, 500, origin, 1, 0, 2, 0));
        p.await(Ack.class, a -> a.epoch() == 1, T);
        p.await(Commit.class, c -> c.partition() == 2 && c.offset() > 0, T);
        p.send(ProtocolCodec.encode(new Revoke(2, TOPIC, List.of(2))));
        AgentProcess.Msg ack = p.awaitMsg(Ack.class, a -> a.op().equals("revoke") && a.epoch() == 2, 0, T);
        // the revoked partition's final commit came before the ack and equals what was processed
        List<AgentProcess.Msg> ms = p.messages();
        int ackIdx = ms.indexOf(ack);
        long finalCommit = -1;
        for (int i = 0; i < ackIdx; i++) {
            if (ms.get(i).message() instanceof Commit && ((Commit) ms.get(i).message()).partition() == 2) {
                finalCommit = ((Commit) ms.get(i).message()).offset();
            }
        }
        // partition 1 keeps going, partition 2 gets no more commits
        int after = p.messageCount();
        p.awaitMsg(Commit.class, c -> c.partition() == 1, after, T);
        p.awaitMsg(Commit.class, c -> c.partition() == 1, p.messageCount(), T);
        for (AgentProcess.Msg m : p.messages().subList(ackIdx, p.messageCount())) {
            if (m.message() instanceof Commit) assertThat(((Commit) m.message()).partition()).isEqualTo(1);
        }
        assertThat(Audit.assertContiguous(home.resolve("audit"), TOPIC, 2, 0)).isEqualTo(finalCommit);

        // re-assign from the committed offset: processing resumes with no gap and no overlap
        p.send(assign(3, 500, origin, 2, finalCommit));
        p.await(Ack.class, a -> a.epoch() == 3, T);
        long fc = finalCommit;
        p.await(Commit.class, c -> c.partition() == 2 && c.offset() > fc, T);
        p.send(ProtocolCodec.encode(new Drain()));
        p.await(Drained.class, T);
        assertThat(p.awaitExit(T)).isZero();
        assertThat(Audit.assertContiguous(home.resolve("audit"), TOPIC, 2, 0)).isEqualTo(lastCommit(p, 2));
    }

    @Test
    void sigtermDrainsCommitsAndExitsZero() throws Exception {
        AgentProcess p = start("fraud-detector", env());
        p.await(Ready.class, T);
        long origin = System.currentTimeMillis() - 60_000;
        p.send(assign(1, 5000, origin, 3, 0, 4, 0)); // 300k records behind: busy catching up
        p.await(Commit.class, c -> c.offset() >= 5000, T);
        long t0 = System.nanoTime();
        // SIGTERM. Not Process.destroy(): after the signal it also closes the parent's ends of the
        // pipes, so "drained" could never be read (and the agent would see stdin EOF at once).
        p.process.toHandle().destroy();
        p.await(Drained.class, Duration.ofSeconds(5));
        int code = p.awaitExit(Duration.ofSeconds(5));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("SIGTERM -> exit: %d ms%n", ms);
        assertThat(code).isZero();
        assertThat(ms).isLessThan(2_000);
        for (int part : new int[] {3, 4}) {
            long end = Audit.assertContiguous(home.resolve("audit"), TOPIC, part, 0);
            assertThat(lastCommit(p, part)).isEqualTo(end);
        }
    }

    @Test
    void stdinEofExitsPromptly() throws Exception {
        AgentProcess p = start("alerter", env());
        p.await(Ready.class, T);
        p.send(assign(1, 1000, System.currentTimeMillis() - 10_000, 0, 0));
        p.await(Commit.class, T);
        long t0 = System.nanoTime();
        p.closeStdin();
        int code = p.awaitExit(Duration.ofSeconds(5));
        System.out.printf("stdin EOF -> exit: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(code).isZero();
        Audit.assertContiguous(home.resolve("audit"), TOPIC, 0, 0);
    }

    @Test
    void hangHookStopsHeartbeatsButKeepsProcessAlive() throws Exception {
        AgentProcess p = start("fraud-detector", env("SABOT_TEST_HANG_AFTER_MS", "1500"));
        p.await(Ready.class, T);
        p.await(Heartbeat.class, T);
        // wait until heartbeats stop: no heartbeat for 1.5 s (7 periods)
        long deadline = System.nanoTime() + T.toNanos();
        while (true) {
            int n = p.all(Heartbeat.class).size();
            Thread.sleep(1_500); // observing silence needs elapsed time
            if (p.all(Heartbeat.class).size() == n) break;
            assertThat(System.nanoTime()).as("heartbeats never stopped").isLessThan(deadline);
        }
        assertThat(p.process.isAlive()).isTrue();
        assertThat(p.stderr()).contains("hanging now");
        // a hung agent ignores SIGTERM; only SIGKILL (close) ends it
        p.process.toHandle().destroy();
        Thread.sleep(500);
        assertThat(p.process.isAlive()).isTrue();
    }

    @Test
    void survivesProtocolAbuse() throws Exception {
        AgentProcess p = start("enricher", env());
        p.await(Ready.class, T);
        byte[] garbage = new byte[4096];
        new java.util.Random(1).nextBytes(garbage);
        p.sendRaw(garbage);
        p.sendRaw("\n\u0000\u0001\u00ff\n".getBytes(StandardCharsets.ISO_8859_1));
        p.send("{not json");
        p.send("[1,2,3]");
        p.send("{\"type\":42}");
        p.send("{\"type\":\"assign\",\"epoch\":\"x\"}");
        p.send("{\"type\":\"frobnicate\",\"x\":1}");
        p.send("{\"type\":\"frobnicate\",\"x\":2}");
        p.send("[".repeat(100_000));
        byte[] big = new byte[10 * 1024 * 1024];
        Arrays.fill(big, (byte) 'x');
        big[0] = '{';
        p.sendRaw(big);
        p.sendRaw("\n".getBytes(StandardCharsets.US_ASCII));
        // still alive, still heartbeating, still obeying valid messages
        int mark = p.messageCount();
        p.awaitMsg(Heartbeat.class, h -> true, mark, T);
        p.send(assign(9, 100, System.currentTimeMillis(), 0, 0));
        p.await(Ack.class, a -> a.epoch() == 9, T);
        p.awaitMsg(Heartbeat.class, h -> true, p.messageCount(), T);
        assertThat(p.process.isAlive()).isTrue();
        String err = p.stderr();
        assertThat(err).contains("dropped a stdin line of 10485760 bytes");
        assertThat(err).containsOnlyOnce("unknown message type 'frobnicate'");
    }

    @Test
    void allocHookGrowsRss() throws Exception {
        AgentProcess p = start("alerter", env("SABOT_TEST_ALLOC_MB", "160"));
        p.await(Ready.class, T);
        long deadline = System.nanoTime() + T.toNanos();
        while (p.rssBytes() < 160L << 20) {
            assertThat(System.nanoTime()).as("RSS never reached 160 MB: %d", p.rssBytes()).isLessThan(deadline);
            Thread.sleep(100);
        }
        p.await(Heartbeat.class, T);
    }

    @Test
    void busyHookBurnsCpu() throws Exception {
        AgentProcess p = start("alerter", env("SABOT_TEST_BUSY", "1"));
        p.await(Ready.class, T);
        // CPU time used, not a share of the machine: a busy loop piles up seconds of it even on a
        // crowded host, an idle agent a few hundredths
        long start = io.sabot.process.ProcStat.cpuTicks(p.pid);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long used;
        do {
            Thread.sleep(200);
            used = io.sabot.process.ProcStat.cpuTicks(p.pid) - start;
        } while (used < 3 * io.sabot.process.ProcStat.HZ && System.nanoTime() < deadline);
        assertThat(used).as("CPU ticks of a busy agent").isGreaterThanOrEqualTo(3 * io.sabot.process.ProcStat.HZ);
    }

    @Test
    void unknownKindExitsWith2() throws Exception {
        AgentProcess p = start("no-such-kind", env());
        assertThat(p.awaitExit(T)).isEqualTo(2);
        assertThat(p.stderr()).contains("unknown kind");
    }

    @Test
    void launcherArgvRunsAnAgent() throws Exception {
        List<String> argv = BuiltinLauncher.argv("fraud-detector", 128);
        AgentProcess p = AgentProcess.startArgv(argv, home, env());
        started.add(p);
        AgentProcess.Msg ready = p.awaitMsg(Ready.class, r -> true, 0, T);
        System.out.printf("BuiltinLauncher.argv(fraud-detector, 128 MB): start->ready %d ms, RSS %.1f MB%n",
                (ready.nanos() - p.startNanos) / 1_000_000, p.rssBytes() / 1048576.0);
        p.send(ProtocolCodec.encode(new Drain()));
        p.await(Drained.class, T);
        assertThat(p.awaitExit(T)).isZero();
    }
}
