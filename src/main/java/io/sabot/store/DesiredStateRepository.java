package io.sabot.store;

import java.util.List;
import java.util.Optional;

/** Desired state per agent (running, concurrency). */
public final class DesiredStateRepository {
    private static final String COLS = "SELECT agent, running, concurrency, updated_ms FROM desired_state";
    private final Sql sql;
    private final JournalWriter journal;

    DesiredStateRepository(Sql sql, JournalWriter journal) {
        this.sql = sql;
        this.journal = journal;
    }

    /** Stores (replaces) the desired state of an agent; returns when durable. */
    public void put(DesiredStateRecord state) { journal.commit(state); }

    public List<DesiredStateRecord> all() {
        return sql.list(COLS + " ORDER BY agent", null, DesiredStateRepository::map);
    }

    public Optional<DesiredStateRecord> get(String agent) {
        return sql.one(COLS + " WHERE agent = ?", ps -> ps.setString(1, agent), DesiredStateRepository::map);
    }

    private static DesiredStateRecord map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new DesiredStateRecord(rs.getString("agent"), rs.getBoolean("running"), rs.getInt("concurrency"),
                Sql.instant(rs, "updated_ms"));
    }
}
