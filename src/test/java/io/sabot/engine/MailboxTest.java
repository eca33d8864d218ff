package io.sabot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A mailbox runs its tasks one at a time in the order given; a task given on a pool thread that is
 * not draining runs there at once (no hand-off), one given inside a drain is queued behind it.
 */
class MailboxTest {
    @Test
    void onAPoolThreadATaskRunsInPlaceAndOrderHolds() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2, Mailbox.drainsInline(io.sabot.concurrent.Threads.named("test-mailbox")));
        try {
            Mailbox a = new Mailbox(pool);
            Mailbox b = new Mailbox(pool);
            List<String> order = new ArrayList<>();
            Thread[] ranOn = new Thread[3];
            CountDownLatch done = new CountDownLatch(1);
            pool.execute(() -> {
                Thread me = Thread.currentThread();
                a.execute(() -> {
                    ranOn[0] = Thread.currentThread();
                    synchronized (order) { order.add("a1"); }
                    a.execute(() -> { synchronized (order) { order.add("a2"); } }); // inside a's drain: after a1
                    b.execute(() -> { // another mailbox from inside a drain: queued for the pool, not nested
                        ranOn[1] = Thread.currentThread();
                        synchronized (order) { order.add("b1"); }
                        done.countDown();
                    });
                    synchronized (order) { order.add("a1 end"); }
                });
                ranOn[2] = me;
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            pool.submit(() -> { }).get(10, TimeUnit.SECONDS);
            synchronized (order) {
                assertThat(order.indexOf("a1 end")).as("a2 waits for a1 to finish").isLessThan(order.indexOf("a2"));
                assertThat(order).contains("a1", "a2", "b1");
            }
            assertThat(ranOn[0]).as("drained in place on the pool thread").isSameAs(ranOn[2]);

            // from a thread outside the pool: handed to the pool; a burst from many threads still one at a time, in order per sender
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxRunning = new AtomicInteger();
            List<Integer> seen = new ArrayList<>();
            CountDownLatch all = new CountDownLatch(2000);
            Runnable sender = () -> {
                for (int i = 0; i < 1000; i++) {
                    int n = i;
                    a.execute(() -> {
                        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                        synchronized (seen) { seen.add(n); }
                        running.decrementAndGet();
                        all.countDown();
                    });
                }
            };
            Thread t = new Thread(sender);
            t.start();
            pool.execute(sender); // a pool thread sending too: some of its tasks drain in place
            t.join(10_000);
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(maxRunning.get()).as("never two tasks of one mailbox at once").isEqualTo(1);
            assertThat(seen).hasSize(2000);
        } finally {
            pool.shutdownNow();
        }
    }
}
