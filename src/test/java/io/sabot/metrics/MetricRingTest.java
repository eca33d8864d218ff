package io.sabot.metrics;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MetricRingTest {
    @Property(tries = 200)
    void behavesLikeABoundedQueue(@ForAll @IntRange(min = 1, max = 50) int capacity, @ForAll @IntRange(min = 0, max = 200) int adds) {
        MetricRing ring = new MetricRing(capacity);
        ArrayDeque<Long> model = new ArrayDeque<>();
        for (int i = 0; i < adds; i++) {
            ring.add(i, i * 0.5, i * 1000L, i % 7);
            model.addLast((long) i);
            if (model.size() > capacity) model.removeFirst();
        }
        long[] ts = new long[capacity];
        double[] cpu = new double[capacity];
        long[] rss = new long[capacity];
        int[] th = new int[capacity];
        int n = ring.copyTo(ts, cpu, rss, th);
        assertThat(n).isEqualTo(model.size()).isEqualTo(ring.size());
        int k = 0;
        for (long v : model) {
            assertThat(ts[k]).isEqualTo(v);
            assertThat(cpu[k]).isEqualTo(v * 0.5);
            assertThat(rss[k]).isEqualTo(v * 1000L);
            assertThat(th[k]).isEqualTo((int) (v % 7));
            k++;
        }
        assertThat(ring.added()).isEqualTo(adds);
        if (adds > 0) assertThat(ring.latest(1).timestampMs()).isEqualTo(adds - 1);
        // null arrays skip series
        assertThat(ring.copyTo(null, cpu, null, null)).isEqualTo(n);
    }

    @Test
    void readersSeeConsistentOrderedSnapshotsUnderConcurrentWrites() throws Exception {
        MetricRing ring = new MetricRing(600);
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 200_000; i++) ring.add(i, i, i, 1);
        });
        writer.start();
        long[] ts = new long[600];
        double[] cpu = new double[600];
        List<String> problems = new ArrayList<>();
        while (writer.isAlive()) {
            int n = ring.copyTo(ts, cpu, null, null);
            for (int i = 1; i < n; i++) {
                if (ts[i] != ts[i - 1] + 1 || cpu[i] != ts[i]) problems.add("at " + i + ": " + ts[i - 1] + "," + ts[i]);
            }
        }
        writer.join();
        assertThat(problems).isEmpty();
        MetricRing.Snapshot s = ring.snapshot();
        assertThat(s.size()).isEqualTo(600);
        assertThat(s.timestamps()[599]).isEqualTo(199_999);
    }
}
