package io.sabot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka pipeline's throughput and end-to-end latency on this machine: generator ->
 * transactions(12) -> enricher x2 -> enriched(12) -> fraud_detector x3 -> alerts(12) -> alerter,
 * on the suite's single-node KRaft broker.
 * <pre>
 * mvn -B -o -Pbench test -Dtest=KafkaPipelineBench -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbench.rate=20000 -Dbench.records=300000
 * </pre>
 * Records/s: records through the last consuming stage (fraud_detector over enriched) divided by the
 * time from the generator's start to the moment every stage has committed everything. Latency:
 * per alert, the alerter's notification time minus the transaction's timestamp (set by the
 * generator when it sent it), p50/p99 over every alert.
 */
@Tag("bench")
class KafkaPipelineBench {
    @TempDir
    Path home;

    @Test
    void pipelineThroughputAndLatency() throws Exception {
        int rate = Integer.getInteger("bench.rate", 20_000);
        int n = Integer.getInteger("bench.records", 300_000);
        KafkaBroker k = KafkaBroker.shared();
        String tx = KafkaBroker.uniqueName("transactions"), en = KafkaBroker.uniqueName("enriched"), al = KafkaBroker.uniqueName("alerts");
        String t = ",\"cluster\":\"local\",\"create\":true,\"partitions\":12,\"replication\":1}";
        String env = "\"env\":{\"SABOT_LINGER_MS\":\"20\"},\"stopGraceMs\":3000";
        String spec = "{\"clusters\":[{\"name\":\"local\",\"bootstrapServers\":\"" + k.bootstrap() + "\"}],\"topics\":["
                + "{\"name\":\"" + tx + "\"" + t + ",{\"name\":\"" + en + "\"" + t + ",{\"name\":\"" + al + "\"" + t + "],\"agents\":["
                + "{\"name\":\"generator\",\"builtin\":\"generator\",\"outputs\":[\"" + tx + "\"],\"env\":{\"SABOT_GENERATOR_RATE\":\"" + rate
                + "\",\"SABOT_GENERATOR_LIMIT\":\"" + n + "\"}},"
                + "{\"name\":\"enricher\",\"builtin\":\"enricher\",\"concurrency\":2,\"topic\":\"" + tx + "\",\"outputs\":[\"" + en + "\"]," + env + "},"
                + "{\"name\":\"fraud\",\"builtin\":\"fraud-detector\",\"concurrency\":3,\"topic\":\"" + en + "\",\"outputs\":[\"" + al + "\"]," + env + "},"
                + "{\"name\":\"alerter\",\"builtin\":\"alerter\",\"topic\":\"" + al + "\"," + env + "}]}";
        try (FleetFixture x = new FleetFixture(home)) {
            x.f.engine.deploy(Specs.parse(spec, home));
            // consumers first, then the generator: the clock starts with the first record
            assertThat(x.f.engine.start(Selection.of("enricher", "fraud", "alerter"), null, null)).allMatch(LifecycleResult::success);
            Await.until(Duration.ofSeconds(120), () -> x.f.engine.partitions(null).size() == 36 && x.f.engine.partitions(null).stream().allMatch(p -> p.owner() != null),
                    "every lane assigned");
            long t0 = System.nanoTime();
            assertThat(x.f.engine.start(Selection.of("generator"), null, null)).allMatch(LifecycleResult::success);
            Await.until(Duration.ofSeconds(600), () -> done(x, en, n) && done(x, al, 1), () -> "caught up: " + sum(x, tx) + "/" + sum(x, en));
            double secs = (System.nanoTime() - t0) / 1e9;
            List<Long> lat = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            for (String line : Files.readAllLines(home.resolve("sinks").resolve("alerter.jsonl"))) {
                JsonNode j = json.readTree(line);
                lat.add(j.get("notifiedAt").asLong() - j.get("ts").asLong());
            }
            Collections.sort(lat);
            System.out.printf("kafka pipeline: %d records in %.1f s = %.0f records/s end to end (generator asked for %d/s); "
                            + "generator->alert latency over %d alerts: p50 %d ms, p99 %d ms, max %d ms%n",
                    n, secs, n / secs, rate, lat.size(), pct(lat, 0.50), pct(lat, 0.99), lat.isEmpty() ? -1 : lat.get(lat.size() - 1));
        }
    }

    private static boolean done(FleetFixture x, String topic, long atLeast) {
        List<PartitionView> ps = x.f.engine.partitions(topic);
        return !ps.isEmpty() && ps.stream().allMatch(p -> p.committedOffset() == p.logEndOffset())
                && ps.stream().mapToLong(PartitionView::committedOffset).sum() >= atLeast;
    }

    private static long sum(FleetFixture x, String topic) {
        return x.f.engine.partitions(topic).stream().mapToLong(PartitionView::committedOffset).sum();
    }

    private static long pct(List<Long> sorted, double q) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
    }
}
