package io.sabot.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Partition assignments per topic (history; the latest one of each topic is never deleted). */
public final class AssignmentRepository {
    private static final String COLS = "SELECT topic, epoch, strategy, reason, owners_json, moved, time_ms, grp FROM assignment";
    private final Sql sql;
    private final JournalWriter journal;

    AssignmentRepository(Sql sql, JournalWriter journal) {
        this.sql = sql;
        this.journal = journal;
    }

    /** Appends an assignment; returns when durable. */
    public void append(AssignmentRecord a) { journal.commit(a); }

    public Optional<AssignmentRecord> latest(String topic) {
        return sql.one(COLS + " WHERE topic = ? ORDER BY seq DESC FETCH FIRST 1 ROW ONLY", ps -> ps.setString(1, topic),
                AssignmentRepository::map);
    }

    /**
     * The newest assignment of every (consumer group, topic), keyed {@code group + '\u0000' + topic};
     * rows from before consumer groups (no group) are left out.
     */
    public Map<String, AssignmentRecord> latestPerGroupTopic() {
        Map<String, AssignmentRecord> out = new LinkedHashMap<>();
        for (AssignmentRecord a : sql.list(COLS + " WHERE seq IN (SELECT MAX(seq) FROM assignment WHERE grp IS NOT NULL GROUP BY grp, topic) "
                + "ORDER BY grp, topic", null, AssignmentRepository::map)) {
            out.put(a.group() + '\u0000' + a.topic(), a);
        }
        return out;
    }

    /** The newest assignment of every topic, by topic name (any group). */
    public Map<String, AssignmentRecord> latestPerTopic() {
        Map<String, AssignmentRecord> out = new LinkedHashMap<>();
        for (AssignmentRecord a : sql.list(COLS + " WHERE seq IN (SELECT MAX(seq) FROM assignment GROUP BY topic) "
                + "ORDER BY topic", null, AssignmentRepository::map)) {
            out.put(a.topic(), a);
        }
        return out;
    }

    /** A topic's assignments, newest first. */
    public List<AssignmentRecord> history(String topic, int limit) {
        return sql.list(COLS + " WHERE topic = ? ORDER BY seq DESC FETCH FIRST ? ROWS ONLY", ps -> {
            ps.setString(1, topic);
            ps.setInt(2, limit);
        }, AssignmentRepository::map);
    }

    private static AssignmentRecord map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new AssignmentRecord(rs.getString("topic"), rs.getLong("epoch"), rs.getString("strategy"),
                rs.getString("reason"), Json.readStrings(rs.getString("owners_json")), rs.getInt("moved"),
                Sql.instant(rs, "time_ms"), rs.getString("grp"));
    }
}
