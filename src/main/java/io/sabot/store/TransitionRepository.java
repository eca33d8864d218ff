package io.sabot.store;

import java.time.Instant;
import java.util.List;

/** State transitions, newest first in every read. */
public final class TransitionRepository {
    private static final String COLS = "SELECT time_ms, instance, from_state, to_state, cause, exit_code, signal, "
            + "reason, trace_id FROM transition";
    private final Sql sql;
    private final JournalWriter journal;

    TransitionRepository(Sql sql, JournalWriter journal) {
        this.sql = sql;
        this.journal = journal;
    }

    /** Appends a transition; returns when durable. For many at once use the journal directly. */
    public void append(TransitionRecord t) { journal.commit(t); }

    public List<TransitionRecord> recent(int limit) {
        return sql.list(COLS + " ORDER BY seq DESC FETCH FIRST ? ROWS ONLY", ps -> ps.setInt(1, limit),
                TransitionRepository::map);
    }

    public List<TransitionRecord> byInstance(String instance, int limit) {
        return sql.list(COLS + " WHERE instance = ? ORDER BY seq DESC FETCH FIRST ? ROWS ONLY", ps -> {
            ps.setString(1, instance);
            ps.setInt(2, limit);
        }, TransitionRepository::map);
    }

    /** Transitions with {@code from <= time < to}, newest first. */
    public List<TransitionRecord> between(Instant from, Instant to, int limit) {
        return sql.list(COLS + " WHERE time_ms >= ? AND time_ms < ? ORDER BY time_ms DESC, seq DESC FETCH FIRST ? ROWS ONLY",
                ps -> {
                    ps.setLong(1, from.toEpochMilli());
                    ps.setLong(2, to.toEpochMilli());
                    ps.setInt(3, limit);
                }, TransitionRepository::map);
    }

    public long count() {
        return sql.one("SELECT COUNT(*) FROM transition", null, rs -> rs.getLong(1)).orElse(0L);
    }

    private static TransitionRecord map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new TransitionRecord(Sql.instant(rs, "time_ms"), rs.getString("instance"), rs.getString("from_state"),
                rs.getString("to_state"), rs.getString("cause"), Sql.intOrNull(rs, "exit_code"), rs.getString("signal"),
                rs.getString("reason"), rs.getString("trace_id"));
    }
}
