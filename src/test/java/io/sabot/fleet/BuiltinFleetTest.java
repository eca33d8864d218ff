package io.sabot.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.Cause;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.engine.Transition;
import io.sabot.testing.Await;
import io.sabot.testing.FleetFixture;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real built-in agents under the engine: readiness, partitions, commits, drain, liveness, chaos. */
class BuiltinFleetTest {
    @TempDir
    Path home;

    private String fleet(Path audit, int n, String extra) {
        return "{\"topics\":[{\"name\":\"tx\",\"partitions\":12,\"ratePerSec\":200}],\"agents\":[{\"name\":\"fd\",\"builtin\":\"fraud-detector\","
                + "\"topic\":\"tx\",\"concurrency\":" + n + ",\"stopGraceMs\":3000,\"env\":{\"SABOT_AUDIT_DIR\":\"" + audit + "\",\"SABOT_LINGER_MS\":\"50\"},"
                + "\"restart\":{\"maxRestarts\":1000,\"backoff\":{\"initialMs\":50,\"maxMs\":200}}" + (extra == null ? "" : "," + extra) + "}]}";
    }

    private static boolean allOwned(FleetFixture x) {
        List<PartitionView> ps = x.f.engine.partitions("tx");
        if (ps.size() != 12) return false;
        for (PartitionView p : ps) {
            if (p.owner() == null) return false;
            if (x.f.status(p.owner()).state() != InstanceState.RUNNING) return false;
        }
        return true;
    }

    /** No instance's partition list overlaps another's; every owner is a RUNNING instance. */
    private static void assertNoDoubleOwnership(FleetFixture x) {
        Map<String, String> owner = new HashMap<>();
        for (InstanceStatus s : x.f.engine.status(Selection.everything())) {
            for (String p : s.partitions()) {
                String prev = owner.put(p, s.id());
                assertThat(prev).as("partition " + p + " owned by " + prev + " and " + s.id()).isNull();
            }
        }
    }

    @Test
    void builtinAgentsBecomeReadyConsumeAndCommit() throws Exception {
        Path audit = Files.createDirectories(home.resolve("audit"));
        try (FleetFixture x = new FleetFixture(home)) {
            x.f.engine.deploy(Specs.parse(fleet(audit, 3, null), home));
            List<LifecycleResult> rs = x.f.engine.start(Selection.everything(), null, null);
            assertThat(rs).allMatch(LifecycleResult::success);
            for (int i = 0; i < 3; i++) {
                List<Transition> h = x.f.engine.history("fd-" + i);
                // STARTING -> RUNNING only after the agent said ready
                assertThat(h).anyMatch(t -> t.to() == InstanceState.RUNNING && t.cause().equals(Cause.READY));
                assertThat(h.get(h.size() - 1).to()).isEqualTo(InstanceState.RUNNING);
            }
            Await.until(Duration.ofSeconds(15), () -> allOwned(x), () -> "all partitions owned: " + x.f.engine.partitions("tx"));
            Await.until(Duration.ofSeconds(15), () -> x.f.engine.partitions("tx").stream().allMatch(p -> p.committedOffset() > 0),
                    () -> "commits on every partition: " + x.f.engine.partitions("tx"));
            assertNoDoubleOwnership(x);
            // members join one by one; the sticky assignment settles at 4 partitions each
            Await.until(Duration.ofSeconds(10), () -> {
                Map<String, Integer> counts = new HashMap<>();
                for (PartitionView p : x.f.engine.partitions("tx")) if (p.owner() != null) counts.merge(p.owner(), 1, Integer::sum);
                return counts.size() == 3 && counts.values().stream().allMatch(c -> c == 4);
            }, () -> "4 partitions per instance: " + x.f.engine.partitions("tx"));
            Await.until(Duration.ofSeconds(5), () -> x.f.status("fd-0").memoryBytes() > 0 && x.f.status("fd-0").messagesPerSec() > 0,
                    () -> "live metrics: " + x.f.status("fd-0"));

            // SIGTERM drains: exit 0, offsets committed, partitions handed over
            long committedBefore = x.f.engine.partitions("tx").stream().mapToLong(PartitionView::committedOffset).sum();
            LifecycleResult stop = x.f.engine.stop(Selection.of("fd-2"), false, null).get(0);
            assertThat(stop.success()).isTrue();
            assertThat(x.f.status("fd-2").lastExit().code()).isZero();
            assertThat(x.f.engine.partitions("tx").stream().mapToLong(PartitionView::committedOffset).sum()).isGreaterThanOrEqualTo(committedBefore);
            Await.until(Duration.ofSeconds(10), () -> allOwned(x) && x.f.engine.partitions("tx").stream().noneMatch(p -> "fd-2".equals(p.owner())),
                    () -> "fd-2's partitions moved: " + x.f.engine.partitions("tx"));
            assertNoDoubleOwnership(x);
        }
    }

    /** Each agent on a topic is its own consumer group: both see every record of every partition (embedded stream). */
    @Test
    void twoAgentsOnOneTopicEachProcessEveryRecord() throws Exception {
        Path auditA = Files.createDirectories(home.resolve("audit-a"));
        Path auditB = Files.createDirectories(home.resolve("audit-b"));
        String spec = "{\"topics\":[{\"name\":\"tx\",\"partitions\":6,\"ratePerSec\":100}],\"agents\":["
                + "{\"name\":\"fd\",\"builtin\":\"fraud-detector\",\"topic\":\"tx\",\"concurrency\":2,"
                + "\"env\":{\"SABOT_AUDIT_DIR\":\"" + auditA + "\",\"SABOT_LINGER_MS\":\"50\"}},"
                + "{\"name\":\"al\",\"builtin\":\"alerter\",\"topic\":[\"tx\"],"
                + "\"env\":{\"SABOT_AUDIT_DIR\":\"" + auditB + "\",\"SABOT_LINGER_MS\":\"50\"}}]}";
        try (FleetFixture x = new FleetFixture(home)) {
            x.f.engine.deploy(Specs.parse(spec, home));
            assertThat(x.f.engine.start(Selection.everything(), null, null)).allMatch(LifecycleResult::success);
            Await.until(Duration.ofSeconds(20), () -> {
                List<PartitionView> ps = x.f.engine.partitions("tx");
                return ps.size() == 12 && ps.stream().allMatch(p -> p.owner() != null && p.committedOffset() >= 100);
            }, () -> "both groups own and commit every partition: " + x.f.engine.partitions("tx"));
            List<PartitionView> ps = x.f.engine.partitions("tx");
            assertThat(ps).filteredOn(p -> "al".equals(p.group())).hasSize(6).allMatch(p -> p.owner().equals("al-0"));
            assertThat(ps).filteredOn(p -> "fd".equals(p.group())).hasSize(6).allMatch(p -> p.owner().startsWith("fd-"))
                    .extracting(PartitionView::owner).contains("fd-0", "fd-1");
            assertThat(x.f.status("al-0").partitions()).hasSize(6);
            x.f.engine.stop(Selection.everything(), false, null);
            for (PartitionView p : x.f.engine.partitions("tx")) {
                Path audit = "al".equals(p.group()) ? auditB : auditA;
                TreeMap<Long, Long> ranges = new TreeMap<>();
                for (String line : Files.readAllLines(audit.resolve("tx-" + p.partition() + ".log"))) {
                    String[] f = line.split(" ");
                    ranges.merge(Long.parseLong(f[2]), Long.parseLong(f[3]), Math::max);
                }
                long covered = 0;
                for (Map.Entry<Long, Long> r : ranges.entrySet()) {
                    assertThat(r.getKey()).as("group %s partition %d: no gap before %d", p.group(), p.partition(), r.getKey()).isLessThanOrEqualTo(covered);
                    covered = Math.max(covered, r.getValue());
                }
                assertThat(covered).as("group %s processed %s:%d from 0 to its commit", p.group(), p.topic(), p.partition())
                        .isGreaterThanOrEqualTo(p.committedOffset()).isGreaterThanOrEqualTo(100);
            }
        }
    }

    @Test
    void hungAgentIsRestartedForHeartbeatTimeout() throws Exception {
        Path audit = Files.createDirectories(home.resolve("audit"));
        try (FleetFixture x = new FleetFixture(home)) {
            String hang = "{\"name\":\"hang\",\"builtin\":\"enricher\",\"env\":{\"SABOT_TEST_HANG_AFTER_MS\":\"500\",\"SABOT_HEARTBEAT_MS\":\"200\"},"
                    + "\"health\":{\"heartbeatTimeoutMs\":1200},\"restart\":{\"policy\":\"temporary\"}}";
            x.f.engine.deploy(Specs.parse(Specs.fleet(hang), home));
            x.f.engine.start(Selection.everything(), null, null);
            long pid = x.f.status("hang-0").pid();
            Await.until(Duration.ofSeconds(10), () -> x.f.status("hang-0").state() == InstanceState.STOPPED, () -> "killed: " + x.f.status("hang-0"));
            InstanceStatus s = x.f.status("hang-0");
            assertThat(s.lastExit().reason()).isEqualTo("heartbeat timeout");
            assertThat(x.f.engine.history("hang-0")).anyMatch(t -> t.cause().equals(Cause.HEALTH));
            assertThat(Procs.alive(pid)).isFalse();
        }
    }

    @Test
    void pythonExampleAgentRunsUnderTheEngine() throws Exception {
        Path agent = Path.of("examples/python/agent.py").toAbsolutePath();
        try (FleetFixture x = new FleetFixture(home)) {
            String spec = "{\"topics\":[{\"name\":\"t\",\"partitions\":4,\"ratePerSec\":20}],\"agents\":[{\"name\":\"py\",\"command\":[\"python3\",\""
                    + agent + "\"],\"protocol\":true,\"topic\":\"t\",\"concurrency\":2,\"env\":{\"SABOT_HEARTBEAT_MS\":\"200\"}}]}";
            x.f.engine.deploy(Specs.parse(spec, home));
            assertThat(x.f.engine.start(Selection.everything(), null, null)).allMatch(LifecycleResult::success);
            assertThat(x.f.engine.history("py-0")).anyMatch(t -> t.to() == InstanceState.RUNNING && t.cause().equals(Cause.READY));
            Await.until(Duration.ofSeconds(15), () -> x.f.engine.partitions("t").stream().allMatch(p -> p.owner() != null && p.committedOffset() > 0),
                    () -> "python agents consume: " + x.f.engine.partitions("t"));
            assertThat(x.f.engine.stop(Selection.everything(), false, null)).allMatch(LifecycleResult::success);
            assertThat(x.f.status("py-0").lastExit().code()).as("py-0 drains and exits 0 on SIGTERM: %s", x.f.status("py-0").lastExit()).isZero();
        }
    }

    @Test
    void randomKillsWhileConsumingLeaveNoGapAndNoDoubleOwner() throws Exception {
        Path audit = Files.createDirectories(home.resolve("audit"));
        try (FleetFixture x = new FleetFixture(home)) {
            x.f.engine.deploy(Specs.parse(fleet(audit, 4, null), home));
            x.f.engine.start(Selection.everything(), null, null);
            Await.until(Duration.ofSeconds(15), () -> allOwned(x), "all owned");
            Random rnd = new Random(42);
            long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            int kills = 0;
            while (System.nanoTime() < end) {
                assertNoDoubleOwnership(x);
                InstanceStatus victim = x.f.status("fd-" + rnd.nextInt(4));
                if (victim.pid() != null && victim.state() == InstanceState.RUNNING) {
                    Procs.sigkill(victim.pid());
                    kills++;
                }
                Thread.sleep(400 + rnd.nextInt(400)); // chaos pacing between kills
            }
            Await.until(Duration.ofSeconds(20), () -> x.f.status().stream().allMatch(s -> s.state() == InstanceState.RUNNING) && allOwned(x),
                    () -> "fleet recovered: " + x.f.status());
            // drain everything so every processed batch is committed and audited
            x.f.engine.stop(Selection.everything(), false, null);
            int gaps = 0;
            long dup = 0;
            for (PartitionView p : x.f.engine.partitions("tx")) {
                Path log = audit.resolve("tx-" + p.partition() + ".log");
                if (!Files.exists(log)) { // never processed: then never committed either
                    assertThat(p.committedOffset()).isZero();
                    continue;
                }
                TreeMap<Long, Long> ranges = new TreeMap<>();
                for (String line : Files.readAllLines(log)) {
                    String[] f = line.split(" ");
                    long a = Long.parseLong(f[2]), b = Long.parseLong(f[3]);
                    ranges.merge(a, b, Math::max);
                }
                long covered = 0;
                for (Map.Entry<Long, Long> r : ranges.entrySet()) {
                    if (r.getKey() > covered) gaps++;
                    else dup += Math.min(covered, r.getValue()) - r.getKey();
                    covered = Math.max(covered, r.getValue());
                }
                assertThat(covered).as("partition %d processed up to its committed offset", p.partition()).isGreaterThanOrEqualTo(p.committedOffset());
            }
            System.out.printf("chaos: %d kills, 0 gaps expected, %d gaps, %d records processed twice (uncommitted tails)%n", kills, gaps, dup);
            assertThat(gaps).isZero();
            assertThat(kills).isGreaterThan(5);
        }
    }
}
