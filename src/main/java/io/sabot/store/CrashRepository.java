package io.sabot.store;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;

/** Crash reports, one per crash, so {@code agents why} answers after an engine restart too. */
public final class CrashRepository {
    static final int MAX_ROWS = 20_000;
    private final Sql sql;
    private final OpsSql ops;

    CrashRepository(Sql sql, OpsSql ops) {
        this.sql = sql;
        this.ops = ops;
    }

    /** Stores a report (its JSON, as io.sabot.forensics writes it); durable on return. */
    public void save(String instance, String agent, long timeMs, String json) {
        ops.write(true, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO crash_report (instance, agent, time_ms, report_json) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, instance);
                ps.setString(2, agent);
                ps.setLong(3, timeMs);
                ps.setString(4, json);
                return ps.executeUpdate();
            }
        });
    }

    /** The newest report (JSON) of an instance. */
    public Optional<String> latest(String instance) {
        return sql.one("SELECT report_json FROM crash_report WHERE instance = ? ORDER BY time_ms DESC, id DESC FETCH FIRST 1 ROW ONLY",
                ps -> ps.setString(1, instance), rs -> rs.getString(1));
    }

    /** The newest reports of an instance, newest first. */
    public List<String> byInstance(String instance, int limit) {
        return sql.list("SELECT report_json FROM crash_report WHERE instance = ? ORDER BY time_ms DESC, id DESC FETCH FIRST ? ROWS ONLY", ps -> {
            ps.setString(1, instance);
            ps.setInt(2, limit);
        }, rs -> rs.getString(1));
    }

    /** Keeps the newest {@link #MAX_ROWS}. */
    public int trim() {
        return ops.write(false, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM crash_report WHERE id <= (SELECT COALESCE(MAX(id), 0) FROM crash_report) - ?")) {
                ps.setLong(1, MAX_ROWS);
                return ps.executeUpdate();
            }
        });
    }
}
