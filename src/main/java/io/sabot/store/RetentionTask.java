package io.sabot.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Applies a {@link RetentionPolicy}: downsamples raw metrics older than {@code rawMetrics} into
 * per-subject averages of {@code metricBucket} (one bucket per transaction), deletes metrics older
 * than {@code metrics}, and trims spans, transitions, events, results and assignments to their
 * caps, oldest first, at most {@code chunkRows} rows per transaction. It runs on its own connection;
 * the journal writer only inserts new rows, so short transactions keep it from waiting long.
 *
 * <p>{@link Store} runs it every {@code interval} when {@link StoreOptions#scheduleRetention()}.
 */
public final class RetentionTask implements Runnable {
    private static final System.Logger LOG = System.getLogger("io.sabot.store");
    /** Upper bound of buckets handled in one run, so a long backlog is worked off over several runs. */
    private static final int MAX_BUCKETS_PER_RUN = 100_000;

    private final DataSource ds;
    private final RetentionPolicy policy;
    private final Path dbFile;
    private final Clock clock;
    private volatile RetentionReport last;

    RetentionTask(DataSource ds, RetentionPolicy policy, Path dbFile, Clock clock) {
        this.ds = ds;
        this.policy = policy;
        this.dbFile = dbFile;
        this.clock = clock;
    }

    public RetentionPolicy policy() { return policy; }

    /** The report of the latest completed run, or null. */
    public RetentionReport lastReport() { return last; }

    /** Scheduled entry point: runs at the clock's now and logs failures. */
    @Override
    public void run() {
        try {
            runOnce(clock.instant());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "store: retention could not run: " + StoreFaults.describe(e, dbFile.getParent()));
        }
    }

    /** Runs the policy as if the time were {@code now}. */
    public synchronized RetentionReport runOnce(Instant now) {
        long t0 = System.nanoTime();
        Counters c = new Counters();
        try (Connection conn = ds.getConnection()) {
            conn.setAutoCommit(false);
            long bucket = policy.metricBucket().toMillis();
            int bucketSeconds = (int) (bucket / 1000);
            long expireCutoff = now.toEpochMilli() - policy.metrics().toMillis();
            c.metricsExpired += deleteChunked(conn, "DELETE FROM metric_sample WHERE resolution = ? AND ts_ms < ? "
                    + "FETCH FIRST ? ROWS ONLY", 1, expireCutoff, c);
            if (bucketSeconds != 1) {
                c.metricsExpired += deleteChunked(conn, "DELETE FROM metric_sample WHERE resolution = ? AND ts_ms < ? "
                        + "FETCH FIRST ? ROWS ONLY", bucketSeconds, expireCutoff, c);
            }
            long rawCutoff = Math.floorDiv(now.toEpochMilli() - policy.rawMetrics().toMillis(), bucket) * bucket;
            downsample(conn, rawCutoff, bucket, bucketSeconds, c);

            c.spans += trimToCap(conn, "span", policy.maxSpans(), "", c);
            c.transitions += trimToCap(conn, "transition", policy.maxTransitions(), "", c);
            c.events += trimToCap(conn, "event", policy.maxEvents(), "", c);
            c.results += trimToCap(conn, "lifecycle_result", policy.maxResults(), "", c);
            c.assignments += trimToCap(conn, "assignment", policy.maxAssignments(),
                    " AND seq NOT IN (SELECT MAX(seq) FROM assignment GROUP BY topic)", c);
        } catch (SQLException e) {
            throw new StoreException("retention failed on " + dbFile + ": " + e.getMessage(), e);
        }
        RetentionReport r = new RetentionReport(now, c.rawDownsampled, c.buckets, c.metricsExpired, c.spans,
                c.transitions, c.events, c.results, c.assignments, c.tx, Duration.ofNanos(System.nanoTime() - t0));
        last = r;
        return r;
    }

    private void downsample(Connection conn, long rawCutoff, long bucket, int bucketSeconds, Counters c)
            throws SQLException {
        if (bucketSeconds == 1) return;
        try (PreparedStatement min = conn.prepareStatement(
                     "SELECT MIN(ts_ms) FROM metric_sample WHERE resolution = 1 AND ts_ms < ?");
             PreparedStatement avg = conn.prepareStatement(
                     "INSERT INTO metric_sample (subject, ts_ms, cpu, rss, threads, resolution) "
                             + "SELECT subject, ?, AVG(cpu), CAST(ROUND(AVG(rss)) AS BIGINT), "
                             + "CAST(ROUND(AVG(threads)) AS INT), ? FROM metric_sample "
                             + "WHERE resolution = 1 AND ts_ms >= ? AND ts_ms < ? GROUP BY subject");
             PreparedStatement del = conn.prepareStatement(
                     "DELETE FROM metric_sample WHERE resolution = 1 AND ts_ms >= ? AND ts_ms < ?")) {
            for (int i = 0; i < MAX_BUCKETS_PER_RUN; i++) {
                min.setLong(1, rawCutoff);
                long lo;
                try (ResultSet rs = min.executeQuery()) {
                    rs.next();
                    lo = rs.getLong(1);
                    if (rs.wasNull()) break;
                }
                conn.commit(); // end the read
                lo = Math.floorDiv(lo, bucket) * bucket;
                long hi = lo + bucket;
                avg.setLong(1, lo);
                avg.setInt(2, bucketSeconds);
                avg.setLong(3, lo);
                avg.setLong(4, hi);
                c.buckets += avg.executeUpdate();
                del.setLong(1, lo);
                del.setLong(2, hi);
                c.rawDownsampled += del.executeUpdate();
                conn.commit();
                c.tx++;
            }
        } catch (SQLException e) {
            conn.rollback();
            throw e;
        }
    }

    /** Deletes rows of an append-only table (oldest seq first) beyond {@code cap}. */
    private long trimToCap(Connection conn, String table, long cap, String extraWhere, Counters c) throws SQLException {
        long count;
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            count = rs.getLong(1);
        }
        long excess = count - Math.max(0, cap);
        conn.commit();
        if (excess <= 0) return 0;
        long cut;
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT seq FROM " + table + " ORDER BY seq OFFSET ? ROWS FETCH FIRST 1 ROW ONLY")) {
            ps.setLong(1, excess - 1);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return 0;
                cut = rs.getLong(1);
            }
        }
        conn.commit();
        return deleteChunked(conn, "DELETE FROM " + table + " WHERE seq <= ?" + extraWhere + " FETCH FIRST ? ROWS ONLY",
                null, cut, c);
    }

    private long deleteChunked(Connection conn, String sql, Integer firstParam, long bound, Counters c)
            throws SQLException {
        long total = 0;
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            while (true) {
                int i = 1;
                if (firstParam != null) ps.setInt(i++, firstParam);
                ps.setLong(i++, bound);
                ps.setInt(i, policy.chunkRows());
                int n = ps.executeUpdate();
                conn.commit();
                c.tx++;
                total += n;
                if (n < policy.chunkRows()) return total;
            }
        } catch (SQLException e) {
            conn.rollback();
            throw e;
        }
    }

    private static final class Counters {
        long rawDownsampled;
        long buckets;
        long metricsExpired;
        long spans;
        long transitions;
        long events;
        long results;
        long assignments;
        long tx;
    }
}
