package io.sabot.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.NoJavaNames;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged, truncated and missing databases, on real H2 files: moved aside (never deleted), the
 * newest backup that passes a full scan restored, the snapshot laid over it, and every notice
 * naming what was done and what could not be recovered.
 */
class StoreRepairTest {
    @TempDir
    Path home;

    static StoreOptions opts() {
        // no scheduled backups or scans: the tests take them when they mean to
        return StoreOptions.defaults().withScheduledRetention(false)
                .withSafety(SafetyPolicy.defaults().withBackups(Duration.ZERO, Duration.ZERO, 3));
    }

    static final Instant T = Instant.parse("2026-01-01T10:00:00Z");

    /** A fleet: agents a and b running, lots of history, a backup; then, after the backup, c added, a stopped, b removed. */
    private void fleetWithBackupThenChanges() {
        try (Store s = Store.open(home, opts())) {
            JournalWriter j = s.journal();
            j.commitAll(List.of(new SpecRecord("a", "{\"name\":\"a\"}", T), new SpecRecord("b", "{\"name\":\"b\"}", T),
                    new DesiredStateRecord("a", true, 1, T), new DesiredStateRecord("b", true, 1, T),
                    new OffsetRecord("tx", 0, 100, T)));
            history(j, 30_000);
            assertThat(s.backupIfDue(true)).as("backup taken: %s", s.status().backupProblem()).isNotNull();
            j.commitAll(List.of(new SpecRecord("c", "{\"name\":\"c\"}", T), new DesiredStateRecord("c", true, 1, T),
                    new DesiredStateRecord("a", false, 1, T), new AgentRemovalRecord("b", T), new OffsetRecord("tx", 0, 250, T)));
            history(j, 2_000);
        }
    }

    private static void history(JournalWriter j, int n) {
        List<JournalRecord> rs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rs.add(new TransitionRecord(T.plusMillis(i), "a-0", "RUNNING", "BACKOFF", "crash", 1, null, "exit 1 " + "x".repeat(80), null));
        }
        j.commitAll(rs);
    }

    private static Map<String, Boolean> desired(Store s) {
        return s.recovery().load().desired().values().stream().collect(Collectors.toMap(DesiredStateRecord::agent, DesiredStateRecord::running));
    }

    private static List<String> specs(Store s) {
        return s.recovery().load().specs().stream().map(SpecRecord::name).sorted().toList();
    }

    private void damageMiddleThird() throws Exception {
        Path db = home.resolve("sabot.mv.db");
        long size = Files.size(db);
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            byte[] junk = new byte[(int) (size / 3)];
            for (int i = 0; i < junk.length; i++) junk[i] = (byte) (i * 31 + 7);
            f.seek(size / 3);
            f.write(junk);
        }
    }

    @Test
    void aDatabaseDamagedInTheMiddleIsRestoredFromTheBackupAndTheSnapshot() throws Exception {
        fleetWithBackupThenChanges();
        damageMiddleThird();
        boolean olderVersion;
        try (HomeLock lock = HomeLock.acquire(home); Store s = Store.openChecked(lock, opts())) {
            assertThat(specs(s)).containsExactly("a", "c");
            assertThat(desired(s)).containsEntry("a", false).containsEntry("c", true).doesNotContainKey("b");
            assertThat(s.recovery().load().offsets()).anyMatch(o -> o.offset() == 250);
            String notices = String.join("\n", s.notices());
            olderVersion = notices.contains("had lost its latest writes");
            if (olderVersion) {
                // H2 may open the file at an older intact version when the damage hit only newer
                // chunks: then the snapshot brings specs and desired state forward, and says so
                assertThat(notices).contains("from the snapshot of").contains("agents removed since: b")
                        .contains("history recorded after generation");
            } else {
                assertThat(notices).contains("moved aside to " + home.resolve("sabot.mv.db.damaged-"))
                        .contains("restored the backup of").contains("history recorded after that")
                        .contains("from the snapshot of").contains("agents: a, c");
            }
            NoJavaNames.check("notices", notices);
            assertThat(s.fleetStateLost()).isFalse();
            // the restored store writes, and a full scan passes
            s.journal().commit(new EventRecord(Instant.now(), "k", null, "after the repair"));
            assertThat(s.check().ok()).as("%s", s.check().problems()).isTrue();
        }
        assertThat(StoreRepair.movedAside(home)).hasSize(olderVersion ? 0 : 1);
        // the next start finds the repaired store as it was left
        try (Store s = Store.open(home, opts())) {
            assertThat(s.notices()).isEmpty();
            assertThat(specs(s)).containsExactly("a", "c");
        }
    }

    /** Session one: a running; session two (after {@code between}): d added, a stopped. */
    private void twoSessions(Runnable between) {
        try (Store s = Store.open(home, opts())) {
            s.journal().commitAll(List.of(new SpecRecord("a", "{}", T), new DesiredStateRecord("a", true, 1, T)));
            history(s.journal(), 5_000);
        }
        between.run();
        try (Store s = Store.open(home, opts())) {
            s.journal().commitAll(List.of(new SpecRecord("d", "{}", T), new DesiredStateRecord("d", true, 1, T),
                    new DesiredStateRecord("a", false, 1, T)));
            history(s.journal(), 5_000);
        }
    }

    private void assertLatestStateBack(String... noticeHints) {
        try (Store s = Store.open(home, opts())) {
            assertThat(specs(s)).containsExactly("a", "d");
            assertThat(desired(s)).containsEntry("a", false).containsEntry("d", true);
            String notices = String.join("\n", s.notices());
            assertThat(notices).as(notices).containsAnyOf(noticeHints).contains("snapshot of");
            NoJavaNames.check("notices", notices);
            s.journal().sync();
        }
        try (Store s = Store.open(home, opts())) {
            assertThat(specs(s)).as("the database itself holds them again").containsExactly("a", "d");
            assertThat(s.notices()).isEmpty();
        }
    }

    @Test
    void aDatabaseThatLostItsLatestWritesGetsThemBackFromTheSnapshot() throws Exception {
        Path older = home.resolveSibling(home.getFileName() + "-older.mv.db");
        twoSessions(() -> {
            try {
                Files.copy(home.resolve("sabot.mv.db"), older);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Files.copy(older, home.resolve("sabot.mv.db"), java.nio.file.StandardCopyOption.REPLACE_EXISTING); // as a restore by hand would
        assertLatestStateBack("had lost its latest writes");
    }

    @Test
    void aTruncatedDatabaseIsRestoredWithTheSnapshot() throws Exception {
        twoSessions(() -> { });
        try (FileChannel ch = FileChannel.open(home.resolve("sabot.mv.db"), StandardOpenOption.WRITE)) {
            ch.truncate(12 * 1024); // the headers and little else
        }
        assertLatestStateBack("had lost its latest writes", "could not be read");
        assertThat(StoreRepair.movedAside(home).size() + (Files.exists(home.resolve("sabot.mv.db")) ? 0 : 1)).isLessThanOrEqualTo(1);
    }

    @Test
    void aDamagedBackupIsSkippedAndNamed() throws Exception {
        try (Store s = Store.open(home, opts())) {
            s.journal().commitAll(List.of(new SpecRecord("a", "{}", T), new DesiredStateRecord("a", true, 1, T)));
            assertThat(s.backupIfDue(true)).isNotNull();
            Thread.sleep(5); // distinct backup names
            s.journal().commitAll(List.of(new SpecRecord("b", "{}", T)));
            assertThat(s.backupIfDue(true)).isNotNull();
        }
        List<Backups.Backup> bs = Backups.list(home);
        assertThat(bs).hasSize(2);
        Files.write(bs.get(0).file(), new byte[] {1, 2, 3}); // the newest is not even a zip now
        Files.delete(home.resolve("sabot.mv.db"));
        Files.deleteIfExists(home.resolve(SnapshotFile.NAME));
        Files.deleteIfExists(home.resolve(SnapshotFile.SLOTS));
        try (Store s = Store.open(home, opts())) {
            String notices = String.join("\n", s.notices());
            assertThat(notices).contains("was missing").contains("backup " + bs.get(0).file().getFileName() + " is damaged too, skipped")
                    .contains("restored the backup of " + bs.get(1).time())
                    .contains("there was no snapshot: specs and desired state are as of the backup");
            assertThat(specs(s)).containsExactly("a");
            assertThat(s.fleetStateLost()).isTrue();
        }
    }

    @Test
    void withNoBackupAndNoSnapshotTheNoticeSaysTheSpecsAreLost() throws Exception {
        try (Store s = Store.open(home, opts())) {
            s.journal().commitAll(List.of(new SpecRecord("a", "{}", T)));
        }
        try (RandomAccessFile f = new RandomAccessFile(home.resolve("sabot.mv.db").toFile(), "rw")) {
            f.write(new byte[8192]); // the header is gone
        }
        Files.deleteIfExists(home.resolve(SnapshotFile.NAME));
        Files.deleteIfExists(home.resolve(SnapshotFile.SLOTS));
        try (Store s = Store.open(home, opts())) {
            String notices = String.join("\n", s.notices());
            assertThat(notices).contains("could not be read").contains("moved aside to")
                    .contains("there was no usable backup").contains("the fleet's specs could not be recovered (deploy them again)");
            assertThat(specs(s)).isEmpty();
            assertThat(s.fleetStateLost()).isTrue();
            NoJavaNames.check("notices", notices);
        }
    }

    @Test
    void damageFoundWhileRunningIsRepairedOnlineKeepingTheStateTheEngineHolds() throws Exception {
        fleetWithBackupThenChanges();
        StoreOptions scanning = StoreOptions.defaults().withScheduledRetention(false)
                .withSafety(SafetyPolicy.defaults().withBackups(Duration.ofHours(1), Duration.ZERO, 3));
        try (Store s = Store.open(home, scanning)) {
            assertThat(specs(s)).containsExactly("a", "c");
            // the file is damaged under the running store (a failing disk, a stray write)
            s.journal().sync();
            damageMiddleThird();
            StoreCheck check = s.check(); // a full scan: finds it and asks the journal to repair
            assertThat(check.ok()).isFalse();
            s.journal().submit(new EventRecord(Instant.now(), "k", null, "a write that wakes the journal"));
            io.sabot.testing.Await.until(Duration.ofSeconds(30),
                    () -> s.notices().stream().anyMatch(n -> n.contains("became unreadable while the engine ran")), "online repair");
            io.sabot.testing.Await.until(Duration.ofSeconds(30), () -> s.status().ok(), () -> "the store writes again: " + s.status());
            s.journal().commit(new SpecRecord("e", "{}", T));
            assertThat(s.check().ok()).as("%s", s.check().problems()).isTrue();
            assertThat(s.specs().all()).extracting(SpecRecord::name).containsExactlyInAnyOrder("a", "c", "e");
            assertThat(s.desiredStates().all()).anyMatch(d -> d.agent().equals("a") && !d.running());
        }
    }

    @Test
    void aMissingDatabaseComesBackFromTheSnapshot() throws Exception {
        try (Store s = Store.open(home, opts())) {
            s.journal().commitAll(List.of(new SpecRecord("a", "{}", T), new DesiredStateRecord("a", true, 2, T)));
        }
        Files.delete(home.resolve("sabot.mv.db"));
        try (Store s = Store.open(home, opts())) {
            assertThat(specs(s)).containsExactly("a");
            assertThat(String.join("\n", s.notices())).contains("was missing or empty").contains("from the snapshot of");
        }
    }
}
