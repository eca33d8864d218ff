package io.sabot.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.SmallDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {
    @TempDir
    Path tmp;

    static Snapshot snap(long at, String... agents) {
        List<SpecRecord> specs = new java.util.ArrayList<>();
        Map<String, DesiredStateRecord> desired = new java.util.LinkedHashMap<>();
        for (String a : agents) {
            specs.add(new SpecRecord(a, "{\"name\":\"" + a + "\"}", Instant.ofEpochMilli(at)));
            desired.put(a, new DesiredStateRecord(a, true, 2, Instant.ofEpochMilli(at)));
        }
        RecoveredState s = new RecoveredState(specs, desired,
                List.of(new InstanceRecord("a-0", "a", 0, 4242L, Instant.ofEpochMilli(at - 5000), "RUNNING", Instant.ofEpochMilli(at))),
                Map.of("g\u0000tx", new AssignmentRecord("tx", 7, "sticky", "r", List.of(), 0, Instant.ofEpochMilli(at), "g")),
                List.of(new OffsetRecord("tx", 3, 99, Instant.ofEpochMilli(at))));
        return new Snapshot("id-1", 12, false, at, s);
    }

    @Test
    void roundTripsOwnerOnlyAndATornWriteLeavesTheOldSnapshot() throws Exception {
        SnapshotFile f = new SnapshotFile(tmp, false);
        f.write(snap(1000, "a", "b"));
        Snapshot back = f.read();
        assertThat(back.agents()).containsExactly("a", "b");
        assertThat(back.state().instances().get(0).pid()).isEqualTo(4242L);
        assertThat(back.state().offsets().get(0).offset()).isEqualTo(99);
        assertThat(back.state().assignments().get("g\u0000tx").epoch()).isEqualTo(7);
        assertThat(back.dbGeneration()).isEqualTo(12);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.path()))).isEqualTo("rw-------");
        // a writer that died half-way leaves its temporary file, never a torn snapshot
        Files.writeString(tmp.resolve(".sabot.snapshot.json.tmp"), "{\"format\":1,\"specs\":[{\"na");
        assertThat(f.read().agents()).containsExactly("a", "b");
        f.write(snap(2000, "a"));
        assertThat(f.read().agents()).containsExactly("a");
    }

    @Test
    void aFullDiskWritesIntoThePreallocatedSlots() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), 16)) {
            Path home = disk.dir.resolve("home");
            Files.createDirectories(home);
            SnapshotFile f = new SnapshotFile(home, false);
            f.write(snap(1000, "a", "b", "c"));
            assertThat(home.resolve(SnapshotFile.SLOTS)).exists();
            disk.fill();
            f.write(snap(2000, "a")); // "b" and "c" removed while the disk is full
            assertThat(f.read().agents()).containsExactly("a");
            assertThat(SnapshotFile.read(home.resolve(SnapshotFile.NAME)).writtenAtMs()).isEqualTo(2000);
            f.write(snap(3000, "a", "d"));
            assertThat(f.read().agents()).containsExactly("a", "d");
            // the first slot write went to slot 0, the second to slot 1: one spoiled in the middle of its
            // write fails its CRC and the other is taken
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(home.resolve(SnapshotFile.SLOTS),
                    java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap("garbage".getBytes()), ch.size() / 2 + 100);
            }
            assertThat(f.read().agents()).containsExactly("a");
            disk.free();
            f.write(snap(4000, "e"));
            assertThat(f.read().agents()).containsExactly("e");
        }
    }
}
