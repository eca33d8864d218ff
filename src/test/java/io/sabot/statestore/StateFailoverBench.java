package io.sabot.statestore;

import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.testing.Await;
import io.sabot.testing.FleetFixture;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Failover time with state stores (no standby: none is built): a fraud detector pair on one
 * partition; the owner is SIGKILLed; the time until the partition's committed offset moves past
 * where it stood, i.e. the new owner (the other instance, after the engine saw the death and
 * reassigned) restored the cards and processed a batch. Five kills per backend; median and worst.
 *
 * <p>Run: {@code mvn -B -o -Pbench test -Dtest=StateFailoverBench -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("bench")
class StateFailoverBench {
    @Test
    void failoverTimes() throws Exception {
        for (String backend : System.getProperty("bench.backends", "none,memory,rocksdb").split(",")) {
            Path home = Files.createTempDirectory("sabot-failover-bench");
            try (FleetFixture x = new FleetFixture(home)) {
                String state = backend.equals("none") ? "" : "\"state\":{\"backend\":\"" + backend + "\"},";
                x.f.engine.deploy(Specs.parse("{\"topics\":[{\"name\":\"tx\",\"partitions\":1,\"ratePerSec\":2000}],\"agents\":[{\"name\":\"fd\","
                        + "\"builtin\":\"fraud-detector\",\"topic\":\"tx\",\"concurrency\":2," + state
                        + "\"env\":{\"SABOT_LINGER_MS\":\"20\",\"SABOT_BATCH\":\"100\"},"
                        + "\"restart\":{\"maxRestarts\":1000,\"backoff\":{\"initialMs\":5000,\"maxMs\":5000}}}]}", home));
                x.f.engine.start(Selection.everything(), null, null);
                List<Long> ms = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    Await.until(Duration.ofSeconds(60), () -> owner(x) != null && x.f.status().stream().allMatch(s -> s.state() == InstanceState.RUNNING),
                            "both running, partition owned");
                    long before = committed(x);
                    Await.until(Duration.ofSeconds(30), () -> committed(x) > before, "processing");
                    InstanceStatus victim = x.f.status(owner(x));
                    long at = committed(x);
                    long t0 = System.nanoTime();
                    Procs.sigkill(victim.pid());
                    Await.until(Duration.ofSeconds(60), () -> committed(x) > at && !victim.id().equals(owner(x)), "taken over");
                    ms.add((System.nanoTime() - t0) / 1_000_000);
                }
                Collections.sort(ms);
                System.out.printf("failover %-8s median %d ms, worst %d ms (%s)%n", backend, ms.get(2), ms.get(4), ms);
            } finally {
                Stores.deleteTree(home);
            }
        }
    }

    private static String owner(FleetFixture x) {
        List<PartitionView> ps = x.f.engine.partitions("tx");
        return ps.isEmpty() ? null : ps.get(0).owner();
    }

    private static long committed(FleetFixture x) {
        List<PartitionView> ps = x.f.engine.partitions("tx");
        return ps.isEmpty() ? 0 : ps.get(0).committedOffset();
    }
}
