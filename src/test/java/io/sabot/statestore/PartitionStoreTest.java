package io.sabot.statestore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Partition stores on both backends: restore, rollback of uncommitted batches, checkpoints, a torn changelog. */
class PartitionStoreTest {
    @TempDir Path dir;

    private PartitionStore open(String backend, long checkpointMs) throws Exception {
        return PartitionStore.open("s", "tx", 0, dir.resolve("s/tx-0"), backend, checkpointMs, 5_000);
    }

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static String str(byte[] v) { return v == null ? null : new String(v, StandardCharsets.UTF_8); }

    private static final PartitionStore.Progress NONE = (d, t) -> { };

    @ParameterizedTest
    @ValueSource(strings = {Stores.MEMORY, Stores.ROCKSDB})
    void restoreRollsBackUncommittedBatches(String backend) throws Exception {
        PartitionStore s = open(backend, Long.MAX_VALUE);
        s.restore(0, NONE);
        s.put(b("k1"), b("v1"));
        s.commit(10);
        s.put(b("k2"), b("v2"));
        s.commit(20);
        s.put(b("k1"), b("v1-later"));
        s.delete(b("k2"));
        s.commit(30); // its commit never reached the engine: the owner died
        s.close(false);

        s = open(backend, Long.MAX_VALUE);
        PartitionStore.Restored r = s.restore(20, NONE);
        assertThat(r.offset()).isEqualTo(20);
        assertThat(r.warning()).isNull();
        assertThat(str(s.get(b("k1")))).isEqualTo("v1");
        assertThat(str(s.get(b("k2")))).isEqualTo("v2");
        // records 20..29 are processed again, differently this time
        s.put(b("k3"), b("v3"));
        s.commit(25);
        s.close(false);

        s = open(backend, Long.MAX_VALUE);
        r = s.restore(25, NONE);
        assertThat(r.offset()).isEqualTo(25);
        assertThat(str(s.get(b("k1")))).isEqualTo("v1");
        assertThat(str(s.get(b("k2")))).isEqualTo("v2");
        assertThat(str(s.get(b("k3")))).isEqualTo("v3");
        s.close(false);
    }

    @ParameterizedTest
    @ValueSource(strings = {Stores.MEMORY, Stores.ROCKSDB})
    void checkpointThenChangelog(String backend) throws Exception {
        PartitionStore s = open(backend, Long.MAX_VALUE);
        s.restore(0, NONE);
        for (int i = 0; i < 500; i++) {
            s.put(b("k" + (i % 100)), b("v" + i));
            s.commit(i + 1);
        }
        s.checkpoint();
        for (int i = 500; i < 700; i++) {
            s.put(b("k" + (i % 100)), b("v" + i));
            s.commit(i + 1);
        }
        s.close(false);
        s = open(backend, Long.MAX_VALUE);
        List<long[]> progress = new ArrayList<>();
        PartitionStore.Restored r = s.restore(700, (d, t) -> progress.add(new long[] {d, t}));
        assertThat(r.offset()).isEqualTo(700);
        if (backend.equals(Stores.MEMORY)) {
            assertThat(r.source()).isEqualTo("checkpoint+changelog");
            assertThat(r.changes()).isEqualTo(200); // only what came after the checkpoint
        } else {
            assertThat(r.source()).isEqualTo("local store"); // RocksDB's own database was at 700 already
        }
        for (int k = 0; k < 100; k++) assertThat(str(s.get(b("k" + k)))).isEqualTo("v" + (600 + k));
        if (backend.equals(Stores.MEMORY)) assertThat(s.entries()).isEqualTo(100);
        else assertThat(s.entries()).as("RocksDB's estimate (overwrites not yet compacted count)").isBetween(100L, 700L);
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1)[0]).isEqualTo(progress.get(progress.size() - 1)[1]);
        s.close(false);
    }

    @ParameterizedTest
    @ValueSource(strings = {Stores.MEMORY, Stores.ROCKSDB})
    void checkpointNeverAheadOfState(String backend) throws Exception {
        PartitionStore s = open(backend, Long.MAX_VALUE);
        s.restore(0, NONE);
        s.put(b("a"), b("1"));
        s.commit(10);
        s.checkpoint();
        s.put(b("a"), b("2"));
        s.commit(20);
        s.checkpoint(); // written, but the engine only ever heard of offset 10
        s.close(false);
        s = open(backend, Long.MAX_VALUE);
        PartitionStore.Restored r = s.restore(10, NONE);
        assertThat(r.offset()).isEqualTo(10);
        assertThat(str(s.get(b("a")))).isEqualTo("1");
        try (Stream<Path> cps = Files.list(dir.resolve("s/tx-0/checkpoints"))) {
            assertThat(cps.map(p -> p.getFileName().toString()).toList())
                    .as("no checkpoint claims input the state no longer holds").allMatch(n -> Long.parseLong(n.substring(0, n.indexOf('-'))) <= 10);
        }
        s.close(false);
    }

    @ParameterizedTest
    @ValueSource(strings = {Stores.MEMORY, Stores.ROCKSDB})
    void tornChangelogTailIsCutOff(String backend) throws Exception {
        PartitionStore s = open(backend, Long.MAX_VALUE);
        s.restore(0, NONE);
        s.put(b("a"), b("1"));
        s.commit(5);
        s.close(false);
        if (backend.equals(Stores.ROCKSDB)) Stores.deleteTree(dir.resolve("s/tx-0/live")); // replay from the changelog only
        Path seg;
        try (Stream<Path> f = Files.list(dir.resolve("s/tx-0/changelog"))) {
            seg = f.findFirst().orElseThrow();
        }
        Files.write(seg, new byte[] {0, 0, 0, 40, 1, 2, 3}, StandardOpenOption.APPEND); // a batch cut by a SIGKILL
        s = open(backend, Long.MAX_VALUE);
        PartitionStore.Restored r = s.restore(100, NONE);
        assertThat(r.offset()).isEqualTo(5);
        assertThat(r.warning()).contains("resumes at 100");
        assertThat(str(s.get(b("a")))).isEqualTo("1");
        s.put(b("b"), b("2"));
        s.commit(101);
        s.close(false);
        s = open(backend, Long.MAX_VALUE);
        assertThat(s.restore(101, NONE).offset()).isEqualTo(101);
        assertThat(str(s.get(b("b")))).isEqualTo("2");
        s.close(false);
    }

    @ParameterizedTest
    @ValueSource(strings = {Stores.MEMORY, Stores.ROCKSDB})
    void oneOwnerAtATime(String backend) throws Exception {
        PartitionStore s = open(backend, Long.MAX_VALUE);
        s.restore(0, NONE);
        long t0 = System.nanoTime();
        try {
            PartitionStore.open("s", "tx", 0, dir.resolve("s/tx-0"), backend, Long.MAX_VALUE, 300);
            org.junit.jupiter.api.Assertions.fail("a second owner opened the store");
        } catch (java.io.IOException e) {
            assertThat(e.getMessage()).contains("still held");
        }
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(300);
        s.close(false);
        open(backend, Long.MAX_VALUE).close(false);
    }
}
