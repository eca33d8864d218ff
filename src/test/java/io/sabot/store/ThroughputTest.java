package io.sabot.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prints durable transition throughput (not asserted: the machine is shared). */
class ThroughputTest {
    @TempDir
    Path home;

    @Test
    void measureDurableTransitionsPerSecond() throws Exception {
        try (Store s = Store.open(home, StoreOptions.defaults().withScheduledRetention(false))) {
            JournalWriter j = s.journal();
            run(j, 2_000, 1); // warm-up
            int n = 100_000;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) j.submit(transition(i));
            j.sync();
            double burst = n / ((System.nanoTime() - t0) / 1e9);

            int threads = 32;
            int per = 2_000;
            double committers = run(j, per, threads);
            double single = run(j, 2_000, 1);
            JournalStats st = j.stats();
            System.out.printf("THROUGHPUT durable transitions/s: burst of %,d then sync: %,.0f/s; %d threads each "
                            + "submit+awaitDurable: %,.0f/s; 1 thread submit+awaitDurable: %,.0f/s "
                            + "(batches %,d, largest %,d)%n", n, burst, threads, committers, single, st.batches(),
                    st.largestBatch());
            assertThat(s.transitions().count()).isEqualTo(2_000L + n + (long) threads * per + 2_000);
        }
    }

    private static double run(JournalWriter j, int per, int threads) throws InterruptedException {
        Thread[] ts = new Thread[threads];
        long t0 = System.nanoTime();
        for (int k = 0; k < threads; k++) {
            ts[k] = new Thread(() -> {
                for (int i = 0; i < per; i++) j.commit(transition(i));
            });
            ts[k].start();
        }
        for (Thread t : ts) t.join();
        return (double) per * threads / ((System.nanoTime() - t0) / 1e9);
    }

    private static TransitionRecord transition(int i) {
        return new TransitionRecord(Instant.now(), "agent-" + (i % 100), "STARTING", "RUNNING", "ready", null, null,
                "ready after start", "4bf92f3577b34da6a3ce929d0e0e4736");
    }
}
