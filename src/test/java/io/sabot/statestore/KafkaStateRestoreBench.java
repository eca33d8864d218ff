package io.sabot.statestore;

import io.sabot.testing.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Restore figures from a compacted Kafka changelog topic (issue 20), on the test broker (one
 * node on loopback): a partition store of N entries written in batches of 1,000 (each batch
 * flushed to the topic before the next, as an agent does), then restored (1) on a host with
 * nothing local, from the topic alone, and (2) from a local checkpoint taken at 90 % plus the
 * topic's last 10 %. Keys 8 bytes, values {@code bench.valueBytes} (default 100). One run per figure.
 *
 * <p>Run: {@code mvn -B -o -Pbench test -Dtest=KafkaStateRestoreBench -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.entries=100000,1000000} is the default; {@code -Dbench.backends=memory,rocksdb}).
 */
@Tag("bench")
class KafkaStateRestoreBench {
    @Test
    void restoreTimesFromTheTopic() throws Exception {
        String[] sizes = System.getProperty("bench.entries", "100000,1000000").split(",");
        String[] backends = System.getProperty("bench.backends", "memory,rocksdb").split(",");
        int valueBytes = Integer.getInteger("bench.valueBytes", 100);
        KafkaBroker k = KafkaBroker.shared();
        Path root = Files.createTempDirectory("sabot-kafka-restore-bench");
        try (KafkaChangelog cl = new KafkaChangelog("local", k.bootstrap(), Map.of(), "bench")) {
            System.out.printf("%-8s %10s %12s %16s %22s%n", "backend", "entries", "write ms", "topic only ms", "checkpoint+10% ms");
            for (String backend : backends) {
                for (String s : sizes) {
                    long n = Long.parseLong(s.trim());
                    String input = KafkaBroker.uniqueName("bench-in");
                    k.createTopic(input, 1);
                    String topic = KafkaChangelog.topicName(KafkaBroker.uniqueName("bench"), "s");
                    cl.ensureTopic(topic, input);
                    Path dir = root.resolve(backend + "-" + n);
                    long t0 = System.nanoTime();
                    PartitionStore w = PartitionStore.open("s", input, 0, dir, backend, Long.MAX_VALUE, 5_000, cl.partition(topic, 0));
                    w.restore(0, (d, t) -> { });
                    Random rnd = new Random(1);
                    byte[] v = new byte[valueBytes];
                    long offset = 0;
                    for (long i = 0; i < n; i++) {
                        rnd.nextBytes(v);
                        w.put(java.nio.ByteBuffer.allocate(8).putLong(i).array(), v.clone());
                        if ((i + 1) % 1_000 == 0 || i == n - 1) {
                            w.commit(++offset);
                            if (i + 1 == n * 9 / 10) w.checkpoint();
                        }
                    }
                    w.close(false);
                    long writeMs = (System.nanoTime() - t0) / 1_000_000;
                    // 1. a host with nothing local
                    long topicMs = time(root.resolve(backend + "-" + n + "-fresh"), backend, cl, topic, input, offset, n);
                    // 2. this host's checkpoint at 90 %, then the topic
                    Stores.deleteTree(dir.resolve("live"));
                    long cpMs = time(dir, backend, cl, topic, input, offset, n);
                    System.out.printf("%-8s %,10d %,12d %,16d %,22d%n", backend, n, writeMs, topicMs, cpMs);
                    Stores.deleteTree(dir);
                    Stores.deleteTree(root.resolve(backend + "-" + n + "-fresh"));
                    k.admin().deleteTopics(java.util.List.of(topic, input));
                }
            }
        } finally {
            Stores.deleteTree(root);
        }
    }

    private static long time(Path dir, String backend, KafkaChangelog cl, String topic, String input, long offset, long n) throws Exception {
        long t0 = System.nanoTime();
        PartitionStore s = PartitionStore.open("s", input, 0, dir, backend, Long.MAX_VALUE, 5_000, cl.partition(topic, 0));
        PartitionStore.Restored r = s.restore(offset, (d, t) -> { });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (r.offset() != offset) throw new AssertionError("restored to " + r.offset() + ", wanted " + offset);
        if (backend.equals(Stores.MEMORY) && s.entries() != n) throw new AssertionError("entries " + s.entries() + ", wanted " + n);
        System.out.println("  " + backend + " " + n + ": from " + r.source() + ", " + r.changes() + " records");
        s.close(false);
        return ms;
    }
}
