package io.sabot.store;

import java.time.Instant;
import java.util.List;

/** Engine events, newest first in every read. */
public final class EventRepository {
    private static final String COLS = "SELECT time_ms, kind, instance, text FROM event";
    private final Sql sql;
    private final JournalWriter journal;

    EventRepository(Sql sql, JournalWriter journal) {
        this.sql = sql;
        this.journal = journal;
    }

    /** Queues an event without waiting for it (blocks only when the journal queue is full). */
    public void record(EventRecord e) { journal.submit(e); }

    public List<EventRecord> recent(int limit) {
        return sql.list(COLS + " ORDER BY seq DESC FETCH FIRST ? ROWS ONLY", ps -> ps.setInt(1, limit),
                EventRepository::map);
    }

    public List<EventRecord> byInstance(String instance, int limit) {
        return sql.list(COLS + " WHERE instance = ? ORDER BY seq DESC FETCH FIRST ? ROWS ONLY", ps -> {
            ps.setString(1, instance);
            ps.setInt(2, limit);
        }, EventRepository::map);
    }

    public List<EventRecord> between(Instant from, Instant to, int limit) {
        return sql.list(COLS + " WHERE time_ms >= ? AND time_ms < ? ORDER BY time_ms DESC, seq DESC FETCH FIRST ? ROWS ONLY",
                ps -> {
                    ps.setLong(1, from.toEpochMilli());
                    ps.setLong(2, to.toEpochMilli());
                    ps.setInt(3, limit);
                }, EventRepository::map);
    }

    public long count() {
        return sql.one("SELECT COUNT(*) FROM event", null, rs -> rs.getLong(1)).orElse(0L);
    }

    private static EventRecord map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new EventRecord(Sql.instant(rs, "time_ms"), rs.getString("kind"), rs.getString("instance"),
                rs.getString("text"));
    }
}
