package io.sabot.store;

import java.util.List;
import java.util.Optional;

/** Last known state of each instance, with pid and process start time. */
public final class InstanceRepository {
    private static final String COLS = "SELECT id, agent, idx, pid, process_start_ms, state, updated_ms FROM instance";
    private final Sql sql;
    private final JournalWriter journal;

    InstanceRepository(Sql sql, JournalWriter journal) {
        this.sql = sql;
        this.journal = journal;
    }

    /** Stores (replaces) an instance row; returns when durable. */
    public void put(InstanceRecord instance) { journal.commit(instance); }

    public List<InstanceRecord> all() {
        return sql.list(COLS + " ORDER BY agent, idx", null, InstanceRepository::map);
    }

    public List<InstanceRecord> byAgent(String agent) {
        return sql.list(COLS + " WHERE agent = ? ORDER BY idx", ps -> ps.setString(1, agent), InstanceRepository::map);
    }

    public Optional<InstanceRecord> get(String id) {
        return sql.one(COLS + " WHERE id = ?", ps -> ps.setString(1, id), InstanceRepository::map);
    }

    private static InstanceRecord map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new InstanceRecord(rs.getString("id"), rs.getString("agent"), rs.getInt("idx"),
                Sql.longOrNull(rs, "pid"), Sql.instant(rs, "process_start_ms"), rs.getString("state"),
                Sql.instant(rs, "updated_ms"));
    }
}
