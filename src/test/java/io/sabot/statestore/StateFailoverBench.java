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
 * Failover time with state stores, without and with a standby replica ({@code memory-standby}):
 * a fraud detector pair on one
 * partition; the owner is SIGKILLed; the time until the partition's committed offset moves past
 * where it stood, i.e. the new owner (the other instance, after the engine saw the death and
 * reassigned) restored the cards and processed a batch. Five kills per backend; median and worst.
 *
 * <p>Run: {@code mvn -B -o -Pbench test -Dtest=StateFailoverBench -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.backends=memory,memory-standby} to choose; {@code -Dbench.checkpointMs} (60000) and
 * {@code -Dbench.warmupMs} (0) to let the changelog past the last checkpoint grow before the first kill).
 */
@Tag("bench")
class StateFailoverBench {
    @Test
    void failoverTimes() throws Exception {
        long checkpointMs = Long.getLong("bench.checkpointMs", 60_000);
        long warmupMs = Long.getLong("bench.warmupMs", 0);
        for (String backend : System.getProperty("bench.backends", "none,memory,rocksdb,memory-standby").split(",")) {
            Path home = Files.createTempDirectory("sabot-failover-bench");
            try (FleetFixture x = new FleetFixture(home)) {
                // "memory-standby": the memory backend with a standby replica (the other instance keeps a warm copy)
                boolean standby = backend.endsWith("-standby");
                String b = standby ? backend.substring(0, backend.length() - "-standby".length()) : backend;
                String state = backend.equals("none") ? "" : "\"state\":{\"backend\":\"" + b + "\",\"checkpointIntervalMs\":" + checkpointMs
                        + (standby ? ",\"standbys\":1" : "") + "},";
                x.f.engine.deploy(Specs.parse("{\"topics\":[{\"name\":\"tx\",\"partitions\":1,\"ratePerSec\":2000}],\"agents\":[{\"name\":\"fd\","
                        + "\"builtin\":\"fraud-detector\",\"topic\":\"tx\",\"concurrency\":2," + state
                        + "\"env\":{\"SABOT_LINGER_MS\":\"20\",\"SABOT_BATCH\":\"100\"},"
                        + "\"restart\":{\"maxRestarts\":1000,\"backoff\":{\"initialMs\":5000,\"maxMs\":5000}}}]}", home));
                x.f.engine.start(Selection.everything(), null, null);
                List<Long> ms = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    Await.until(Duration.ofSeconds(60), () -> owner(x) != null && x.f.status().stream().allMatch(s -> s.state() == InstanceState.RUNNING),
                            "both running, partition owned");
                    if (i == 0 && warmupMs > 0) Thread.sleep(warmupMs); // let the changelog grow past the last checkpoint
                    long before = committed(x);
                    Await.until(Duration.ofSeconds(30), () -> committed(x) > before, "processing");
                    InstanceStatus victim = x.f.status(owner(x));
                    long at = committed(x);
                    long t0 = System.nanoTime();
                    Procs.sigkill(victim.pid());
                    Await.until(Duration.ofSeconds(60), () -> committed(x) > at && !victim.id().equals(owner(x)), "taken over");
                    ms.add((System.nanoTime() - t0) / 1_000_000);
                    if (standby) { // the killed instance comes back as the standby: wait until its copy is warm again
                        Await.until(Duration.ofSeconds(60), () -> x.f.engine.stateStores("fd").stream()
                                .anyMatch(v -> "standby".equals(v.status()) && v.entries() > 0), "a warm standby again");
                    }
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
