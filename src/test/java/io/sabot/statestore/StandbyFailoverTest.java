package io.sabot.statestore;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.InstanceState;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.engine.StateStoreView;
import io.sabot.testing.Await;
import io.sabot.testing.FleetFixture;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standby replicas on real processes: two fraud detectors with {@code standbys: 1}; each keeps a
 * warm copy of the other's partitions ({@code standby} in the store report). The owner of tx:0 is
 * SIGKILLed: its partitions go to the instance that was their standby, whose restore starts from
 * the copy and replays only the tail (the checkpoint interval is ten minutes, so without the copy
 * the whole changelog would be replayed); and the flags are those of an uninterrupted run
 * ({@link StateDeterminismTest#baseline}).
 */
class StandbyFailoverTest {
    private static final int PARTITIONS = 6;
    private static final long N = 8_000;
    private static final Pattern RESTORED = Pattern.compile(
            "state store cards of tx:(\\d+) restored to offset (\\d+) from (\\S+) \\(local changelog, (\\d+) changes replayed");

    @TempDir Path home;

    @Test
    void theStandbyTakesOverAndReplaysOnlyTheTail() throws Exception {
        Path audit = Files.createDirectories(home.resolve("audit"));
        long origin = System.currentTimeMillis() - 3_000;
        String spec = "{\"topics\":[{\"name\":\"tx\",\"partitions\":" + PARTITIONS + ",\"ratePerSec\":400,\"originEpochMs\":" + origin + "}],"
                + "\"agents\":[{\"name\":\"fd\",\"builtin\":\"fraud-detector\",\"topic\":\"tx\",\"concurrency\":2,\"stopGraceMs\":3000,"
                + "\"state\":{\"backend\":\"memory\",\"checkpointIntervalMs\":600000,\"standbys\":1},"
                + "\"env\":{\"SABOT_AUDIT_DIR\":\"" + audit + "\",\"SABOT_LINGER_MS\":\"50\",\"SABOT_BATCH\":\"50\"},"
                + "\"restart\":{\"maxRestarts\":10,\"backoff\":{\"initialMs\":3000,\"maxMs\":3000}}}]}";
        Map<Integer, TreeSet<Long>> expected = StateDeterminismTest.baseline(origin);
        try (FleetFixture x = new FleetFixture(home)) {
            x.f.engine.deploy(Specs.parse(spec, home));
            x.f.engine.start(Selection.everything(), null, null);
            // both run, tx:0 is well into the stream, and its other instance holds a warm copy of it
            Await.until(Duration.ofSeconds(60), () -> {
                String owner = owner(x, 0);
                if (owner == null || committed(x, 0) < 4_000) return false;
                return x.f.engine.stateStores("fd").stream().anyMatch(v -> v.partition() == 0 && "standby".equals(v.status())
                        && v.owner() != null && !v.owner().equals(owner) && v.entries() > 100);
            }, () -> "a warm standby of tx:0: " + x.f.engine.stateStores("fd"));
            String victim = owner(x, 0);
            String standby = x.f.engine.stateStores("fd").stream()
                    .filter(v -> v.partition() == 0 && "standby".equals(v.status())).map(StateStoreView::owner).findFirst().orElseThrow();
            List<Integer> moved = partitionsOf(x, victim);
            long at = committed(x, 0);
            Procs.sigkill(x.f.status(victim).pid());
            Await.until(Duration.ofSeconds(60), () -> standby.equals(owner(x, 0)) && committed(x, 0) > at,
                    () -> "tx:0 taken over by " + standby + ": " + x.f.engine.partitions("tx"));
            // every partition of the victim was restored by the standby from its warm copy, replaying only the tail
            Map<Integer, long[]> restores = new HashMap<>();
            Await.until(Duration.ofSeconds(30), () -> {
                restores.clear();
                for (String l : x.f.engine.logs(standby, 5_000)) {
                    Matcher m = RESTORED.matcher(l);
                    if (m.find() && m.group(3).startsWith("standby")) {
                        restores.put(Integer.parseInt(m.group(1)), new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(4))});
                    }
                }
                return restores.keySet().containsAll(moved);
            }, () -> "restores from the standby copy of " + moved + " in " + standby + "'s log: " + restores.keySet());
            for (int p : moved) {
                long offset = restores.get(p)[0];
                long replayed = restores.get(p)[1];
                System.out.printf("standby restore tx:%d at offset %d replayed %d changes%n", p, offset, replayed);
                // without the copy the restore replays the changelog from the start: about a change per record
                assertThat(replayed * 10).as("changes replayed restoring tx:%d at offset %d", p, offset).isLessThan(offset);
            }
            Await.until(Duration.ofSeconds(120), () -> allCommittedPast(x, N),
                    () -> "every partition committed past " + N + ": " + x.f.engine.partitions("tx"));
            x.f.engine.stop(Selection.everything(), false, null);
            for (int p = 0; p < PARTITIONS; p++) {
                TreeSet<Long> got = new TreeSet<>();
                Path f = audit.resolve("flags-tx-" + p + ".log");
                if (Files.exists(f)) {
                    for (String line : Files.readAllLines(f)) {
                        String[] w = line.split(" ");
                        if (w.length != 2) continue; // a line cut by the SIGKILL
                        long o = Long.parseLong(w[0]);
                        if (o < N) got.add(o);
                    }
                }
                assertThat(got).as("flagged offsets of tx:%d", p).isEqualTo(expected.getOrDefault(p, new TreeSet<>()));
            }
            assertThat(x.f.status(standby).state()).isNotEqualTo(InstanceState.FAILED);
        }
    }

    private static String owner(FleetFixture x, int partition) {
        for (PartitionView p : x.f.engine.partitions("tx")) if (p.partition() == partition) return p.owner();
        return null;
    }

    private static long committed(FleetFixture x, int partition) {
        for (PartitionView p : x.f.engine.partitions("tx")) if (p.partition() == partition) return p.committedOffset();
        return 0;
    }

    private static List<Integer> partitionsOf(FleetFixture x, String instance) {
        return x.f.engine.partitions("tx").stream().filter(p -> instance.equals(p.owner())).map(PartitionView::partition).toList();
    }

    private static boolean allCommittedPast(FleetFixture x, long n) {
        List<PartitionView> ps = x.f.engine.partitions("tx");
        return ps.size() == PARTITIONS && ps.stream().allMatch(p -> p.committedOffset() >= n);
    }
}
