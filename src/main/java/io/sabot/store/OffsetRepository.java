package io.sabot.store;

import java.util.List;
import java.util.OptionalLong;

/** Committed offsets per (topic, partition); they only move forward. */
public final class OffsetRepository {
    private static final String COLS = "SELECT topic, part, commit_offset, updated_ms FROM committed_offset";
    private final Sql sql;
    private final JournalWriter journal;

    OffsetRepository(Sql sql, JournalWriter journal) {
        this.sql = sql;
        this.journal = journal;
    }

    /** Commits an offset (ignored if not above the stored one); returns when durable. */
    public void commit(OffsetRecord o) { journal.commit(o); }

    public List<OffsetRecord> all() {
        return sql.list(COLS + " ORDER BY topic, part", null, OffsetRepository::map);
    }

    public List<OffsetRecord> byTopic(String topic) {
        return sql.list(COLS + " WHERE topic = ? ORDER BY part", ps -> ps.setString(1, topic), OffsetRepository::map);
    }

    public OptionalLong get(String topic, int partition) {
        return sql.one("SELECT commit_offset FROM committed_offset WHERE topic = ? AND part = ?", ps -> {
            ps.setString(1, topic);
            ps.setInt(2, partition);
        }, rs -> rs.getLong(1)).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    private static OffsetRecord map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new OffsetRecord(rs.getString("topic"), rs.getInt("part"), rs.getLong("commit_offset"),
                Sql.instant(rs, "updated_ms"));
    }
}
