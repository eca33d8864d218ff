package io.sabot.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes journal batches into H2 over one dedicated connection: one transaction per batch,
 * one JDBC batch per table. Keyed records are coalesced (last wins), offsets keep the maximum.
 * Every durable batch also advances the store's generation ({@code store_meta}) in the same
 * transaction. A record the database refuses for its content is refused alone; a fault of the
 * store (full disk, I/O error, closed database) fails the whole batch, which the journal keeps and
 * retries after {@link #recover} has reopened the database through the {@link Reopener}.
 */
final class SqlBatchWriter implements JournalWriter.BatchWriter, AutoCloseable {
    /** Gives the writer a new connection after a failure (reopening, or repairing, the database). */
    @FunctionalInterface
    interface Reopener {
        Connection reopen(Throwable failure) throws Exception;
    }

    static final int TEXT = 8000;

    private static final String SPEC = "MERGE INTO agent_spec (name, spec_json, updated_ms) KEY (name) VALUES (?, ?, ?)";
    private static final String DESIRED = "MERGE INTO desired_state (agent, running, concurrency, updated_ms) KEY (agent) VALUES (?, ?, ?, ?)";
    private static final String INSTANCE = "MERGE INTO instance (id, agent, idx, pid, process_start_ms, state, updated_ms) KEY (id) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String DEL_SPEC = "DELETE FROM agent_spec WHERE name = ?";
    private static final String DEL_DESIRED = "DELETE FROM desired_state WHERE agent = ?";
    private static final String DEL_INSTANCES = "DELETE FROM instance WHERE agent = ?";
    private static final String OFFSET = "MERGE INTO group_offset t USING (VALUES (CAST(? AS VARCHAR(200)), CAST(? AS INT), "
            + "CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS VARCHAR(250)))) s(topic, part, o, u, g) "
            + "ON t.grp = s.g AND t.topic = s.topic AND t.part = s.part "
            + "WHEN MATCHED AND s.o > t.commit_offset THEN UPDATE SET commit_offset = s.o, updated_ms = s.u "
            + "WHEN NOT MATCHED THEN INSERT (grp, topic, part, commit_offset, updated_ms) VALUES (s.g, s.topic, s.part, s.o, s.u)";
    private static final String TRANSITION = "INSERT INTO transition (seq, time_ms, instance, from_state, to_state, cause, exit_code, signal, reason, trace_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String RESULT = "INSERT INTO lifecycle_result (seq, time_ms, op, instance, success, prev_state, new_state, duration_ns, error, trace_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String METRIC = "INSERT INTO metric_sample (subject, ts_ms, cpu, rss, threads, resolution) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String ASSIGNMENT = "INSERT INTO assignment (seq, topic, epoch, strategy, reason, owners_json, moved, time_ms, grp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SPAN = "INSERT INTO span (seq, trace_id, span_id, parent_span_id, root, name, start_ns, duration_ns, status, attributes_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String STORE_ID = "MERGE INTO store_meta (k, v) KEY (k) VALUES ('store_id', ?)";
    private static final String GENERATION = "UPDATE store_meta SET v = ? WHERE k = 'generation'";
    private static final String EVENT = "INSERT INTO event (seq, time_ms, kind, instance, text) VALUES (?, ?, ?, ?, ?)";

    private Connection conn;
    private final boolean fsync;
    private volatile Reopener reopener;
    /** Commit generation of the database (what the last durable commit wrote to store_meta). */
    private volatile long generation;
    /** A fault found outside the writer (a damaged page seen by a scan): the next write fails with it. */
    private volatile Exception injected;
    /** The store's identity, to be written with the next durable commit (after a restore), or null. */
    private volatile String pendingStoreId;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private Statement durability;
    /** Last seq used per append-only table (loaded from MAX(seq) on first use). */
    private final Map<String, Long> lastSeq = new HashMap<>();

    SqlBatchWriter(Connection conn, boolean fsync) throws SQLException {
        this.conn = conn;
        this.fsync = fsync;
        conn.setAutoCommit(false);
        this.generation = readGeneration(conn);
    }

    void reopener(Reopener r) { this.reopener = r; }

    /** The generation of the last durable commit. */
    long generation() { return generation; }

    /**
     * Continues the generation from at least {@code floor} and writes {@code storeId} with the next
     * durable commit (after a restore or a snapshot: nothing is written now, so a full disk cannot stop
     * the store from opening).
     */
    void continueFrom(long floor, String storeId) {
        if (floor > generation) generation = floor;
        pendingStoreId = storeId;
    }

    /** Makes the next write fail with this fault (the journal then recovers through the reopener). */
    void inject(Exception fault) { this.injected = fault; }

    static long readGeneration(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT v FROM store_meta WHERE k = 'generation'")) {
            return rs.next() ? Long.parseLong(rs.getString(1)) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public Map<Long, Exception> write(List<JournalWriter.Entry> batch) throws Exception {
        Exception fault = injected;
        if (fault != null) throw fault;
        // only batches holding a durable record pay for CHECKPOINT; lazy ones (metrics, spans)
        // reach the file through H2's write delay, which is all they were promised
        boolean durable = batch.stream().anyMatch(e -> !e.record().lazy());
        try {
            apply(batch);
            commit(durable);
            return Map.of();
        } catch (SQLException | RuntimeException first) {
            rollbackQuietly();
            if (!StoreFaults.isRecordError(first)) throw first; // the store itself failed: the journal retries
            if (batch.size() == 1) {
                commit(durable); // nothing written; make the rejection final
                return Map.of(batch.get(0).ticket(), first);
            }
        }
        // Something in the batch was refused: write record by record, isolating the bad ones.
        Map<Long, Exception> refused = new LinkedHashMap<>();
        for (JournalWriter.Entry e : batch) {
            Savepoint sp = conn.setSavepoint();
            try {
                apply(List.of(e));
                conn.releaseSavepoint(sp);
            } catch (SQLException | RuntimeException ex) {
                if (!StoreFaults.isRecordError(ex)) {
                    rollbackQuietly();
                    throw ex;
                }
                conn.rollback(sp);
                refused.put(e.ticket(), ex);
            }
        }
        commit(durable);
        return refused;
    }

    /** Writes records outside the journal (on the writer thread, e.g. the state after a repair). */
    void writeAll(List<JournalRecord> records) throws Exception {
        List<JournalWriter.Entry> entries = new ArrayList<>();
        long t = 0;
        for (JournalRecord r : records) entries.add(new JournalWriter.Entry(++t, r));
        for (int from = 0; from < entries.size(); from += JournalWriter.MAX_BATCH) {
            write(entries.subList(from, Math.min(entries.size(), from + JournalWriter.MAX_BATCH)));
        }
    }

    /** Drops the old connection and takes a new one from the reopener (called by the journal before a retry). */
    @Override
    public void recover(Throwable failure) throws Exception {
        Reopener r = reopener;
        if (r == null) throw new IllegalStateException("no way to reopen the database");
        injected = null;
        closeStatements();
        try {
            conn.close();
        } catch (SQLException ignored) {
            // it is being replaced
        }
        Connection fresh = r.reopen(failure);
        fresh.setAutoCommit(false);
        conn = fresh;
        lastSeq.clear();
        generation = readGeneration(fresh);
    }

    /**
     * Commits the transaction, then makes it durable: {@code CHECKPOINT} is {@code MVStore.commit()},
     * which writes the changes to the file before returning (enough for {@code kill -9}); with
     * {@code fsync}, {@code CHECKPOINT SYNC} also forces them to the disk (power loss).
     */
    private void commit(boolean durable) throws SQLException {
        long next = generation + 1;
        String id = pendingStoreId;
        if (durable) {
            PreparedStatement g = ps(GENERATION);
            g.setString(1, Long.toString(next));
            g.executeUpdate();
            if (id != null) {
                PreparedStatement m = ps(STORE_ID);
                m.setString(1, id);
                m.executeUpdate();
            }
        }
        conn.commit();
        if (!durable) return;
        if (durability == null) durability = conn.createStatement();
        durability.execute("CHECKPOINT");
        if (fsync) durability.execute("CHECKPOINT SYNC");
        generation = next;
        if (id != null && id.equals(pendingStoreId)) pendingStoreId = null;
    }

    private void rollbackQuietly() {
        try {
            conn.rollback();
        } catch (SQLException ignored) {
            // the retry will fail as well and report
        }
    }

    private long nextSeq(String table) throws SQLException {
        Long last = lastSeq.get(table);
        if (last == null) {
            try (Statement st = conn.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM " + table)) {
                rs.next();
                last = rs.getLong(1);
            }
        }
        lastSeq.put(table, last + 1);
        return last + 1;
    }

    private PreparedStatement ps(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = conn.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    private void apply(List<JournalWriter.Entry> batch) throws SQLException {
        Map<String, SpecRecord> specs = new LinkedHashMap<>();
        Map<String, DesiredStateRecord> desired = new LinkedHashMap<>();
        Map<String, InstanceRecord> instances = new LinkedHashMap<>();
        Set<String> removals = new LinkedHashSet<>();
        Map<String, OffsetRecord> offsets = new LinkedHashMap<>();
        List<TransitionRecord> transitions = new ArrayList<>();
        List<ResultRecord> results = new ArrayList<>();
        List<MetricRecord> metrics = new ArrayList<>();
        List<AssignmentRecord> assignments = new ArrayList<>();
        List<SpanRecord> spans = new ArrayList<>();
        List<EventRecord> events = new ArrayList<>();

        for (JournalWriter.Entry e : batch) {
            JournalRecord r = e.record();
            if (r instanceof TransitionRecord) transitions.add((TransitionRecord) r);
            else if (r instanceof MetricRecord) metrics.add((MetricRecord) r);
            else if (r instanceof SpanRecord) spans.add((SpanRecord) r);
            else if (r instanceof OffsetRecord) {
                OffsetRecord o = (OffsetRecord) r;
                offsets.merge(o.group() + '\u0000' + o.topic() + '\u0000' + o.partition(), o, (a, b) -> b.offset() >= a.offset() ? b : a);
            } else if (r instanceof InstanceRecord) {
                InstanceRecord i = (InstanceRecord) r;
                instances.put(i.id(), i);
            } else if (r instanceof ResultRecord) results.add((ResultRecord) r);
            else if (r instanceof EventRecord) events.add((EventRecord) r);
            else if (r instanceof DesiredStateRecord) {
                DesiredStateRecord d = (DesiredStateRecord) r;
                desired.put(d.agent(), d);
            } else if (r instanceof SpecRecord) {
                SpecRecord s = (SpecRecord) r;
                specs.put(s.name(), s);
            } else if (r instanceof AssignmentRecord) assignments.add((AssignmentRecord) r);
            else if (r instanceof AgentRemovalRecord) {
                String agent = ((AgentRemovalRecord) r).agent();
                specs.remove(agent);
                desired.remove(agent);
                instances.values().removeIf(i -> i.agent().equals(agent));
                removals.add(agent);
            } else {
                throw new IllegalArgumentException("unknown record type " + r.getClass().getName());
            }
        }

        if (!removals.isEmpty()) {
            for (String sql : new String[] {DEL_SPEC, DEL_DESIRED, DEL_INSTANCES}) {
                PreparedStatement ps = ps(sql);
                for (String a : removals) {
                    ps.setString(1, a);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!specs.isEmpty()) {
            PreparedStatement ps = ps(SPEC);
            for (SpecRecord s : specs.values()) {
                ps.setString(1, s.name());
                ps.setString(2, s.json());
                ps.setLong(3, Sql.ms(s.updated()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (!desired.isEmpty()) {
            PreparedStatement ps = ps(DESIRED);
            for (DesiredStateRecord d : desired.values()) {
                ps.setString(1, d.agent());
                ps.setBoolean(2, d.running());
                ps.setInt(3, d.concurrency());
                ps.setLong(4, Sql.ms(d.updated()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (!instances.isEmpty()) {
            PreparedStatement ps = ps(INSTANCE);
            for (InstanceRecord i : instances.values()) {
                ps.setString(1, i.id());
                ps.setString(2, i.agent());
                ps.setInt(3, i.index());
                Sql.setLong(ps, 4, i.pid());
                Sql.setLong(ps, 5, i.processStart() == null ? null : Sql.ms(i.processStart()));
                ps.setString(6, i.state());
                ps.setLong(7, Sql.ms(i.updated()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (!offsets.isEmpty()) {
            PreparedStatement ps = ps(OFFSET);
            for (OffsetRecord o : offsets.values()) {
                ps.setString(1, o.topic());
                ps.setInt(2, o.partition());
                ps.setLong(3, o.offset());
                ps.setLong(4, Sql.ms(o.time()));
                ps.setString(5, o.group());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (!transitions.isEmpty()) {
            PreparedStatement ps = ps(TRANSITION);
            for (TransitionRecord t : transitions) {
                ps.setLong(1, nextSeq("transition"));
                ps.setLong(2, Sql.ms(t.time()));
                ps.setString(3, t.instance());
                ps.setString(4, t.from());
                ps.setString(5, t.to());
                ps.setString(6, Sql.clip(t.cause(), 200));
                Sql.setInt(ps, 7, t.exitCode());
                ps.setString(8, Sql.clip(t.signal(), 32));
                ps.setString(9, Sql.clip(t.reason(), TEXT));
                ps.setString(10, t.traceId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (!results.isEmpty()) {
            PreparedStatement ps = ps(RESULT);
            for (ResultRecord r : results) {
                ps.setLong(1, nextSeq("lifecycle_result"));
                ps.setLong(2, Sql.ms(r.time()));
                ps.setString(3, r.op());
                ps.setString(4, r.instance());
                ps.setBoolean(5, r.success());
                ps.setString(6, r.prevState());
                ps.setString(7, r.newState());
                ps.setLong(8, r.duration().toNanos());
                ps.setString(9, Sql.clip(r.error(), TEXT));
                ps.setString(10, r.traceId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (!metrics.isEmpty()) {
            PreparedStatement ps = ps(METRIC);
            for (MetricRecord m : metrics) {
                ps.setString(1, m.subject());
                ps.setLong(2, Sql.ms(m.time()));
                ps.setDouble(3, Double.isFinite(m.cpu()) ? m.cpu() : 0.0);
                ps.setLong(4, m.rss());
                ps.setInt(5, m.threads());
                ps.setInt(6, m.resolution());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (!assignments.isEmpty()) {
            PreparedStatement ps = ps(ASSIGNMENT);
            for (AssignmentRecord a : assignments) {
                ps.setLong(1, nextSeq("assignment"));
                ps.setString(2, a.topic());
                ps.setLong(3, a.epoch());
                ps.setString(4, a.strategy());
                ps.setString(5, Sql.clip(a.reason(), TEXT));
                ps.setString(6, Json.write(a.owners()));
                ps.setInt(7, a.moved());
                ps.setLong(8, Sql.ms(a.time()));
                ps.setString(9, a.group());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (!spans.isEmpty()) {
            PreparedStatement ps = ps(SPAN);
            for (SpanRecord s : spans) {
                ps.setLong(1, nextSeq("span"));
                ps.setString(2, s.traceId());
                ps.setString(3, s.spanId());
                ps.setString(4, s.parentSpanId());
                ps.setBoolean(5, s.root());
                ps.setString(6, Sql.clip(s.name(), 1000));
                ps.setLong(7, s.startEpochNanos());
                ps.setLong(8, s.durationNanos());
                ps.setString(9, s.status());
                ps.setString(10, attributesJson(s));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (!events.isEmpty()) {
            PreparedStatement ps = ps(EVENT);
            for (EventRecord ev : events) {
                ps.setLong(1, nextSeq("event"));
                ps.setLong(2, Sql.ms(ev.time()));
                ps.setString(3, Sql.clip(ev.kind(), 64));
                ps.setString(4, ev.instance());
                ps.setString(5, Sql.clip(ev.text(), TEXT));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String attributesJson(SpanRecord s) {
        String json = Json.write(s.attributes());
        if (json.length() <= 100_000) return json;
        Map<String, Object> cut = new LinkedHashMap<>();
        for (Map.Entry<String, Object> a : s.attributes().entrySet()) {
            Object v = a.getValue();
            cut.put(a.getKey(), v instanceof String ? Sql.clip((String) v, 1000) : v);
        }
        json = Json.write(cut);
        return json.length() <= 100_000 ? json : "{\"_truncated\":true}";
    }

    private void closeStatements() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        statements.clear();
        try {
            if (durability != null) durability.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
        durability = null;
    }

    @Override
    public void close() {
        closeStatements();
        try {
            conn.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
