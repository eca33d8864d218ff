package io.sabot.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Agent specs (JSON text), one per agent name. */
public final class SpecRepository {
    private static final String COLS = "SELECT name, spec_json, updated_ms FROM agent_spec";
    private final Sql sql;
    private final JournalWriter journal;

    SpecRepository(Sql sql, JournalWriter journal) {
        this.sql = sql;
        this.journal = journal;
    }

    /** Stores (replaces) a spec; returns when durable. */
    public void put(SpecRecord spec) { journal.commit(spec); }

    /** Forgets an agent (spec, desired state, instances); returns when durable. */
    public void remove(String agent) { journal.commit(new AgentRemovalRecord(agent, Instant.now())); }

    public List<SpecRecord> all() {
        return sql.list(COLS + " ORDER BY name", null, SpecRepository::map);
    }

    public Optional<SpecRecord> get(String name) {
        return sql.one(COLS + " WHERE name = ?", ps -> ps.setString(1, name), SpecRepository::map);
    }

    private static SpecRecord map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new SpecRecord(rs.getString("name"), rs.getString("spec_json"), Sql.instant(rs, "updated_ms"));
    }
}
