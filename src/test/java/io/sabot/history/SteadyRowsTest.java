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
 * A steady subject writes a row only when something changed or {@link HistoryRecorder#STEADY_ROW_MS}
 * passed, and a query over the stored rows gives back the same points as if every sample had been
 * written (figures carried into the empty buckets, restarts counted once); a subject that is gone
 * stops after {@link HistoryRecorder#FILL_MS}.
 */
class SteadyRowsTest {
    @TempDir
    Path home;

    private static UsageSample row(String s, long t, double cpu, long restarts) {
        return new UsageSample(s, t, UsageRepository.RAW_RESOLUTION, cpu, 1L << 20, 0, 0, 0, restarts);
    }

    @Test
    void steadyRowsAreLeftOutAndComeBackInQueries() {
        long now = 1_767_225_600_000L;
        long start = now - 10 * 60_000L;
        SteadyRows steady = new SteadyRows(HistoryRecorder.STEADY_ROW_MS);
        List<UsageSample> all = new ArrayList<>();
        List<UsageSample> written = new ArrayList<>();
        for (long t = start; t < now; t += 5_000) {
            long i = (t - start) / 5_000;
            double cpu = i >= 40 && i < 44 ? 50.0 : 0.0; // busy for 20 s in the middle
            long restarts = i == 70 ? 1 : 0;
            List<UsageSample> sample = new ArrayList<>(List.of(row("agent:steady", t, cpu, restarts)));
            if (i < 20) sample.add(row("agent:gone", t, 1.0, 0)); // removed after 100 s
            all.addAll(sample);
            written.addAll(steady.changed(sample));
        }
        long steadyRows = written.stream().filter(r -> r.subject().equals("agent:steady")).count();
        assertThat(steadyRows).as("far fewer rows than the 120 samples").isLessThan(30);
        assertThat(written).filteredOn(r -> r.restarts() > 0).hasSize(1);
        // no two rows of a subject further apart than a steady row's period plus a sample
        for (String s : List.of("agent:steady", "agent:gone")) {
            List<Long> ts = written.stream().filter(r -> r.subject().equals(s)).map(UsageSample::timeMs).toList();
            for (int k = 1; k < ts.size(); k++) assertThat(ts.get(k) - ts.get(k - 1)).isLessThanOrEqualTo(HistoryRecorder.STEADY_ROW_MS + 5_000);
        }

        try (Store full = Store.open(home.resolve("full"), StoreOptions.defaults().withScheduledRetention(false));
             Store lean = Store.open(home.resolve("lean"), StoreOptions.defaults().withScheduledRetention(false))) {
            full.usage().insert(all);
            lean.usage().insert(written);
            UsageHistory a = HistoryRecorder.query(full.usage(), "agent:steady", "live", now);
            UsageHistory b = HistoryRecorder.query(lean.usage(), "agent:steady", "live", now);
            assertThat(b.points()).as("the same chart from the fewer rows").isEqualTo(a.points());
            assertThat(b.points().stream().mapToLong(UsageHistory.UsagePoint::restarts).sum()).isEqualTo(1);
            UsageHistory gone = HistoryRecorder.query(lean.usage(), "agent:gone", "live", now);
            long lastSample = start + 19 * 5_000;
            assertThat(gone.points()).isNotEmpty().allSatisfy(p -> assertThat(p.timeMs()).isLessThanOrEqualTo(lastSample + HistoryRecorder.FILL_MS));
            assertThat(gone.points().get(gone.points().size() - 1).timeMs()).as("points until the subject left").isGreaterThanOrEqualTo(lastSample);
        }
    }
}
