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

    private final DataSource ds;
    private final String where;

    Sql(DataSource ds, String where) {
        this.ds = ds;
        this.where = where;
    }

    <T> List<T> list(String sql, Binder binder, RowMapper<T> mapper) {
        try (Connection c = ds.getConnection()) {
            return list(c, sql, binder, mapper);
        } catch (SQLException e) {
            throw new StoreException("cannot read the store " + where + ": " + StoreFaults.detail(e), e);
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
