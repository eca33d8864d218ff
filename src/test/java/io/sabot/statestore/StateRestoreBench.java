package io.sabot.statestore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Restore figures (issue 20): time to restore a partition store of N entries from its changelog
 * alone and from a local checkpoint (plus, for RocksDB, from its own live database), both
 * backends. Keys 8 bytes, values {@code bench.valueBytes} (default 100), written in batches of
 * 1,000 (one batch = one changelog record). A single run per figure.
 *
 * <p>Run: {@code mvn -B -o -Pbench test -Dtest=StateRestoreBench -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.entries=100000,1000000} is the default).
 */
@Tag("bench")
class StateRestoreBench {
    @Test
    void restoreTimes() throws Exception {
        String[] sizes = System.getProperty("bench.entries", "100000,1000000").split(",");
        int valueBytes = Integer.getInteger("bench.valueBytes", 100);
        Path root = Files.createTempDirectory("sabot-restore-bench");
        try {
            System.out.printf("%-8s %10s %14s %14s %14s %12s%n", "backend", "entries", "changelog ms", "checkpoint ms", "live db ms", "disk MB");
            for (String backend : new String[] {Stores.MEMORY, Stores.ROCKSDB}) {
                for (String s : sizes) {
                    long n = Long.parseLong(s.trim());
                    Path dir = root.resolve(backend + "-" + n);
                    long[] r = run(dir, backend, n, valueBytes);
                    System.out.printf("%-8s %,10d %,14d %,14d %14s %12.1f%n", backend, n, r[0], r[1], r[2] < 0 ? "-" : String.format("%,d", r[2]),
                            r[3] / 1e6);
                    Stores.deleteTree(dir);
                }
            }
        } finally {
            Stores.deleteTree(root);
        }
    }

    /** {changelog ms, checkpoint ms, live ms or -1, disk bytes}. */
    static long[] run(Path dir, String backend, long n, int valueBytes) throws Exception {
        PartitionStore s = PartitionStore.open("bench", "t", 0, dir, backend, Long.MAX_VALUE, 5_000);
        s.restore(0, (d, t) -> { });
        Random rnd = new Random(1);
        byte[] v = new byte[valueBytes];
        long offset = 0;
        for (long i = 0; i < n; i++) {
            rnd.nextBytes(v);
            s.put(java.nio.ByteBuffer.allocate(8).putLong(i).array(), v.clone());
            if ((i + 1) % 1_000 == 0 || i == n - 1) s.commit(++offset);
        }
        s.close(false);
        long disk = Stores.sizeOf(dir);
        // 1. changelog only: no checkpoint, no live database
        Stores.deleteTree(dir.resolve("live"));
        long changelogMs = timeRestore(dir, backend, offset, n);
        // 2. checkpoint: write one, then restore without a live database
        PartitionStore c = PartitionStore.open("bench", "t", 0, dir, backend, Long.MAX_VALUE, 5_000);
        c.restore(offset, (d, t) -> { });
        c.checkpoint();
        c.close(false);
        Stores.deleteTree(dir.resolve("live"));
        long checkpointMs = timeRestore(dir, backend, offset, n);
        // 3. RocksDB: its own database as the last owner left it
        long liveMs = backend.equals(Stores.ROCKSDB) ? timeRestore(dir, backend, offset, n) : -1;
        return new long[] {changelogMs, checkpointMs, liveMs, disk};
    }

    static long timeRestore(Path dir, String backend, long offset, long n) throws Exception {
        long t0 = System.nanoTime();
        PartitionStore s = PartitionStore.open("bench", "t", 0, dir, backend, Long.MAX_VALUE, 5_000);
        PartitionStore.Restored r = s.restore(offset, (d, t) -> { });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (r.offset() != offset) throw new AssertionError("restored to " + r.offset() + ", wanted " + offset);
        if (backend.equals(Stores.MEMORY) && s.entries() != n) throw new AssertionError("entries " + s.entries() + ", wanted " + n);
        s.close(false);
        return ms;
    }
}
