package io.sabot.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code sabot store check} and {@code sabot store repair} without a running engine, and the report
 * both print. The check changes nothing: it opens the database directly (no migration, no repair),
 * reads every row, and compares it with the snapshot and the backups. The repair opens the store
 * the way a starting engine does, after a full scan (StoreCliTest).
 */
public final class StoreChecks {
    private StoreChecks() {}

    /** Checks the store of a home no engine holds (the caller holds its lock). */
    public static StoreCheck offline(HomeLock lock) {
        Path home = lock.home();
        Path db = home.resolve(Store.DB_NAME + ".mv.db");
        List<String> problems = new ArrayList<>();
        StoreRepair.Scan scan;
        long generation = -1;
        if (!Files.exists(db) || size(db) == 0) {
            scan = new StoreRepair.Scan(Map.of(), Map.of());
            problems.add("there is no database file " + db + (Files.exists(home.resolve(SnapshotFile.NAME)) || !Backups.list(home).isEmpty()
                    ? " (the next start, or sabot store repair, restores it from the backups and the snapshot)" : ""));
        } else {
            try (Connection c = StoreRepair.connect(home.resolve(Store.DB_NAME))) {
                scan = StoreRepair.scan(c);
                try {
                    generation = SqlBatchWriter.readGeneration(c);
                } catch (SQLException e) {
                    generation = -1;
                }
            } catch (SQLException | RuntimeException e) {
                scan = new StoreRepair.Scan(Map.of(), Map.of("database", StoreFaults.detail(e)));
            }
            scan.problems().forEach((t, p) -> problems.add(t.equals("database")
                    ? "the database " + db + " cannot be opened: " + p
                    : "table " + t + " of " + db + " cannot be read: " + p));
        }
        return report(home, scan, generation, problems, false);
    }

    /** The report: the scan, the snapshot against the database, the backups, files moved aside. */
    static StoreCheck report(Path home, StoreRepair.Scan scan, long generation, List<String> problems, boolean online) {
        Path db = home.resolve(Store.DB_NAME + ".mv.db");
        Path snapPath = home.resolve(SnapshotFile.NAME);
        Snapshot snap = null;
        String vs;
        try {
            snap = SnapshotFile.read(snapPath);
            if (snap == null) {
                vs = "there is no snapshot file yet";
                if (!online) problems.add("there is no snapshot file " + snapPath + " (an engine writes it at its first operation)");
            } else if (generation < 0) {
                vs = "the database cannot be read: the snapshot would be restored";
            } else if (snap.dbGeneration() > generation) {
                vs = "the database is behind the snapshot (generation " + generation + " < " + snap.dbGeneration()
                        + "): it lost writes; the next start, or sabot store repair, takes the state from the snapshot";
                if (!online) problems.add("the database " + db + " " + vs.substring("the database ".length()));
            } else if (snap.dbGeneration() == generation && snap.ahead()) {
                vs = "the snapshot holds changes the database has not recorded yet; the next start writes them";
            } else {
                vs = "the database is as new as the snapshot or newer (generation " + generation + ", snapshot at " + snap.dbGeneration() + ")";
            }
        } catch (IOException e) {
            vs = "the snapshot file cannot be read";
            problems.add(StoreFaults.clean(e.getMessage()));
        }
        List<StoreCheck.BackupInfo> backups = new ArrayList<>();
        for (Backups.Backup b : Backups.list(home)) {
            backups.add(new StoreCheck.BackupInfo(b.file().toString(), b.time().toString(), b.generation(), b.sizeBytes()));
        }
        List<String> aside = new ArrayList<>();
        for (Path p : StoreRepair.movedAside(home)) aside.add(p.toString());
        return new StoreCheck(problems.isEmpty(), problems, db.toString(), size(db), generation, scan.rows(), snapPath.toString(),
                snap == null ? null : Instant.ofEpochMilli(snap.writtenAtMs()).toString(), snap == null ? List.of() : snap.agents(), vs,
                backups, aside, online);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
