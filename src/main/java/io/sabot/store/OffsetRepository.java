package io.sabot.store;

import java.util.List;
import java.util.OptionalLong;

/** Committed offsets per (consumer group, topic, partition); they only move forward. */
public final class OffsetRepository {
    private static final String COLS = "SELECT grp, topic, part, commit_offset, updated_ms FROM group_offset";
    private final Sql sql;
    private final JournalWriter journal;

    OffsetRepository(Sql sql, JournalWriter journal) {
        this.sql = sql;
        this.journal = journal;
    }

    /** Commits an offset (ignored if not above the stored one); returns when durable. */
    public void commit(OffsetRecord o) { journal.commit(o); }

    public List<OffsetRecord> all() {
        return sql.list(COLS + " ORDER BY grp, topic, part", null, OffsetRepository::map);
    }

    /** Every group's offsets of a topic. */
    public List<OffsetRecord> byTopic(String topic) {
        return sql.list(COLS + " WHERE topic = ? ORDER BY grp, part", ps -> ps.setString(1, topic), OffsetRepository::map);
    }

    /** The offset of a partition committed without a group (a manager used on its own). */
    public OptionalLong get(String topic, int partition) {
        return get("", topic, partition);
    }

    public OptionalLong get(String group, String topic, int partition) {
        return sql.one("SELECT commit_offset FROM group_offset WHERE grp = ? AND topic = ? AND part = ?", ps -> {
            ps.setString(1, group);
            ps.setString(2, topic);
            ps.setInt(3, partition);
        }, rs -> rs.getLong(1)).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    private static OffsetRecord map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new OffsetRecord(rs.getString("grp"), rs.getString("topic"), rs.getInt("part"), rs.getLong("commit_offset"),
                Sql.instant(rs, "updated_ms"));
    }
}
