package io.sabot.store;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Child JVM for the kill -9 test: writes a burst of durable transitions and offsets from several
 * threads through the journal and prints {@code ACK <n>} after each {@code awaitDurable}.
 */
public final class DurabilityChild {
    public static final String TOPIC = "burst";
    public static final int PARTITIONS = 4;

    private DurabilityChild() { }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        Store store = Store.open(home, StoreOptions.defaults().withScheduledRetention(false));
        System.out.println("OPEN " + ProcessHandle.current().pid());
        JournalWriter j = store.journal();
        Thread[] ts = new Thread[threads];
        for (int k = 0; k < threads; k++) {
            final int lane = k;
            ts[k] = new Thread(() -> {
                for (long i = lane; ; i += threads) {
                    long tt = j.submit(new TransitionRecord(Instant.now(), "burst-" + (i % 10), "STARTING", "RUNNING",
                            "test", null, null, "n=" + i, null));
                    long to = j.submit(new OffsetRecord(TOPIC, (int) (i % PARTITIONS), i, Instant.now()));
                    j.awaitDurable(tt);
                    j.awaitDurable(to);
                    System.out.println("ACK " + i);
                }
            });
            ts[k].start();
        }
        for (Thread t : ts) t.join();
    }
}
