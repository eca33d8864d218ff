package io.sabot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HistoryFilterTest {
    private final HistoryFilter f = new HistoryFilter(5_000, 60_000, 2.0, 0.02);

    @Test
    void aSteadyProcessIsWrittenOnceAMinute() {
        int kept = 0;
        for (long t = 0; t < 600_000; t += 1_000) if (f.admit("a-0", t, 0.0, 10_000_000, 1)) kept++;
        assertThat(kept).isEqualTo(10);
    }

    @Test
    void aChangeIsWrittenAfterTheMinimumGapAndNotBefore() {
        assertThat(f.admit("a-0", 0, 0.0, 10_000_000, 1)).isTrue();
        assertThat(f.admit("a-0", 1_000, 50.0, 10_000_000, 1)).as("within 5 s").isFalse();
        assertThat(f.admit("a-0", 5_000, 50.0, 10_000_000, 1)).as("CPU moved").isTrue();
        assertThat(f.admit("a-0", 10_000, 51.0, 10_000_000, 1)).as("1 point is noise").isFalse();
        assertThat(f.admit("a-0", 11_000, 50.0, 10_500_000, 1)).as("memory +5%").isTrue();
        assertThat(f.admit("a-0", 16_000, 50.0, 10_500_000, 2)).as("a new thread").isTrue();
        assertThat(f.admit("b-0", 16_000, 50.0, 10_500_000, 2)).as("subjects are independent").isTrue();
        f.forget("a-0");
        assertThat(f.admit("a-0", 17_000, 50.0, 10_500_000, 2)).as("forgotten: written at once").isTrue();
    }
}
