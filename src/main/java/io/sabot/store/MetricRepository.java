package io.sabot.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Resource samples per instance (and {@code host}): raw 1 s, then 1 min averages (see {@link RetentionPolicy}). */
public final class MetricRepository {
    private static final String COLS = "SELECT subject, ts_ms, cpu, rss, threads, resolution FROM metric_sample";
    private final Sql sql;
    private final JournalWriter journal;

    MetricRepository(Sql sql, JournalWriter journal) {
        this.sql = sql;
        this.journal = journal;
    }

    /** Queues a sample without waiting; false if it was dropped because the journal queue is full. */
    public boolean record(MetricRecord m) { return journal.submit(m) != JournalWriter.DROPPED; }

    /** Samples of a subject with {@code from <= time < to}, oldest first (both resolutions, as stored). */
    public List<MetricRecord> series(String subject, Instant from, Instant to) {
        return sql.list(COLS + " WHERE subject = ? AND ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms", ps -> {
            ps.setString(1, subject);
            ps.setLong(2, from.toEpochMilli());
            ps.setLong(3, to.toEpochMilli());
        }, MetricRepository::map);
    }

    public Optional<MetricRecord> latest(String subject) {
        return sql.one(COLS + " WHERE subject = ? ORDER BY ts_ms DESC FETCH FIRST 1 ROW ONLY",
                ps -> ps.setString(1, subject), MetricRepository::map);
    }

    public List<String> subjects() {
        return sql.list("SELECT DISTINCT subject FROM metric_sample ORDER BY subject", null, rs -> rs.getString(1));
    }

    /** Rows per resolution (seconds), for diagnostics and tests. */
    public long count(int resolution) {
        return sql.one("SELECT COUNT(*) FROM metric_sample WHERE resolution = ?", ps -> ps.setInt(1, resolution),
                rs -> rs.getLong(1)).orElse(0L);
    }

    private static MetricRecord map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new MetricRecord(rs.getString("subject"), Sql.instant(rs, "ts_ms"), rs.getDouble("cpu"),
                rs.getLong("rss"), rs.getInt("threads"), rs.getInt("resolution"));
    }
}
