package io.sabot.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
    @TempDir
    Path home;

    @Test
    void downsamplesRawMetricsOlderThanAnHourIntoMinuteAveragesAndExpiresAfterAWeek() {
        Instant now = Instant.parse("2025-06-01T12:00:30Z");
        try (Store s = Store.open(home, StoreOptions.defaults().withScheduledRetention(false)
                .withRetention(RetentionPolicy.defaults().withChunkRows(100)))) {
            List<JournalRecord> rows = new ArrayList<>();
            // two hours of 1 Hz samples for two subjects; cpu = minute index, so each minute's average is known
            Instant start = now.minus(Duration.ofHours(2));
            for (int sec = 0; sec < 7200; sec++) {
                Instant t = start.plusSeconds(sec);
                long minute = Math.floorDiv(t.toEpochMilli(), 60_000);
                rows.add(new MetricRecord("a-0", t, minute % 100, 1000 + sec % 60, 10));
                rows.add(new MetricRecord(MetricRecord.HOST, t, 50, 2000, 100));
            }
            rows.add(new MetricRecord("a-0", now.minus(Duration.ofDays(8)), 1, 1, 1));
            rows.add(new MetricRecord("a-0", Instant.parse("2025-05-26T12:00:00Z"), 1, 1, 1, 60));
            for (JournalRecord r : rows) assertThat(s.journal().submit(r)).isPositive();
            s.journal().sync();

            RetentionReport rep = s.retention().runOnce(now);
            long cutoff = Math.floorDiv(now.minus(Duration.ofHours(1)).toEpochMilli(), 60_000) * 60_000;

            assertThat(rep.metricsExpired()).isEqualTo(1);
            List<MetricRecord> series = s.metrics().series("a-0", Instant.EPOCH, now.plusSeconds(1));
            for (MetricRecord m : series) {
                if (m.time().toEpochMilli() < cutoff) {
                    assertThat(m.resolution()).as("older than the raw window: averaged").isEqualTo(60);
                    assertThat(m.time().toEpochMilli() % 60_000).isZero();
                } else {
                    assertThat(m.resolution()).isEqualTo(1);
                }
            }
            List<MetricRecord> minutes = series.stream()
                    .filter(m -> m.resolution() == 60 && m.time().isAfter(start.minusSeconds(60))).toList();
            assertThat(minutes).hasSize(60); // 10:00 (half-filled: start is at :30) .. 10:59; cutoff 11:00
            for (MetricRecord m : minutes) {
                long minute = Math.floorDiv(m.time().toEpochMilli(), 60_000);
                assertThat(m.cpu()).isEqualTo(minute % 100);
                assertThat(m.threads()).isEqualTo(10);
            }
            MetricRecord full = minutes.get(5);
            assertThat(full.rss()).isEqualTo(1030); // avg of 1000..1059 = 1029.5, rounded
            assertThat(s.metrics().series("host", Instant.EPOCH, Instant.ofEpochMilli(cutoff)))
                    .allSatisfy(m -> assertThat(m.resolution()).isEqualTo(60)).hasSize(60);
            assertThat(rep.rawDownsampled()).isEqualTo(2L * (cutoff - start.toEpochMilli()) / 1000);
            assertThat(rep.bucketsWritten()).isEqualTo(2 * 60);

            // idempotent: a second run at the same time has nothing to do
            RetentionReport again = s.retention().runOnce(now);
            assertThat(again.rawDownsampled() + again.metricsExpired()).isZero();
        }
    }

    @Test
    void capsAppendOnlyTablesKeepingNewestAndLatestAssignmentPerTopic() {
        RetentionPolicy p = RetentionPolicy.defaults().withCaps(3, 5, 4, 2, 2).withChunkRows(2);
        try (Store s = Store.open(home, StoreOptions.defaults().withScheduledRetention(false).withRetention(p))) {
            Instant t = Instant.parse("2025-01-01T00:00:00Z");
            List<JournalRecord> rows = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                rows.add(new TransitionRecord(t, "a-0", "RUNNING", "STOPPED", "c", 0, null, "t" + i, null));
                rows.add(new EventRecord(t, "k", null, "e" + i));
                rows.add(new ResultRecord(t, "stop", "a-0", true, null, null, Duration.ZERO, null, null));
                rows.add(new SpanRecord("%032d".formatted(i), "%016d".formatted(i), null, true, "s" + i, i, 1, "OK", null));
            }
            rows.add(new AssignmentRecord("old-topic", 1, "sticky", "r", Arrays.asList("x"), 0, t));
            for (int e = 1; e <= 5; e++) rows.add(new AssignmentRecord("busy", e, "sticky", "r", List.of("y"), 0, t));
            s.journal().commitAll(rows.stream().filter(r -> !r.lazy()).toList());
            rows.stream().filter(JournalRecord::lazy).forEach(s.journal()::submit);
            s.journal().sync();

            RetentionReport rep = s.retention().runOnce(t);
            assertThat(rep.transitionsDeleted()).isEqualTo(7);
            assertThat(s.transitions().recent(100)).extracting(TransitionRecord::reason)
                    .containsExactly("t11", "t10", "t9", "t8", "t7");
            assertThat(s.events().count()).isEqualTo(4);
            assertThat(s.results().recent(100)).hasSize(2);
            assertThat(s.spans().count()).isEqualTo(3);
            assertThat(s.spans().recentTraces(10)).extracting(tr -> tr.root().name()).containsExactly("s11", "s10", "s9");
            assertThat(s.assignments().latestPerTopic()).containsOnlyKeys("old-topic", "busy");
            assertThat(s.assignments().latest("busy").orElseThrow().epoch()).isEqualTo(5);
        }
    }
}
