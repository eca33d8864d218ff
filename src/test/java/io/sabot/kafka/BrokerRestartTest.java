package io.sabot.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.BrokerStatus;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.testing.Await;
import io.sabot.testing.FleetFixture;
import io.sabot.testing.KafkaBroker;
import io.sabot.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker stopped and started again under a running pipeline (a private broker: the others'
 * tests keep theirs): agents report unhealthy, the engine reports the cluster unreachable and
 * stays responsive, and processing resumes without gaps (audited per batch).
 */
class BrokerRestartTest {
    @TempDir
    Path home;

    @Test
    void aBrokerStoppedAndStartedAgainLeavesNoGapAndTheEngineResponsive() throws Exception {
        Path audit = Files.createDirectories(home.resolve("audit"));
        int n = 6_000;
        try (KafkaBroker k = KafkaBroker.startNew(); FleetFixture x = new FleetFixture(home)) {
            String spec = "{" + KafkaPipelineTest.cluster(k) + ",\"topics\":[" + KafkaPipelineTest.topic("tx", 4) + "],\"agents\":["
                    + KafkaPipelineTest.agent("gen", "generator", 1, null, "tx", "\"SABOT_GENERATOR_RATE\":\"200\",\"SABOT_GENERATOR_LIMIT\":\"" + n + "\"") + ","
                    + KafkaPipelineTest.agent("c", "alerter", 1, "tx", null, "\"SABOT_AUDIT_DIR\":\"" + audit + "\"") + "]}";
            List<BrokerStatus> events = new CopyOnWriteArrayList<>();
            x.f.engine.subscribe(e -> { if (e instanceof EngineEvent.BrokerEvent b) events.add(b.status()); });
            x.f.engine.deploy(Specs.parse(spec, home));
            assertThat(x.f.engine.start(Selection.everything(), null, null)).allMatch(LifecycleResult::success);
            Await.until(Duration.ofSeconds(60), () -> committed(x) > 300, () -> "consuming: " + x.f.engine.partitions("tx"));

            k.stop();
            Await.until(Duration.ofSeconds(30), () -> events.stream().anyMatch(e -> !e.reachable() && e.cluster().equals("local")),
                    () -> "cluster event: " + events);
            Await.until(Duration.ofSeconds(30), () -> !x.f.status("c-0").healthy() && x.f.engine.partitions("tx").stream().noneMatch(PartitionView::reachable),
                    () -> "consumer unhealthy and partitions unreachable: " + x.f.status("c-0") + " " + x.f.engine.partitions("tx"));
            assertThat(x.f.status("c-0").reason()).contains("Kafka cluster");
            // the engine answers while the broker is down: its reads never wait on a Kafka call (a generous bound
            // against a hang, not a speed figure), and an operation on a consumer of the dead cluster goes through
            long t0 = System.nanoTime();
            x.f.engine.status(Selection.everything());
            x.f.engine.partitions(null);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
            assertThat(x.f.engine.restart(Selection.of("c-0"), false, null)).allMatch(LifecycleResult::success);

            k.start();
            Await.until(Duration.ofSeconds(60), () -> events.stream().anyMatch(BrokerStatus::reachable), () -> "reachable again: " + events);
            Await.until(Duration.ofSeconds(120), () -> committed(x) >= n,
                    () -> "all " + n + " consumed after the restart: " + x.f.engine.partitions("tx") + KafkaPipelineTest.logs(x, "gen-0", "c-0"));
            Await.until(Duration.ofSeconds(30), () -> x.f.status("c-0").healthy() && x.f.status("gen-0").healthy(), () -> "healthy again: " + x.f.status());
            x.f.engine.stop(Selection.of("gen"), false, null);
            // the end offsets are read again on every poll: a send the stopped generator had in flight
            // can still be appended by the broker just after the process is gone
            Await.until(Duration.ofSeconds(60), () -> {
                        Map<Integer, Long> ends = k.endOffsets("tx", 4);
                        return x.f.engine.partitions("tx").stream().allMatch(p -> p.committedOffset() == ends.get(p.partition())
                                && p.logEndOffset() == ends.get(p.partition()));
                    },
                    () -> "caught up with " + k.endOffsets("tx", 4) + ": " + x.f.engine.partitions("tx"));
            x.f.engine.stop(Selection.everything(), false, null);
            long total = 0;
            for (PartitionView p : x.f.engine.partitions("tx")) {
                TreeMap<Long, Long> ranges = new TreeMap<>();
                for (String line : Files.readAllLines(audit.resolve("tx-" + p.partition() + ".log"))) {
                    String[] f = line.split(" ");
                    ranges.merge(Long.parseLong(f[2]), Long.parseLong(f[3]), Math::max);
                }
                long covered = 0;
                for (Map.Entry<Long, Long> r : ranges.entrySet()) {
                    assertThat(r.getKey()).as("tx:%d no gap before %d", p.partition(), r.getKey()).isLessThanOrEqualTo(covered);
                    covered = Math.max(covered, r.getValue());
                }
                assertThat(covered).isEqualTo(p.logEndOffset());
                total += p.logEndOffset();
            }
            // at least the generator's n (a generator restarted by a failed send produces its n again)
            assertThat(total).isGreaterThanOrEqualTo(n);
        }
    }

    private static long committed(FleetFixture x) {
        return x.f.engine.partitions("tx").stream().mapToLong(PartitionView::committedOffset).sum();
    }
}
