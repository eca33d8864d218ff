package io.sabot.store;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the safety nets cost on a store holding what retention keeps for a busy fleet (defaults:
 * {@code bench.transitions} 500k, {@code bench.spans} 200k, {@code bench.events} 100k,
 * {@code bench.metrics} 400k rows): a full scan, an online backup (time, size), a restore from it,
 * and a snapshot write for 100 agents. Run with
 * {@code mvn -q -B -Pbench test -Dtest=io.sabot.store.StoreSafetyBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
class StoreSafetyBench {
    @TempDir
    Path home;

    @Test
    void scanBackupRestoreAndSnapshotCosts() throws Exception {
        int transitions = Integer.getInteger("bench.transitions", 500_000);
        int spans = Integer.getInteger("bench.spans", 200_000);
        int events = Integer.getInteger("bench.events", 100_000);
        int metrics = Integer.getInteger("bench.metrics", 400_000);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        StoreOptions o = StoreOptions.defaults().withScheduledRetention(false)
                .withSafety(SafetyPolicy.defaults().withBackups(Duration.ofHours(1), Duration.ofHours(1), 3));
        try (Store s = Store.open(home, o)) {
            JournalWriter j = s.journal();
            List<JournalRecord> keyed = new ArrayList<>();
            for (int a = 0; a < 100; a++) {
                keyed.add(new SpecRecord("agent" + a, "{\"name\":\"agent" + a + "\",\"command\":[\"python3\",\"worker.py\"],\"concurrency\":3}", t));
                keyed.add(new DesiredStateRecord("agent" + a, true, 3, t));
                for (int i = 0; i < 3; i++) keyed.add(new InstanceRecord("agent" + a + "-" + i, "agent" + a, i, 10_000L + a * 3 + i, t, "RUNNING", t));
            }
            j.commitAll(keyed);
            for (int i = 0; i < transitions; i++) j.submit(new TransitionRecord(t.plusMillis(i), "agent" + (i % 100) + "-0", "RUNNING", "BACKOFF",
                    "crash", 1, null, "exited with code 1 after 3.2 s", "0af7651916cd43dd8448eb211c80319c"));
            for (int i = 0; i < spans; i++) j.submit(new SpanRecord("0af7651916cd43dd8448eb211c8" + String.format("%05d", i % 100_000), "b7ad6b71692" + String.format("%05d", i % 100_000),
                    null, true, "restart agent" + (i % 100) + "-0", 1_000L * i, 500_000, "OK", Map.of("sabot.instance", "agent1-0")));
            for (int i = 0; i < events; i++) j.submit(new EventRecord(t.plusMillis(i), "crash", "agent1-0", "agent1-0 exited with code 1"));
            for (int i = 0; i < metrics; i++) j.submit(new MetricRecord("agent" + (i % 100) + "-0", t.plusSeconds(i / 100), 12.5, 50_000_000L, 17));
            j.sync();
            long rows = transitions + spans + events + metrics;
            long t0 = System.nanoTime();
            StoreCheck check = s.check();
            long scanMs = (System.nanoTime() - t0) / 1_000_000;
            long t1 = System.nanoTime();
            Backups.Backup b = s.backupIfDue(true);
            long backupMs = (System.nanoTime() - t1) / 1_000_000;
            long t2 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                j.commit(new DesiredStateRecord("agent" + (i % 100), i % 2 == 0, 3, t));
                s.flushSnapshot();
            }
            long snapUs = (System.nanoTime() - t2) / 1_000 / 20;
            System.out.printf("StoreSafetyBench: %,d history rows, database %,d bytes; full scan %d ms (ok=%s); backup (scan + BACKUP TO) %d ms, "
                    + "%,d bytes; snapshot of 100 agents %,d bytes, commit + write %d us%n", rows, s.databaseSize(), scanMs, check.ok(),
                    backupMs, b.sizeBytes(), java.nio.file.Files.size(s.snapshotFile()), snapUs);
        }
        Path db = home.resolve("sabot.mv.db");
        java.nio.file.Files.delete(db);
        long t3 = System.nanoTime();
        try (Store s = Store.open(home, o)) {
            System.out.printf("StoreSafetyBench: restore of a missing database from the backup and the snapshot: %d ms (%s)%n",
                    (System.nanoTime() - t3) / 1_000_000, s.notices().isEmpty() ? "no notice!" : "notice given");
        }
    }
}
