package io.sabot.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class JournalWriterTest {
    private static EventRecord ev(int i) { return new EventRecord(Instant.EPOCH, "k", null, "e" + i); }

    private static MetricRecord metric() { return new MetricRecord("host", Instant.EPOCH, 1, 1, 1); }

    @Test
    void fullQueueBlocksDurableSubmitsAndDropsLazyOnesCountingThem() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        JournalWriter.BatchWriter stalled = batch -> {
            writing.countDown();
            release.await();
            batchSizes.add(batch.size());
            return Map.of();
        };
        try (JournalWriter j = new JournalWriter(stalled, 4, "test-journal")) {
            long first = j.submit(ev(0)); // taken by the writer, which then stalls
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= 4; i++) j.submit(ev(i)); // fills the queue
            assertThat(j.submit(metric())).isEqualTo(JournalWriter.DROPPED);
            assertThat(j.submit(metric())).isEqualTo(JournalWriter.DROPPED);
            assertThat(j.stats().droppedLazy()).isEqualTo(2);

            AtomicLong blockedTicket = new AtomicLong();
            Thread producer = new Thread(() -> blockedTicket.set(j.submit(ev(5))));
            producer.start();
            ChildJvm.waitUntil("producer to block on the full queue", Duration.ofSeconds(10),
                    () -> producer.getState() == Thread.State.WAITING);
            assertThat(blockedTicket.get()).isZero();
            assertThat(j.awaitDurable(first, Duration.ofMillis(20))).isFalse();

            release.countDown();
            producer.join(10_000);
            assertThat(blockedTicket.get()).isEqualTo(6);
            j.awaitDurable(blockedTicket.get());
            j.sync();
            assertThat(batchSizes.get(0)).isEqualTo(1);
            assertThat(batchSizes.get(1)).as("everything queued goes in one transaction").isEqualTo(4);
            assertThat(j.stats().written()).isEqualTo(6);
        }
    }

    @Test
    void concurrentCommittersShareTransactions() throws Exception {
        AtomicLong transactions = new AtomicLong();
        JournalWriter.BatchWriter slow = batch -> {
            transactions.incrementAndGet();
            Thread.sleep(2); // like an fsync
            return Map.of();
        };
        try (JournalWriter j = new JournalWriter(slow, 1024, "test-journal")) {
            Thread[] ts = new Thread[16];
            for (int k = 0; k < ts.length; k++) {
                ts[k] = new Thread(() -> {
                    for (int i = 0; i < 50; i++) j.commit(ev(i));
                });
                ts[k].start();
            }
            for (Thread t : ts) t.join();
            assertThat(j.stats().written()).isEqualTo(800);
            assertThat(transactions.get()).isLessThan(400);
        }
    }

    @Test
    void failedCommitStopsTheJournalAndEveryWaiterHearsIt() {
        JournalWriter.BatchWriter broken = batch -> {
            throw new java.sql.SQLException("disk full");
        };
        JournalWriter j = new JournalWriter(broken, 16, "test-journal");
        long t = j.submit(ev(1));
        assertThatThrownBy(() -> j.awaitDurable(t)).isInstanceOf(JournalException.class).hasMessageContaining("disk full");
        assertThatThrownBy(() -> j.submit(ev(2))).isInstanceOf(JournalException.class).hasMessageContaining("disk full");
        assertThat(j.stats().failed()).isTrue();
        j.close();
    }

    @Test
    void closeWritesWhatIsQueuedThenRefuses() {
        List<JournalWriter.Entry> seen = new CopyOnWriteArrayList<>();
        JournalWriter j = new JournalWriter(batch -> {
            seen.addAll(batch);
            return Map.of();
        }, 1000, "test-journal");
        for (int i = 0; i < 100; i++) j.submit(ev(i));
        j.close();
        assertThat(seen).hasSize(100);
        assertThatThrownBy(() -> j.submit(ev(0))).isInstanceOf(JournalException.class).hasMessageContaining("closed");
    }
}
