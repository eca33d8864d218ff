package io.sabot.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/** Alerts and their deliveries (newest first in reads). Written durably by the alert service's thread. */
public final class AlertRepository {
    static final int MAX_ROWS = 10_000;
    private static final String COLS = "SELECT id, rule, on_kind, alert_key, agent, instance, state, message, started_ms, resolved_ms, "
            + "trace_id, test, deliveries_json FROM alert";
    private final Sql sql;
    private final OpsSql ops;

    AlertRepository(Sql sql, OpsSql ops) {
        this.sql = sql;
        this.ops = ops;
    }

    /** Inserts (id 0) or updates (by id) an alert; returns it with its id. Durable on return. */
    public AlertRow save(AlertRow a) {
        String deliveries = a.deliveriesJson();
        return ops.write(true, c -> {
            if (a.id() > 0) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE alert SET state = ?, message = ?, resolved_ms = ?, "
                        + "deliveries_json = ?, trace_id = ?, updated_ms = ? WHERE id = ?")) {
                    ps.setString(1, a.state());
                    ps.setString(2, Sql.clip(a.message(), SqlBatchWriter.TEXT));
                    Sql.setLong(ps, 3, a.resolvedMs());
                    ps.setString(4, deliveries);
                    ps.setString(5, a.traceId());
                    ps.setLong(6, System.currentTimeMillis());
                    ps.setLong(7, a.id());
                    if (ps.executeUpdate() == 1) return a;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert (rule, on_kind, alert_key, agent, instance, state, message, "
                    + "started_ms, resolved_ms, trace_id, test, deliveries_json, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, a.rule());
                ps.setString(2, a.on());
                ps.setString(3, Sql.clip(a.key(), 500));
                ps.setString(4, a.agent());
                ps.setString(5, a.instance());
                ps.setString(6, a.state());
                ps.setString(7, Sql.clip(a.message(), SqlBatchWriter.TEXT));
                ps.setLong(8, a.startedMs());
                Sql.setLong(ps, 9, a.resolvedMs());
                ps.setString(10, a.traceId());
                ps.setBoolean(11, a.test());
                ps.setString(12, deliveries);
                ps.setLong(13, System.currentTimeMillis());
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    return a.withId(rs.getLong(1));
                }
            }
        });
    }

    public List<AlertRow> recent(int limit) {
        return sql.list(COLS + " ORDER BY id DESC FETCH FIRST ? ROWS ONLY", ps -> ps.setInt(1, limit), AlertRepository::map);
    }

    /** Alerts still firing (a new engine resolves or keeps them). */
    public List<AlertRow> firing() {
        return sql.list(COLS + " WHERE state = 'firing' ORDER BY id", null, AlertRepository::map);
    }

    /** Keeps the newest {@link #MAX_ROWS}; returns how many went. */
    public int trim() {
        return ops.write(false, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM alert WHERE id <= (SELECT COALESCE(MAX(id), 0) FROM alert) - ?")) {
                ps.setLong(1, MAX_ROWS);
                return ps.executeUpdate();
            }
        });
    }

    private static AlertRow map(ResultSet rs) throws java.sql.SQLException {
        return new AlertRow(rs.getLong("id"), rs.getString("rule"), rs.getString("on_kind"), rs.getString("alert_key"), rs.getString("agent"),
                rs.getString("instance"), rs.getString("state"), rs.getString("message"), rs.getLong("started_ms"),
                Sql.longOrNull(rs, "resolved_ms"), rs.getString("trace_id"), rs.getBoolean("test"), rs.getString("deliveries_json"));
    }
}
