package io.sabot.store;

import java.sql.PreparedStatement;
import java.util.List;

/**
 * Usage history of agents and consumer groups (io.sabot.history writes it every few seconds).
 *
 * <p>Guarantees: {@link #series} returns at most {@code maxPoints} rows whatever the range holds
 * (the database groups rows into equal buckets; one query, one index range scan), and keeps each
 * restart exactly once ({@link #downsample} moves raw rows into minute rows in one transaction);
 * {@code UsageHistoryBoundTest} holds both over 7 simulated days.
 */
public final class UsageRepository {
    public static final int RAW_RESOLUTION = 5;
    public static final int MINUTE_RESOLUTION = 60;
    private final Sql sql;
    private final OpsSql ops;

    UsageRepository(Sql sql, OpsSql ops) {
        this.sql = sql;
        this.ops = ops;
    }

    /** Inserts a batch (not made durable on its own: history is as lazy as metrics). */
    public void insert(List<UsageSample> rows) {
        if (rows.isEmpty()) return;
        ops.write(false, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_sample (subject, ts_ms, resolution, cpu, rss, rate, "
                    + "lag_records, lag_seconds, restarts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (UsageSample r : rows) {
                    ps.setString(1, r.subject());
                    ps.setLong(2, r.timeMs());
                    ps.setInt(3, r.resolution());
                    ps.setDouble(4, r.cpu());
                    ps.setLong(5, r.rss());
                    ps.setDouble(6, r.rate());
                    ps.setLong(7, r.lagRecords());
                    ps.setDouble(8, r.lagSeconds());
                    ps.setLong(9, r.restarts());
                    ps.addBatch();
                }
                return ps.executeBatch().length;
            }
        });
    }

    /**
     * The subject's rows with {@code from <= time < to}, grouped into buckets of
     * {@code ceil((to - from) / maxPoints)} ms: averages of cpu, memory and rate, maxima of lag,
     * the sum of restarts. Oldest first; empty buckets are left out; time is the bucket's start.
     */
    public List<UsageSample> series(String subject, long from, long to, int maxPoints) {
        long bucket = Math.max(1, (to - from + maxPoints - 1) / maxPoints);
        return sql.list("SELECT (ts_ms - ?) / ? AS b, AVG(cpu), AVG(rss), AVG(rate), MAX(lag_records), MAX(lag_seconds), SUM(restarts), "
                + "MAX(resolution) FROM usage_sample WHERE subject = ? AND ts_ms >= ? AND ts_ms < ? GROUP BY b ORDER BY b", ps -> {
                    ps.setLong(1, from);
                    ps.setLong(2, bucket);
                    ps.setString(3, subject);
                    ps.setLong(4, from);
                    ps.setLong(5, to);
                }, rs -> new UsageSample(subject, from + rs.getLong(1) * bucket, rs.getInt(8), rs.getDouble(2), Math.round(rs.getDouble(3)),
                        rs.getDouble(4), rs.getLong(5), rs.getDouble(6), rs.getLong(7)));
    }

    /** Subjects with any history. */
    public List<String> subjects() {
        return sql.list("SELECT DISTINCT subject FROM usage_sample ORDER BY subject", null, rs -> rs.getString(1));
    }

    public long count() {
        return sql.one("SELECT COUNT(*) FROM usage_sample", null, rs -> rs.getLong(1)).orElse(0L);
    }

    /**
     * Raw rows older than {@code rawCutoffMs} become one minute row per subject and minute
     * (averages, lag maxima, restart sums), in one transaction; rows older than
     * {@code expireCutoffMs} are deleted. Returns rows removed.
     */
    public int downsample(long rawCutoffMs, long expireCutoffMs) {
        long cutoff = Math.floorDiv(rawCutoffMs, 60_000L) * 60_000L;
        return ops.write(false, c -> {
            int n;
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO usage_sample (subject, ts_ms, resolution, cpu, rss, rate, lag_records, "
                    + "lag_seconds, restarts) SELECT subject, MIN(ts_ms) / 60000 * 60000, 60, AVG(cpu), CAST(AVG(rss) AS BIGINT), AVG(rate), "
                    + "MAX(lag_records), MAX(lag_seconds), SUM(restarts) FROM usage_sample WHERE resolution = ? AND ts_ms < ? "
                    + "GROUP BY subject, ts_ms / 60000");
                 PreparedStatement del = c.prepareStatement("DELETE FROM usage_sample WHERE resolution = ? AND ts_ms < ?");
                 PreparedStatement exp = c.prepareStatement("DELETE FROM usage_sample WHERE ts_ms < ?")) {
                ins.setInt(1, RAW_RESOLUTION);
                ins.setLong(2, cutoff);
                ins.executeUpdate();
                del.setInt(1, RAW_RESOLUTION);
                del.setLong(2, cutoff);
                n = del.executeUpdate();
                exp.setLong(1, expireCutoffMs);
                n += exp.executeUpdate();
            }
            return n;
        });
    }
}
