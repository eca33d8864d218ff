package io.sabot.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Small JDBC helpers for the repositories' reads. */
final class Sql {
    @FunctionalInterface
    interface Binder { void bind(PreparedStatement ps) throws SQLException; }

    @FunctionalInterface
    interface RowMapper<T> { T map(ResultSet rs) throws SQLException; }

    /** How long a read of the running store waits out a fault the journal is reopening the database for. */
    static final long TRANSIENT_PATIENCE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    private final DataSource ds;
    private final String where;
    private final long patienceNanos;

    /** Reads that fail at the first fault (what opening the database reads: the opening falls back itself). */
    Sql(DataSource ds, String where) { this(ds, where, 0); }

    /**
     * Reads that retry, for up to {@code patienceNanos}, a full disk, an I/O error or a closed
     * database: those make the journal reopen the database (read-only while the disk is full) and
     * swap the readers' pool, so a read that came at that moment succeeds on the next pool instead
     * of failing whoever asked (a starting engine among them: FullDiskTest).
     */
    Sql(DataSource ds, String where, long patienceNanos) {
        this.ds = ds;
        this.where = where;
        this.patienceNanos = patienceNanos;
    }

    <T> List<T> list(String sql, Binder binder, RowMapper<T> mapper) {
        long deadline = System.nanoTime() + patienceNanos;
        long pause = 20;
        while (true) {
            try (Connection c = ds.getConnection()) {
                return list(c, sql, binder, mapper);
            } catch (SQLException e) {
                if (!transientFault(e) || System.nanoTime() - deadline >= 0 || !pause(pause)) {
                    throw new StoreException("cannot read the store " + where + ": " + StoreFaults.detail(e), e);
                }
                pause = Math.min(pause * 2, 500);
            }
        }
    }

    private static boolean transientFault(SQLException e) {
        StoreFaults.Kind k = StoreFaults.classify(e);
        return k == StoreFaults.Kind.DISK_FULL || k == StoreFaults.Kind.IO_ERROR || k == StoreFaults.Kind.CLOSED;
    }

    private static boolean pause(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static <T> List<T> list(Connection c, String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (binder != null) binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) out.add(mapper.map(rs));
                return out;
            }
        }
    }

    <T> Optional<T> one(String sql, Binder binder, RowMapper<T> mapper) {
        List<T> l = list(sql, binder, mapper);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    static long ms(Instant t) { return t.toEpochMilli(); }

    static Instant instant(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static Long longOrNull(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    static Integer intOrNull(ResultSet rs, String col) throws SQLException {
        int v = rs.getInt(col);
        return rs.wasNull() ? null : v;
    }

    static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, v);
    }

    static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) ps.setNull(i, Types.INTEGER);
        else ps.setInt(i, v);
    }

    /** Cuts text to the column size (keeps the start). */
    static String clip(String s, int max) {
        if (s == null || s.length() <= max) return s;
        return s.substring(0, max - 3) + "...";
    }

}
