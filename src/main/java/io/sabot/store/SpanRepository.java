package io.sabot.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finished spans, grouped into traces. */
public final class SpanRepository {
    private static final String COLS = "SELECT trace_id, span_id, parent_span_id, root, name, start_ns, duration_ns, "
            + "status, attributes_json FROM span";
    private static final int IN_CHUNK = 200;
    private final Sql sql;
    private final JournalWriter journal;

    SpanRepository(Sql sql, JournalWriter journal) {
        this.sql = sql;
        this.journal = journal;
    }

    /** Queues a span without waiting; false if it was dropped because the journal queue is full. */
    public boolean record(SpanRecord s) { return journal.submit(s) != JournalWriter.DROPPED; }

    /** The newest {@code limit} traces (by root start time, newest first), each with all its stored spans. */
    public List<StoredTrace> recentTraces(int limit) {
        List<SpanRecord> roots = sql.list(COLS + " WHERE root = TRUE ORDER BY start_ns DESC FETCH FIRST ? ROWS ONLY",
                ps -> ps.setInt(1, limit), SpanRepository::map);
        List<String> ids = new ArrayList<>();
        for (SpanRecord r : roots) if (!ids.contains(r.traceId())) ids.add(r.traceId());
        Map<String, List<SpanRecord>> spans = spansOf(ids);
        List<StoredTrace> out = new ArrayList<>();
        for (String id : ids) out.add(toTrace(id, spans.getOrDefault(id, List.of())));
        return out;
    }

    /**
     * Root spans matching the given criteria, newest first, at most {@code limit}; each trace with
     * all its stored spans. {@code agentLike}: traces with a span whose {@code sabot.instance} or
     * name mentions this agent or instance (a LIKE prefilter: callers check the exact rule).
     * {@code operationPrefix}: the root's name or {@code sabot.operation} starts with it.
     * {@code error}: null any, true only ERROR roots, false only others. Durations in ns, null: no bound.
     */
    public List<StoredTrace> search(String agentLike, String operationPrefix, Boolean error, Long minNanos, Long maxNanos, int limit) {
        StringBuilder where = new StringBuilder(" WHERE root = TRUE");
        List<Object> args = new ArrayList<>();
        if (operationPrefix != null) {
            where.append(" AND (LOWER(name) LIKE ? ESCAPE '\\' OR LOWER(attributes_json) LIKE ? ESCAPE '\\')");
            String op = like(operationPrefix.toLowerCase(java.util.Locale.ROOT));
            args.add(op + "%");
            args.add("%\"sabot.operation\":\"" + op + "%");
        }
        if (error != null) where.append(error ? " AND status = 'ERROR'" : " AND status <> 'ERROR'");
        if (minNanos != null) {
            where.append(" AND duration_ns >= ?");
            args.add(minNanos);
        }
        if (maxNanos != null) {
            where.append(" AND duration_ns <= ?");
            args.add(maxNanos);
        }
        if (agentLike != null) {
            String a = like(agentLike);
            where.append(" AND trace_id IN (SELECT trace_id FROM span WHERE attributes_json LIKE ? ESCAPE '\\' OR attributes_json LIKE ? ESCAPE '\\'"
                    + " OR name LIKE ? ESCAPE '\\')");
            args.add("%\"sabot.instance\":\"" + a + "%");
            args.add("%\"sabot.crashed\":\"" + a + "%");
            args.add("%" + a + "%");
        }
        args.add(limit);
        List<SpanRecord> roots = sql.list(COLS + where + " ORDER BY start_ns DESC FETCH FIRST ? ROWS ONLY", ps -> {
            for (int i = 0; i < args.size(); i++) {
                Object v = args.get(i);
                if (v instanceof Long l) ps.setLong(i + 1, l);
                else if (v instanceof Integer n) ps.setInt(i + 1, n);
                else ps.setString(i + 1, (String) v);
            }
        }, SpanRepository::map);
        List<String> ids = new ArrayList<>();
        for (SpanRecord r : roots) if (!ids.contains(r.traceId())) ids.add(r.traceId());
        Map<String, List<SpanRecord>> spans = spansOf(ids);
        List<StoredTrace> out = new ArrayList<>();
        for (String id : ids) out.add(toTrace(id, spans.getOrDefault(id, List.of())));
        return out;
    }

    /** A value for a LIKE pattern: its own %, _ and \\ taken literally. */
    private static String like(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    public Optional<StoredTrace> trace(String traceId) {
        List<SpanRecord> spans = spansOf(List.of(traceId)).getOrDefault(traceId, List.of());
        return spans.isEmpty() ? Optional.empty() : Optional.of(toTrace(traceId, spans));
    }

    /** Stored spans of these traces, by trace id, each list by start time. */
    public Map<String, List<SpanRecord>> spansOf(Collection<String> traceIds) {
        Map<String, List<SpanRecord>> out = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>(traceIds);
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            List<SpanRecord> rows = sql.list(COLS + " WHERE trace_id IN (" + marks + ") ORDER BY start_ns, seq", ps -> {
                for (int i = 0; i < chunk.size(); i++) ps.setString(i + 1, chunk.get(i));
            }, SpanRepository::map);
            for (SpanRecord s : rows) out.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
        }
        return out;
    }

    public long count() {
        return sql.one("SELECT COUNT(*) FROM span", null, rs -> rs.getLong(1)).orElse(0L);
    }

    private static StoredTrace toTrace(String id, List<SpanRecord> spans) {
        SpanRecord root = null;
        for (SpanRecord s : spans) {
            if (s.root() && (root == null || s.startEpochNanos() < root.startEpochNanos())) root = s;
        }
        return new StoredTrace(id, root, spans);
    }

    private static SpanRecord map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new SpanRecord(rs.getString("trace_id"), rs.getString("span_id"), rs.getString("parent_span_id"),
                rs.getBoolean("root"), rs.getString("name"), rs.getLong("start_ns"), rs.getLong("duration_ns"),
                rs.getString("status"), Json.readMap(rs.getString("attributes_json")));
    }
}
