package io.sabot.telemetry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Locale;

/**
 * Which traces to find. Every criterion is optional (null: any) and they combine with AND:
 * <ul>
 *   <li>{@code agent}: an agent name or instance id ({@code fraud_detector} or {@code
 *       fraud_detector-1}); matches a trace where any span names it in {@code sabot.instance} or
 *       {@code sabot.crashed}, or in its span name ("start fraud_detector-1");</li>
 *   <li>{@code operation}: the root's operation, by prefix of its name or its {@code
 *       sabot.operation} ("restart" finds "restart (3 instances)"; "crash" finds "crash-restart ...");</li>
 *   <li>{@code status}: "ok" (not ERROR) or "error";</li>
 *   <li>{@code minDurationMs} / {@code maxDurationMs}: the trace's duration, inclusive.</li>
 * </ul>
 * {@code limit}: most traces returned, newest first.
 */
public record TraceQuery(String agent, String operation, String status, Long minDurationMs, Long maxDurationMs, int limit) {
    public TraceQuery {
        agent = blank(agent);
        operation = blank(operation);
        status = blank(status) == null ? null : status.strip().toLowerCase(Locale.ROOT);
        if (status != null && !status.equals("ok") && !status.equals("error")) {
            throw new IllegalArgumentException("status must be ok or error, was \"" + status + "\"");
        }
        if (minDurationMs != null && minDurationMs < 0) throw new IllegalArgumentException("the least duration must be >= 0 ms, was " + minDurationMs);
        if (maxDurationMs != null && maxDurationMs < 0) throw new IllegalArgumentException("the most duration must be >= 0 ms, was " + maxDurationMs);
        if (limit < 1 || limit > 10_000) throw new IllegalArgumentException("limit must be between 1 and 10000, was " + limit);
    }

    public static TraceQuery recent(int limit) { return new TraceQuery(null, null, null, null, null, limit); }

    private static String blank(String s) { return s == null || s.isBlank() ? null : s.strip(); }

    /** True when no criterion is set. */
    @JsonIgnore
    public boolean isEmpty() {
        return agent == null && operation == null && status == null && minDurationMs == null && maxDurationMs == null;
    }

    public TraceQuery withLimit(int n) { return new TraceQuery(agent, operation, status, minDurationMs, maxDurationMs, n); }

    /** Whether {@code t} matches (the same rules the store's query applies). */
    public boolean matches(TraceView t) {
        return matchesRoot(t.name(), t.status(), span(t), t.durationNanos()) && matchesAgent(t);
    }

    private static SpanView span(TraceView t) { return t.spans().isEmpty() ? null : t.root(); }

    /** Root-level criteria: operation, status, duration. */
    public boolean matchesRoot(String rootName, String rootStatus, SpanView root, long durationNanos) {
        if (operation != null) {
            String op = operation.toLowerCase(Locale.ROOT);
            Object attr = root == null ? null : root.attributes().get("sabot.operation");
            boolean byName = rootName != null && rootName.toLowerCase(Locale.ROOT).startsWith(op);
            boolean byAttr = attr != null && attr.toString().toLowerCase(Locale.ROOT).startsWith(op);
            if (!byName && !byAttr) return false;
        }
        if (status != null) {
            boolean error = "ERROR".equalsIgnoreCase(rootStatus);
            if (status.equals("error") != error) return false;
        }
        long ms = durationNanos / 1_000_000;
        if (minDurationMs != null && ms < minDurationMs) return false;
        return maxDurationMs == null || ms <= maxDurationMs;
    }

    /** The agent criterion over a trace's spans. */
    public boolean matchesAgent(TraceView t) {
        if (agent == null) return true;
        for (SpanView s : t.spans()) if (mentions(s)) return true;
        return false;
    }

    /** Whether a span names the agent or instance of this query. */
    public boolean mentions(SpanView s) {
        if (agent == null) return true;
        for (String key : new String[] {"sabot.instance", "sabot.crashed"}) {
            Object v = s.attributes().get(key);
            if (v != null && names(v.toString())) return true;
        }
        for (String word : s.name().split("[\\s,\\[\\]]+")) if (names(word)) return true;
        return false;
    }

    /** {@code id} is the queried instance, or an instance of the queried agent. */
    boolean names(String id) {
        if (id.equals(agent)) return true;
        if (!id.startsWith(agent + "-")) return false;
        String rest = id.substring(agent.length() + 1);
        return !rest.isEmpty() && rest.chars().allMatch(Character::isDigit);
    }
}
