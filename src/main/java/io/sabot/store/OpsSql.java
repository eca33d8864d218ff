package io.sabot.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Writes of the operator repositories (alerts, crash reports, usage history): outside the
 * journal, on a pooled connection, from the ops services' own threads (never the engine's).
 * A durable write ends with {@code CHECKPOINT}, as the journal's group commit does.
 */
final class OpsSql {
    @FunctionalInterface
    interface Work<T> { T run(Connection c) throws SQLException; }

    private final DataSource ds;
    private final String where;

    OpsSql(DataSource ds, String where) {
        this.ds = ds;
        this.where = where;
    }

    <T> T write(boolean durable, Work<T> work) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                T out = work.run(c);
                c.commit();
                if (durable) {
                    try (Statement st = c.createStatement()) { st.execute("CHECKPOINT"); }
                }
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot write the store " + where + ": " + StoreFaults.detail(e), e);
        }
    }
}
