package io.sabot.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Lifecycle operation results, newest first in every read. */
public final class ResultRepository {
    private static final String COLS = "SELECT time_ms, op, instance, success, prev_state, new_state, duration_ns, "
            + "error, trace_id FROM lifecycle_result";
    private final Sql sql;
    private final JournalWriter journal;

    ResultRepository(Sql sql, JournalWriter journal) {
        this.sql = sql;
        this.journal = journal;
    }

    /** Appends a result; returns when durable. */
    public void append(ResultRecord r) { journal.commit(r); }

    public List<ResultRecord> recent(int limit) {
        return sql.list(COLS + " ORDER BY seq DESC FETCH FIRST ? ROWS ONLY", ps -> ps.setInt(1, limit),
                ResultRepository::map);
    }

    public List<ResultRecord> byInstance(String instance, int limit) {
        return sql.list(COLS + " WHERE instance = ? ORDER BY seq DESC FETCH FIRST ? ROWS ONLY", ps -> {
            ps.setString(1, instance);
            ps.setInt(2, limit);
        }, ResultRepository::map);
    }

    public List<ResultRecord> between(Instant from, Instant to, int limit) {
        return sql.list(COLS + " WHERE time_ms >= ? AND time_ms < ? ORDER BY time_ms DESC, seq DESC FETCH FIRST ? ROWS ONLY",
                ps -> {
                    ps.setLong(1, from.toEpochMilli());
                    ps.setLong(2, to.toEpochMilli());
                    ps.setInt(3, limit);
                }, ResultRepository::map);
    }

    public List<ResultRecord> byTrace(String traceId) {
        return sql.list(COLS + " WHERE trace_id = ? ORDER BY seq", ps -> ps.setString(1, traceId), ResultRepository::map);
    }

    private static ResultRecord map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new ResultRecord(Sql.instant(rs, "time_ms"), rs.getString("op"), rs.getString("instance"),
                rs.getBoolean("success"), rs.getString("prev_state"), rs.getString("new_state"),
                Duration.ofNanos(rs.getLong("duration_ns")), rs.getString("error"), rs.getString("trace_id"));
    }
}
