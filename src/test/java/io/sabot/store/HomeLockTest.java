package io.sabot.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeLockTest {
    @TempDir
    Path home;
    private ChildJvm child;

    @AfterEach
    void cleanup() {
        if (child != null) child.close();
    }

    private static StoreOptions opts() {
        return StoreOptions.defaults().withScheduledRetention(false);
    }

    @Test
    void homeHeldByAnotherJvmFailsFastNamingItsPidAndNothingIsDamaged() throws Exception {
        try (Store s = Store.open(home, opts())) {
            s.specs().put(new SpecRecord("a", "{\"x\":1}", Instant.now()));
        }
        String before = Files.readString(home.resolve("engine.lock"));
        child = new ChildJvm(LockHolderChild.class, home.toString());
        ChildJvm.waitUntil("child to hold the home", Duration.ofSeconds(30),
                () -> child.lines.stream().anyMatch(l -> l.startsWith("HOLDING")) || !child.process.isAlive());
        String lockContent = Files.readString(home.resolve("engine.lock"));
        assertThat(lockContent).contains("pid=" + child.pid()).isNotEqualTo(before);

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Store.open(home, opts()))
                .isInstanceOf(HomeLockedException.class)
                .hasMessageContaining("home " + home.toAbsolutePath())
                .hasMessageContaining("pid " + child.pid())
                .hasMessageContaining("LockHolderChild")
                .satisfies(e -> assertThat(((HomeLockedException) e).holderPid()).hasValue(child.pid()));
        assertThatThrownBy(() -> HomeLock.acquire(home)).isInstanceOf(HomeLockedException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        assertThat(Files.readString(home.resolve("engine.lock"))).as("failed attempt leaves the lock file alone")
                .isEqualTo(lockContent);

        child.kill9();
        try (Store s = Store.open(home, opts())) {
            assertThat(s.specs().get("a")).map(SpecRecord::json).contains("{\"x\":1}");
        }
    }

    @Test
    void secondLockInSameJvmNamesThisProcessAndReleaseAllowsReacquire() {
        try (HomeLock lock = HomeLock.acquire(home)) {
            assertThatThrownBy(() -> HomeLock.acquire(home))
                    .isInstanceOf(HomeLockedException.class)
                    .hasMessageContaining("pid " + ProcessHandle.current().pid() + " (this process)");
            try (Store s = Store.open(lock, opts())) {
                s.events().record(new EventRecord(Instant.now(), "k", null, "x"));
            }
            assertThat(lock.isHeld()).as("store opened on a given lock leaves it held").isTrue();
        }
        try (HomeLock again = HomeLock.acquire(home)) {
            assertThat(again.isHeld()).isTrue();
        }
    }

    @Test
    void h2FileOpenedOutsideTheLockGivesHomeLocked() throws Exception {
        try (Store s = Store.open(home, opts())) {
            s.events().record(new EventRecord(Instant.now(), "k", null, "x"));
        }
        // H2's own file lock (error 90020) is the fallback signal
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(home.resolve("sabot.mv.db"),
                java.nio.file.StandardOpenOption.WRITE); java.nio.channels.FileLock l = ch.lock()) {
            assertThatThrownBy(() -> Store.open(home, opts()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(home.toAbsolutePath().toString());
        }
        try (Store s = Store.open(home, opts())) {
            assertThat(s.events().recent(5)).hasSize(1);
        }
    }

    @Test
    void homeThatCannotBeCreatedNamesThePath() throws Exception {
        Path file = Files.writeString(home.resolve("plain-file"), "x");
        Path bad = file.resolve("home");
        assertThatThrownBy(() -> Store.open(bad, opts()))
                .isInstanceOf(StoreException.class).hasMessageContaining(bad.toString());
        assertThatThrownBy(() -> Store.open(file, opts()))
                .isInstanceOf(StoreException.class).hasMessageContaining(file + " exists but is not a directory");
    }

    @Test
    void readOnlyHomeNamesThePath() throws Exception {
        Path ro = Files.createDirectory(home.resolve("ro"));
        Files.setPosixFilePermissions(ro, java.nio.file.attribute.PosixFilePermissions.fromString("r-x------"));
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(ro), "running as root: every dir is writable");
            assertThatThrownBy(() -> Store.open(ro, opts()))
                    .isInstanceOf(StoreException.class).hasMessageContaining("home " + ro + " is not writable");
        } finally {
            Files.setPosixFilePermissions(ro, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void corruptedDatabaseIsMovedAsideAndTheNoticeNamesTheFile() throws Exception {
        try (Store s = Store.open(home, opts())) {
            s.events().record(new EventRecord(Instant.now(), "k", null, "x"));
        }
        Path db = home.resolve("sabot.mv.db");
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            byte[] junk = new byte[(int) Math.min(f.length(), 64 * 1024)];
            java.util.Arrays.fill(junk, (byte) 0x5a);
            f.seek(0);
            f.write(junk);
        }
        try (Store s = Store.open(home, opts())) {
            assertThat(String.join("\n", s.notices())).contains(db.toString()).contains("moved aside to " + db + ".damaged-")
                    .doesNotContainPattern("[a-z]+\\.[a-z.]+\\.[A-Z][A-Za-z]*(Exception|Error)");
        }
        assertThat(StoreRepair.movedAside(home)).hasSize(1);
        // the lock was released on close
        HomeLock.acquire(home).close();
    }

    @Test
    void newerSchemaVersionIsRefusedNamingTheFile() throws Exception {
        try (Store s = Store.open(home, opts())) {
            assertThat(s.schemaVersion()).isEqualTo(Migrations.latestVersion());
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + home.resolve("sabot"), Store.USER, "");
             Statement st = c.createStatement()) {
            st.execute("INSERT INTO schema_version VALUES (99, 'future', 0)");
        }
        assertThatThrownBy(() -> Store.open(home, opts()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(home.resolve("sabot.mv.db").toString())
                .hasMessageContaining("schema version 99");
    }

    @Test
    void foreignH2DatabaseIsRefused() throws Exception {
        HomeLock.prepareHome(home);
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + home.resolve("sabot"), Store.USER, "");
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customers (id INT)");
        }
        assertThatThrownBy(() -> Store.open(home, opts()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("not a Sabot database");
    }

    @Test
    void shortCommandDropsTheClassPath() {
        assertThat(HomeLock.shortCommand("/usr/lib/jvm/bin/java -Xmx1g -cp /a.jar:/b.jar -Dx=y io.sabot.Main daemon"))
                .isEqualTo("java -Xmx1g io.sabot.Main daemon");
    }
}
