package io.sabot.statestore;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.agent.AgentLog;
import io.sabot.agent.FraudDetector;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.stream.EmbeddedStream;
import io.sabot.testing.Await;
import io.sabot.testing.FleetFixture;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The determinism test of issue 20: the fraud detector decides only from its state and the
 * record, so the same embedded stream flags the same transactions whether it is processed in one
 * go (here: in this JVM, record by record) or by instances killed with SIGKILL and rebalanced at
 * random while their per-card windows move with the partitions through the state stores.
 * Every flag of every process that ever handled a record is counted (a batch processed twice,
 * once by an owner that died before its commit, must flag the same), so a restore that is off by
 * one batch shows.
 */
class StateDeterminismTest {
    private static final int PARTITIONS = 6;
    private static final double RATE = 400;
    /** Offsets per partition compared (20 s of stream). */
    private static final long N = 8_000;

    @TempDir Path home;

    /** The flags of an uninterrupted run: every partition processed from 0 to N in one detector. */
    static Map<Integer, TreeSet<Long>> baseline(long origin) {
        Map<Integer, TreeSet<Long>> out = new HashMap<>();
        FraudDetector fd = new FraudDetector(new AgentLog(new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(OutputStream.nullOutputStream()), "baseline"));
        fd.onFlag((t, p, o) -> out.computeIfAbsent(p, k -> new TreeSet<>()).add(o));
        EmbeddedStream s = new EmbeddedStream(RATE, origin);
        for (int p = 0; p < PARTITIONS; p++) {
            for (long o = 0; o < N; o++) fd.process(s.recordAt("tx", p, o));
            fd.endBatch("tx", p);
        }
        return out;
    }

    @Test
    void withoutStateAPartitionMoveChangesTheFlags() {
        // the test below can fail: a detector that loses a partition's windows midway flags differently
        long origin = 1_700_000_000_000L;
        Map<Integer, TreeSet<Long>> base = baseline(origin);
        TreeSet<Long> blind = new TreeSet<>();
        FraudDetector fd = new FraudDetector(new AgentLog(new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(OutputStream.nullOutputStream()), "blind"));
        fd.onFlag((t, p, o) -> blind.add(o));
        EmbeddedStream s = new EmbeddedStream(RATE, origin);
        for (long o = 0; o < N; o++) {
            if (o % 2_000 == 0) fd.partitionRevoked("tx", 0); // moved: the new owner starts without windows
            fd.process(s.recordAt("tx", 0, o));
        }
        assertThat(base.get(0)).hasSizeGreaterThan(20);
        assertThat(blind).isNotEqualTo(base.get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void randomKillsAndRebalancesFlagTheSameTransactions(String backend) throws Exception {
        Path audit = Files.createDirectories(home.resolve("audit"));
        long origin = System.currentTimeMillis() - 3_000; // a short backlog, then the stream at its rate
        String spec = "{\"topics\":[{\"name\":\"tx\",\"partitions\":" + PARTITIONS + ",\"ratePerSec\":" + RATE + ",\"originEpochMs\":" + origin + "}],"
                + "\"agents\":[{\"name\":\"fd\",\"builtin\":\"fraud-detector\",\"topic\":\"tx\",\"concurrency\":3,\"stopGraceMs\":3000,"
                + "\"state\":{\"backend\":\"" + backend + "\",\"checkpointIntervalMs\":2000},"
                + "\"env\":{\"SABOT_AUDIT_DIR\":\"" + audit + "\",\"SABOT_LINGER_MS\":\"50\",\"SABOT_BATCH\":\"200\"},"
                + "\"restart\":{\"maxRestarts\":1000,\"backoff\":{\"initialMs\":50,\"maxMs\":200}}}]}";
        Map<Integer, TreeSet<Long>> expected = baseline(origin);
        try (FleetFixture x = new FleetFixture(home)) {
            x.f.engine.deploy(Specs.parse(spec, home));
            x.f.engine.start(Selection.everything(), null, null);
            Random rnd = new Random(20);
            int kills = 0;
            int rebalances = 0;
            // chaos while the first N offsets of every partition are being processed
            while (!allCommittedPast(x, N) && kills + rebalances < 40) {
                Thread.sleep(500 + rnd.nextInt(700)); // chaos pacing
                if (rnd.nextInt(4) == 0) {
                    x.f.engine.rebalance("tx", rnd.nextBoolean() ? "round_robin" : "sticky", "determinism test");
                    rebalances++;
                } else {
                    InstanceStatus victim = x.f.status("fd-" + rnd.nextInt(3));
                    if (victim.pid() != null && victim.state() == InstanceState.RUNNING) {
                        Procs.sigkill(victim.pid());
                        kills++;
                    }
                }
            }
            Await.until(Duration.ofSeconds(120), () -> allCommittedPast(x, N),
                    () -> "every partition committed past " + N + ": " + x.f.engine.partitions("tx"));
            x.f.engine.stop(Selection.everything(), false, null);
            System.out.printf("determinism (%s): %d kills, %d rebalances%n", backend, kills, rebalances);
            assertThat(kills).isGreaterThanOrEqualTo(3);
            int total = 0;
            for (int p = 0; p < PARTITIONS; p++) {
                TreeSet<Long> got = new TreeSet<>();
                Path f = audit.resolve("flags-tx-" + p + ".log");
                if (Files.exists(f)) {
                    for (String line : Files.readAllLines(f)) {
                        String[] w = line.split(" ");
                        if (w.length != 2) continue; // a line cut by a SIGKILL
                        long o = Long.parseLong(w[0]);
                        if (o < N) got.add(o);
                    }
                }
                TreeSet<Long> want = expected.getOrDefault(p, new TreeSet<>());
                assertThat(got).as("flagged offsets of tx:%d (%s backend)", p, backend).isEqualTo(want);
                total += want.size();
            }
            assertThat(total).as("flags compared").isGreaterThan(50);
            // the restores happened from the stores, and were reported
            List<String> logs = new ArrayList<>();
            for (int i = 0; i < 3; i++) logs.addAll(x.f.engine.logs("fd-" + i, 5_000));
            assertThat(logs).anyMatch(l -> l.contains("state store cards of tx:") && l.contains("restored to offset"));
        }
    }

    private static boolean allCommittedPast(FleetFixture x, long n) {
        List<PartitionView> ps = x.f.engine.partitions("tx");
        return ps.size() == PARTITIONS && ps.stream().allMatch(p -> p.committedOffset() >= n);
    }
}
