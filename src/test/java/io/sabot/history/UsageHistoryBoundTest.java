package io.sabot.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.UsageHistory;
import io.sabot.store.Store;
import io.sabot.store.StoreOptions;
import io.sabot.store.UsageRepository;
import io.sabot.store.UsageSample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History is downsampled on the way out: over 7 simulated days as the store holds them (minute
 * rows, the last hours raw at 5 s, two agents), every range returns at most
 * {@link Ranges#MAX_POINTS} points, and what the points hold adds up after retention moved raw
 * rows into minute rows: every restart counted once, the lag peaks kept, averages preserved.
 */
class UsageHistoryBoundTest {
    @TempDir
    Path home;

    @Test
    void sevenDaysOfSamplesComeBackAsAtMost360PointsThatAddUp() {
        long now = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
        long start = now - 7 * 86_400_000L;
        long rawFrom = now - 3 * 3_600_000L;
        long restarts = 0;
        long peak = 0;
        int rows = 0;
        try (Store store = Store.open(home, StoreOptions.defaults().withScheduledRetention(false))) {
            UsageRepository repo = store.usage();
            List<UsageSample> batch = new ArrayList<>();
            long tIns = System.nanoTime();
            // a week as the store holds it: minute rows up to three hours ago (what retention left),
            // then raw 5 s rows, two hours of which the downsampling below turns into minute rows
            for (long t = start; t < now; ) {
                boolean raw = t >= rawFrom;
                int res = raw ? UsageRepository.RAW_RESOLUTION : UsageRepository.MINUTE_RESOLUTION;
                long i = (t - start) / 5000;
                long lag = (i * 7919L) % 5000;
                if (t == start + 3 * 86_400_000L || t == now - 2 * 3_600_000L) lag = 1_000_000 + i; // a spike mid-week, one in the raw part
                peak = Math.max(peak, lag);
                long r = i % 97 == 0 ? 1 : 0;
                restarts += r;
                batch.add(new UsageSample("agent:a", t, res, 50.0, 100L << 20, 20.0, lag, lag / 50.0, r));
                batch.add(new UsageSample("agent:b", t, res, 1.0, 1L << 20, 1.0, 0, 0, 0));
                rows += 2;
                if (batch.size() >= 5_000) {
                    repo.insert(batch);
                    batch.clear();
                }
                t += res * 1000L;
            }
            repo.insert(batch);
            System.out.printf("history: inserted %d rows in %d ms%n", rows, (System.nanoTime() - tIns) / 1_000_000);
            assertThat(repo.count()).isEqualTo(rows);
            // what the recorder's retention does: raw rows older than an hour become minute rows
            long tDown = System.nanoTime();
            repo.downsample(now - HistoryRecorder.RAW_KEEP_MS, now - HistoryRecorder.KEEP_MS);
            System.out.printf("history: downsampled in %d ms%n", (System.nanoTime() - tDown) / 1_000_000);
            assertThat(repo.count()).isEqualTo(2L * (7 * 24 * 60 - 60 + 720)); // minute rows but for the last hour, which is raw

            for (Ranges r : Ranges.values()) {
                long t0 = System.nanoTime();
                UsageHistory h = HistoryRecorder.query(repo, "agent:a", r.wire, now);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("history: %s over 7 days of data: %d points (bound %d), bucket %d ms, query %d ms%n",
                        r.wire, h.points().size(), Ranges.MAX_POINTS, h.bucketMs(), ms);
                assertThat(h.points()).hasSizeLessThanOrEqualTo(Ranges.MAX_POINTS).isNotEmpty();
                assertThat(h.points()).allSatisfy(p -> {
                    assertThat(p.timeMs()).isBetween(h.fromMs(), h.toMs());
                    assertThat(p.cpuPercent()).isEqualTo(50.0);
                    assertThat(p.memoryBytes()).isEqualTo(100L << 20);
                });
            }
            UsageHistory week = HistoryRecorder.query(repo, "agent:a", "7d", now);
            assertThat(week.points().size()).isGreaterThan(Ranges.MAX_POINTS - 5); // the range is covered, not cut short
            assertThat(week.points().stream().mapToLong(UsageHistory.UsagePoint::restarts).sum()).isEqualTo(restarts);
            assertThat(week.points().stream().mapToLong(UsageHistory.UsagePoint::lagRecords).max().orElse(0)).isEqualTo(peak);
            assertThat(week.points().stream().mapToDouble(UsageHistory.UsagePoint::lagSeconds).max().orElse(0)).isEqualTo(peak / 50.0);
            // the last hour is still raw: 720 samples in at most 360 points
            UsageHistory hour = HistoryRecorder.query(repo, "agent:a", "1h", now);
            assertThat(hour.points()).hasSize(360);
        }
    }
}
