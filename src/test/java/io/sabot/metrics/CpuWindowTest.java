package io.sabot.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The sliding CPU window over 10 ms clock ticks (what /proc/PID/stat gives). */
class CpuWindowTest {
    private static final long S = 1_000_000_000L, TICK = 10_000_000L;

    @Test
    void aSteadyFractionOfAPercentReadsSteadyOnceTheWindowIsFull() {
        CpuWindow w = new CpuWindow();
        // 0.4 % of a core: 4 ms a second, seen as a 10 ms tick every 2.5 s
        long usedNs = 0;
        double last = 0;
        for (int s = 0; s <= 60; s++) {
            long ticks = usedNs / TICK; // what the kernel reports: whole ticks
            last = w.add(s * S, ticks * TICK);
            if (s >= 11) assertThat(last).as("second " + s).isCloseTo(0.4, within(0.11));
            usedNs += 4_000_000L;
        }
        assertThat(last).isCloseTo(0.4, within(0.11));
    }

    @Test
    void aOneSecondDifferenceWouldFlickerButTheWindowDoesNot() {
        // the same ticks as above, read per second as the old sampler did: 0 % or 1 %
        long usedNs = 0;
        double min = 100, max = 0;
        CpuWindow w = new CpuWindow();
        for (int s = 0; s <= 60; s++) {
            double v = w.add(s * S, usedNs / TICK * TICK);
            if (s >= 11) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            usedNs += 4_000_000L;
        }
        assertThat(max - min).as("spread of the figure once the window is full").isLessThan(0.2);
    }

    @Test
    void firstSampleIsZeroAndABusyStartShowsAtOnce() {
        CpuWindow w = new CpuWindow();
        assertThat(w.add(0, 0)).isZero();
        assertThat(w.add(S, S)).isCloseTo(100, within(0.01)); // one full core in its first second
    }

    @Test
    void theWindowForgetsWhatIsOlderThanTenSeconds() {
        CpuWindow w = new CpuWindow();
        w.add(0, 0);
        w.add(S, 5 * S / 10); // a burst of 50 % in the first second
        double v = 0;
        for (int s = 2; s <= 13; s++) v = w.add(s * S, 5 * S / 10);
        assertThat(v).isZero(); // the burst has left the window
        w.reset();
        assertThat(w.add(14 * S, 0)).isZero();
    }
}
