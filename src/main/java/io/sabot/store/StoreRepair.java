package io.sabot.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Damaged databases: a full scan that reads every row of every table ({@link #scan}), and the
 * restore a starting engine (or {@code sabot store repair}) runs when the database cannot be read:
 * the damaged file is moved aside (never deleted), the newest backup that passes a full scan is put
 * in its place, or a new empty database when none does; the caller then lays the snapshot over it.
 * Guarantees (StoreRepairTest): a database damaged in the middle or truncated is moved aside and
 * the fleet's specs and desired state come back from the backup and the snapshot; every notice
 * names the file moved aside, what it was restored from, and what could not be recovered.
 */
public final class StoreRepair {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    static final String DAMAGED_SUFFIX = ".damaged-";

    /** Tables a full scan reads first (every row, every column); then any other table the schema has. */
    static final List<String> TABLES = List.of("schema_version", "store_meta", "agent_spec", "desired_state", "instance",
            "committed_offset", "assignment", "transition", "lifecycle_result", "event", "span", "metric_sample");

    /** What a full scan found: rows per table, and the first problem per unreadable table. */
    public record Scan(Map<String, Long> rows, Map<String, String> problems) {
        public boolean ok() { return problems.isEmpty(); }
    }

    /** What a restore did, in words and facts. */
    public record Restored(Path movedAside, Backups.Backup backup, List<Path> badBackups, String reason) { }

    private StoreRepair() {}

    /** Reads every row of every table over {@code c}; a table that cannot be read is named with the problem. */
    public static Scan scan(Connection c) {
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, String> problems = new LinkedHashMap<>();
        List<String> tables = new ArrayList<>(TABLES);
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'")) {
            while (rs.next()) {
                String t = rs.getString(1).toLowerCase(java.util.Locale.ROOT);
                if (!tables.contains(t)) tables.add(t); // what later migrations (and other features) added
            }
        } catch (SQLException | RuntimeException e) {
            problems.put("database", StoreFaults.clean(StoreFaults.detail(e)));
        }
        for (String t : tables) {
            long n = 0;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + t)) {
                ResultSetMetaData md = rs.getMetaData();
                int cols = md.getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= cols; i++) rs.getObject(i);
                    n++;
                }
                rows.put(t, n);
            } catch (SQLException | RuntimeException e) {
                if (e instanceof SQLException && ((SQLException) e).getErrorCode() == 42104 && t.equals("store_meta")) {
                    rows.put(t, 0L); // schema 1: no store_meta yet
                    continue;
                }
                rows.put(t, n);
                problems.put(t, StoreFaults.clean(StoreFaults.detail(e)));
            }
        }
        return new Scan(rows, problems);
    }

    /** Opens the database file at {@code base}.mv.db (not through the home's pool) and scans it. */
    static Scan scanFile(Path base) {
        try (Connection c = DriverManager.getConnection(Store.url(base, 4096), Store.USER, "")) {
            return scan(c);
        } catch (SQLException | RuntimeException e) {
            return new Scan(Map.of(), Map.of("database", StoreFaults.clean(StoreFaults.detail(e))));
        }
    }

    /**
     * Moves the database of {@code home} aside (when there is one) and puts the newest backup that
     * passes a full scan in its place; with no such backup, leaves no database (a new one is created).
     * The caller holds the home lock and has closed every connection to the database.
     */
    static Restored restore(Path home, String reason) throws IOException {
        Path db = home.resolve(Store.DB_NAME + ".mv.db");
        Path aside = null;
        if (Files.exists(db) && Files.size(db) == 0) Files.delete(db);
        if (Files.exists(db)) {
            aside = home.resolve(Store.DB_NAME + ".mv.db" + DAMAGED_SUFFIX + STAMP.format(Instant.now()));
            Files.move(db, aside, StandardCopyOption.ATOMIC_MOVE);
            HomeLock.ownerOnly(aside);
        }
        Files.deleteIfExists(home.resolve(Store.DB_NAME + ".trace.db"));
        Path work = home.resolve(".restore");
        List<Path> bad = new ArrayList<>();
        for (Backups.Backup b : Backups.list(home)) {
            deleteTree(work);
            Files.createDirectories(work, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            Path candidate = work.resolve(Store.DB_NAME + ".mv.db");
            try {
                if (!Backups.extract(b.file(), candidate)) {
                    bad.add(b.file());
                    continue;
                }
            } catch (IOException | RuntimeException e) {
                bad.add(b.file());
                continue;
            }
            Scan s = scanFile(work.resolve(Store.DB_NAME));
            if (!s.ok()) {
                bad.add(b.file());
                continue;
            }
            Files.move(candidate, db, StandardCopyOption.ATOMIC_MOVE);
            HomeLock.ownerOnly(db);
            deleteTree(work);
            return new Restored(aside, b, bad, reason);
        }
        deleteTree(work);
        return new Restored(aside, null, bad, reason);
    }

    /** Files moved aside by earlier repairs, oldest first. */
    public static List<Path> movedAside(Path home) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(home, Store.DB_NAME + ".mv.db" + DAMAGED_SUFFIX + "*")) {
            ds.forEach(out::add);
        } catch (IOException e) {
            // none
        }
        out.sort(null);
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
    }

    /** Opens an H2 connection to {@code base} (for tools and tests). */
    static Connection connect(Path base) throws SQLException {
        return DriverManager.getConnection(Store.url(base, 4096), Store.USER, "");
    }
}
