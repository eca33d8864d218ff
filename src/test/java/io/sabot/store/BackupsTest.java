package io.sabot.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupsTest {
    @TempDir
    Path home;

    @Test
    void backupsAreBoundedOwnerOnlyAndRestorable() throws Exception {
        StoreOptions o = StoreOptions.defaults().withScheduledRetention(false)
                .withSafety(SafetyPolicy.defaults().withBackups(java.time.Duration.ofHours(1), java.time.Duration.ofHours(1), 3));
        try (Store s = Store.open(home, o)) {
            for (int i = 0; i < 5; i++) {
                s.journal().commit(new SpecRecord("a" + i, "{}", Instant.now()));
                assertThat(s.backupIfDue(true)).as("backup %d: %s", i, s.status().backupProblem()).isNotNull();
                Thread.sleep(2);
            }
            assertThat(s.backupIfDue(false)).as("not due again within the hour").isNull();
            assertThat(s.status().lastBackupAtMs()).isPositive();
        }
        List<Backups.Backup> all = Backups.list(home);
        assertThat(all).hasSize(3);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("backups")))).isEqualTo("rwx------");
        for (Backups.Backup b : all) assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(b.file()))).isEqualTo("rw-------");
        assertThat(all.get(0).generation()).isGreaterThan(all.get(2).generation());
        // the newest holds all five specs and reads back whole
        Path work = Files.createDirectories(home.resolveSibling("restore-check"));
        assertThat(Backups.extract(all.get(0).file(), work.resolve("sabot.mv.db"))).isTrue();
        StoreRepair.Scan scan = StoreRepair.scanFile(work.resolve("sabot"));
        assertThat(scan.ok()).as("%s", scan.problems()).isTrue();
        assertThat(scan.rows().get("agent_spec")).isEqualTo(5);
    }
}
