package io.sabot.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Tracer;
import io.sabot.store.JournalWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExporterOverloadTest {
    @Test
    void fullJournalMakesTheExporterDropAndCountInsteadOfBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stalled = new CountDownLatch(1);
        JournalWriter journal = new JournalWriter(batch -> {
            stalled.countDown();
            release.await(); // the database "hangs"
            return Map.of();
        }, 100, "test-journal");
        try (Telemetry tel = Telemetry.builder().sink(Telemetry.journalSink(journal))
                .exportDelay(Duration.ofMillis(10)).build()) {
            Tracer tracer = tel.tracer();
            tracer.spanBuilder("first").startSpan().end();
            tel.forceFlush();
            assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();

            long t0 = System.nanoTime();
            int n = 5_000;
            for (int i = 0; i < n; i++) {
                tracer.spanBuilder("burst-" + i).startSpan().end();
                if (i % 500 == 499) tel.forceFlush(); // let the batch processor export (not drop) them
            }
            assertThat(tel.forceFlush()).isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            TelemetryStats st = tel.stats();
            System.out.printf("overload: %d spans ended in %d ms with the journal stalled: %d queued, %d dropped%n",
                    n, took.toMillis(), st.stored(), st.dropped());
            assertThat(took).as("span ending and export never block on the stalled store").isLessThan(Duration.ofSeconds(20));
            assertThat(st.ended()).isEqualTo(n + 1);
            assertThat(st.stored()).isEqualTo(100 + 1); // the stalled batch + a full queue
            assertThat(st.dropped()).isEqualTo(n - 100);
            assertThat(journal.stats().droppedLazy()).isEqualTo(n - 100);
        } finally {
            release.countDown();
            journal.close();
        }
    }
}
