package io.sabot.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal versioned-SQL runner (instead of Flyway: see the commit that introduced it).
 *
 * <p>Scripts {@code io/sabot/store/migration/V<n>__<description>.sql} listed in {@link #SCRIPTS}
 * are applied in order; each applied version is recorded in {@code schema_version}. A database
 * whose recorded version is newer than the newest script, or that has tables but no
 * {@code schema_version}, is refused with a message naming the file.
 */
final class Migrations {
    /** Every migration script, in order. Append only; never edit a released one. */
    static final List<String> SCRIPTS = List.of("V1__init.sql", "V2__ops_alerts_crashes_usage.sql", "V3__consumer_groups.sql",
            "V4__store_meta.sql");

    private Migrations() { }

    static int latestVersion() { return version(SCRIPTS.get(SCRIPTS.size() - 1)); }

    /** Applies what is missing; returns the schema version now in force. */
    static int apply(Connection c, Path dbFile) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            boolean hasVersionTable = tableExists(c, "SCHEMA_VERSION");
            if (!hasVersionTable && countTables(c) > 0) {
                throw new StoreException("database file " + dbFile + " is not a Sabot database (it has tables but no "
                        + "schema_version); move it aside to start with an empty store");
            }
            st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT PRIMARY KEY, "
                    + "description VARCHAR(200) NOT NULL, applied_ms BIGINT NOT NULL)");
            int current = 0;
            try (ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                if (rs.next()) current = rs.getInt(1);
            }
            int latest = latestVersion();
            if (current > latest) {
                throw new StoreException("database file " + dbFile + " has schema version " + current
                        + ", newer than this Sabot knows (" + latest + "); run a newer Sabot on this home");
            }
            for (String script : SCRIPTS) {
                int v = version(script);
                if (v <= current) continue;
                for (String sql : statements(read(script))) st.execute(sql);
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO schema_version (version, description, applied_ms) VALUES (?, ?, ?)")) {
                    ps.setInt(1, v);
                    ps.setString(2, description(script));
                    ps.setLong(3, System.currentTimeMillis());
                    ps.executeUpdate();
                }
                current = v;
            }
            return current;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * The schema version of a database opened read-only (nothing can be applied); a database that
     * still needs a migration is refused, naming the file.
     */
    static int current(Connection c, Path dbFile, String why) throws SQLException {
        int current = 0;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            if (rs.next()) current = rs.getInt(1);
        }
        if (current < latestVersion()) {
            throw new StoreException("database file " + dbFile + " needs an upgrade to schema version " + latestVersion()
                    + ", which cannot be written now: " + why);
        }
        return current;
    }

    /** Whether the database has a schema already (false: a new, empty database). */
    static boolean hasSchema(Connection c) throws SQLException {
        return tableExists(c, "SCHEMA_VERSION");
    }

    static int version(String script) {
        return Integer.parseInt(script.substring(1, script.indexOf("__")));
    }

    private static String description(String script) {
        return script.substring(script.indexOf("__") + 2, script.length() - 4).replace('_', ' ');
    }

    private static String read(String script) {
        String res = "migration/" + script;
        try (InputStream in = Migrations.class.getResourceAsStream(res)) {
            if (in == null) throw new IllegalStateException("missing migration resource io/sabot/store/" + res);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + res, e);
        }
    }

    /** Splits a script on semicolons at line ends; drops {@code --} comment lines. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("--")) continue;
            cur.append(line).append('\n');
            if (t.endsWith(";")) {
                String s = cur.toString().strip();
                out.add(s.substring(0, s.length() - 1));
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) out.add(cur.toString().strip());
        return out;
    }

    private static boolean tableExists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }
    }

    private static int countTables(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
