package io.sabot.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Database size after a simulated day of metrics: 100 instances + host at 1 Hz, retention run every
 * simulated minute (raw 1 h, then 1 min averages). Run with
 * {@code mvn -q -B -Pbench test -Dtest=io.sabot.store.StoreBench -Dsurefire.failIfNoSpecifiedTests=false}
 * (system property {@code bench.hours} changes the simulated span, default 24), or through {@link #main}.
 */
@Tag("bench")
class StoreBench {
    @TempDir
    Path home;

    @Test
    void dayOfMetricsFor100Instances() throws Exception {
        int instances = 100;
        int hours = Integer.getInteger("bench.hours", 24);
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        long wall0 = System.nanoTime();
        long rows = 0;
        long retentionNanos = 0;
        long maxRetentionNanos = 0;
        // H2 keeps freed chunks for RETENTION_TIME (45 s of wall time) before reusing their space. This bench
        // runs ~400x faster than real time, so 45 s here would hold ~5 simulated hours of churn; scale it.
        int h2RetentionMs = Integer.getInteger("bench.h2RetentionMs", 100);
        int idleMsPerMinute = Integer.getInteger("bench.idleMsPerMinute", 0);
        try (Store s = Store.open(home, StoreOptions.defaults().withScheduledRetention(false))) {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + home.resolve("sabot"),
                    Store.USER, ""); java.sql.Statement st = c.createStatement()) {
                st.execute("SET RETENTION_TIME " + h2RetentionMs);
            }
            JournalWriter j = s.journal();
            for (int minute = 0; minute < hours * 60; minute++) {
                for (int sec = 0; sec < 60; sec++) {
                    Instant t = start.plusSeconds(minute * 60L + sec);
                    for (int i = 0; i < instances; i++) {
                        double cpu = (i * 7 + sec) % 100 + 0.5;
                        long rss = 60_000_000L + (long) i * 1_000_000 + sec * 4096L;
                        submit(j, new MetricRecord("agent" + (i / 10) + "-" + (i % 10), t, cpu, rss, 20 + i % 5));
                    }
                    submit(j, new MetricRecord(MetricRecord.HOST, t, 35.0, 8_000_000_000L, 900));
                    rows += instances + 1;
                }
                j.sync();
                long r0 = System.nanoTime();
                s.retention().runOnce(start.plusSeconds((minute + 1) * 60L));
                long took = System.nanoTime() - r0;
                retentionNanos += took;
                maxRetentionNanos = Math.max(maxRetentionNanos, took);
                // A real engine writing 1 Hz samples is idle most of each second; H2's background housekeeping
                // (compaction) only runs when the store saw no file I/O since its previous pass (every 50 ms).
                if (idleMsPerMinute > 0) Thread.sleep(idleMsPerMinute);
                if (minute % 60 == 59) {
                    System.out.printf("BENCH hour %2d: db %,d bytes, %.0f s wall%n", (minute + 1) / 60,
                            s.databaseSize(), (System.nanoTime() - wall0) / 1e9);
                }
            }
            long raw = s.metrics().count(1);
            System.out.println("BENCH retention report of the last minute: " + s.retention().lastReport());
            long avg = s.metrics().count(60);
            long openSize = s.databaseSize();
            s.close();
            long closedSize = Files.size(home.resolve("sabot.mv.db"));
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + home.resolve("sabot"),
                    Store.USER, ""); java.sql.Statement st = c.createStatement()) {
                st.execute("SHUTDOWN COMPACT");
            }
            long compactSize = Files.size(home.resolve("sabot.mv.db"));
            double wall = (System.nanoTime() - wall0) / 1e9;
            System.out.printf("BENCH %d instances + host at 1 Hz for %d h: %,d samples written (%,.0f/s incl. "
                            + "retention); rows kept: %,d raw + %,d 1-min; retention per minute avg %.1f ms, max %.1f ms; "
                            + "DB file %,d bytes open, %,d bytes after close (%.1f MiB), %,d bytes live data "
                            + "(SHUTDOWN COMPACT, %.1f MiB, %.0f B/row); H2 RETENTION_TIME %d ms, idle %d ms per simulated minute%n",
                    instances, hours, rows, rows / wall, raw, avg, retentionNanos / 1e6 / (hours * 60),
                    maxRetentionNanos / 1e6, openSize, closedSize, closedSize / 1048576.0, compactSize,
                    compactSize / 1048576.0, (double) compactSize / (raw + avg), h2RetentionMs, idleMsPerMinute);
            assertThat(raw).isLessThanOrEqualTo((instances + 1) * 3600L + (instances + 1) * 60L);
        }
    }

    /** Same as the test, without Maven: {@code java -cp ... io.sabot.store.StoreBench [hours]}. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0) System.setProperty("bench.hours", args[0]);
        StoreBench b = new StoreBench();
        b.home = Files.createTempDirectory("sabot-bench");
        try {
            b.dayOfMetricsFor100Instances();
        } finally {
            try (var files = Files.walk(b.home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void submit(JournalWriter j, MetricRecord m) {
        // the lazy path drops when the queue is full; the bench waits instead so nothing is lost
        while (j.submit(m) == JournalWriter.DROPPED) j.awaitDurable(j.stats().submitted(), Duration.ofMillis(50));
    }
}
