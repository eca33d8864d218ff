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

    /** A batch writer over a "disk" that can be full: records what it committed, counts reopenings. */
    static final class FlakyDisk implements JournalWriter.BatchWriter {
        volatile boolean full = true;
        final java.util.concurrent.atomic.AtomicInteger recovers = new java.util.concurrent.atomic.AtomicInteger();
        final List<JournalRecord> committed = new CopyOnWriteArrayList<>();

        @Override
        public Map<Long, Exception> write(List<JournalWriter.Entry> batch) throws Exception {
            if (full) throw new java.sql.SQLException("General error: \"org.h2.mvstore.MVStoreException: Writing to sun.nio.ch.FileChannelImpl@1 failed\"",
                    "HY000", 50000, new java.io.IOException("No space left on device"));
            for (JournalWriter.Entry e : batch) committed.add(e.record());
            return Map.of();
        }

        @Override
        public void recover(Throwable failure) {
            recovers.incrementAndGet();
        }
    }

    @Test
    void aFailingStoreIsRetriedAndNothingDurableIsLost() throws Exception {
        FlakyDisk disk = new FlakyDisk();
        List<JournalWriter.JournalHealth> heard = new CopyOnWriteArrayList<>();
        try (JournalWriter j = new JournalWriter(disk, 1000, "test-journal")) {
            j.onHealth(heard::add);
            long t = 0;
            for (int i = 0; i < 50; i++) t = j.submit(ev(i));
            final long last = t;
            ChildJvm.waitUntil("the journal to report the failure", Duration.ofSeconds(10), () -> j.health().failing());
            assertThat(j.trySync()).as("the barrier does not wait for a full disk").isFalse();
            assertThatThrownBy(() -> j.awaitDurable(last)).isInstanceOf(JournalException.class)
                    .hasMessageContaining("not recorded durably yet").hasMessageContaining("No space left on device")
                    .hasMessageNotContaining("Exception").hasMessageNotContaining("org.h2");
            assertThat(j.health().held()).isEqualTo(50);
            ChildJvm.waitUntil("a reopen attempt", Duration.ofSeconds(10), () -> disk.recovers.get() >= 2);
            assertThat(j.submit(ev(50))).as("submitting still works while failing").isPositive();
            disk.full = false;
            ChildJvm.waitUntil("everything written", Duration.ofSeconds(10), () -> disk.committed.size() == 51);
            assertThat(j.trySync()).isTrue();
            j.awaitDurable(last);
            assertThat(disk.committed).extracting(r -> ((EventRecord) r).text()).startsWith("e0", "e1", "e2").endsWith("e50");
            assertThat(j.health().failing()).isFalse();
            assertThat(heard).hasSize(2);
            assertThat(heard.get(0).failing()).isTrue();
            assertThat(heard.get(1).failing()).isFalse();
            assertThat(heard.get(1).recoveredAfterMs()).isPositive();
        }
    }

    @Test
    void whileFailingAFullQueueKeepsTheNewestStateAndCountsWhatItDrops() throws Exception {
        FlakyDisk disk = new FlakyDisk();
        try (JournalWriter j = new JournalWriter(disk, 100, "test-journal")) {
            j.submit(ev(-1));
            ChildJvm.waitUntil("the journal to report the failure", Duration.ofSeconds(10), () -> j.health().failing());
            Thread producer = new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    j.submit(new TransitionRecord(Instant.EPOCH, "a-0", "RUNNING", "BACKOFF", "crash", 1, null, "exit 1", null));
                    j.submit(new OffsetRecord("tx", i % 3, i, Instant.EPOCH));
                    j.submit(new SpecRecord("agent" + (i % 5), "{\"v\":" + i + "}", Instant.EPOCH));
                    j.submit(metric());
                }
                j.submit(new DesiredStateRecord("agent1", false, 1, Instant.EPOCH));
                j.submit(new AgentRemovalRecord("agent4", Instant.EPOCH));
            });
            producer.start();
            producer.join(20_000);
            assertThat(producer.isAlive()).as("submit never blocks while the store is failing").isFalse();
            assertThat(j.health().notRecorded()).containsKey("transitions");
            assertThat(j.health().held()).isLessThanOrEqualTo(100);
            disk.full = false;
            ChildJvm.waitUntil("everything held written", Duration.ofSeconds(10), () -> j.trySync());
            Map<String, String> specs = new java.util.HashMap<>();
            Map<Integer, Long> offsets = new java.util.HashMap<>();
            DesiredStateRecord desired = null;
            boolean removed = false;
            for (JournalRecord r : disk.committed) {
                if (r instanceof SpecRecord) specs.put(((SpecRecord) r).name(), ((SpecRecord) r).json());
                if (r instanceof OffsetRecord) offsets.merge(((OffsetRecord) r).partition(), ((OffsetRecord) r).offset(), Math::max);
                if (r instanceof DesiredStateRecord) desired = (DesiredStateRecord) r;
                if (r instanceof AgentRemovalRecord) removed = true;
            }
            assertThat(specs).containsEntry("agent0", "{\"v\":1995}").containsEntry("agent3", "{\"v\":1998}");
            assertThat(offsets).containsEntry(0, 1998L).containsEntry(1, 1999L).containsEntry(2, 1997L);
            assertThat(desired).isNotNull();
            assertThat(desired.running()).isFalse();
            assertThat(removed).isTrue();
            assertThat(j.stats().notRecorded()).isPositive();
        }
    }

    @Test
    void closingWhileTheStoreFailsGivesUpAfterThePatienceAndNamesWhatItAbandoned() {
        FlakyDisk disk = new FlakyDisk();
        JournalWriter j = new JournalWriter(disk, 100, "test-journal");
        j.closePatience(Duration.ofMillis(300));
        j.submit(new DesiredStateRecord("flood", false, 1, Instant.EPOCH));
        j.submit(ev(1));
        long t0 = System.nanoTime();
        j.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        assertThat(j.abandoned()).containsEntry("desired states", 1L).containsEntry("events", 1L);
        assertThat(j.abandonedKeyed()).hasSize(1);
        assertThat(j.trySync()).isFalse();
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
