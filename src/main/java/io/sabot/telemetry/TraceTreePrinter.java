package io.sabot.telemetry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders traces as indented trees with durations, for {@code sabot telemetry traces}:
 * <pre>
 * restart fraud_detector (3 instances)  812.4 ms  OK
 * ├─ restart fraud_detector-0  402.1 ms
 * │  ├─ stop.signal  0.3 ms
 * │  └─ start  120.0 ms
 * └─ restart fraud_detector-1  409.9 ms  ERROR
 * </pre>
 * Children are ordered by start time; a span whose parent is not in the trace hangs under the root.
 * Non-root spans show their status only when it is {@code ERROR}.
 */
public final class TraceTreePrinter {
    private TraceTreePrinter() { }

    /** Traces separated by blank lines. */
    public static String render(List<TraceView> traces) {
        StringBuilder sb = new StringBuilder();
        for (TraceView t : traces) {
            if (sb.length() > 0) sb.append('\n');
            sb.append(render(t));
        }
        return sb.toString();
    }

    public static String render(TraceView trace) {
        SpanView root = trace.root();
        Map<String, List<SpanView>> children = new HashMap<>();
        Set<String> ids = new HashSet<>();
        for (SpanView s : trace.spans()) ids.add(s.spanId());
        for (SpanView s : trace.spans()) {
            if (s == root) continue;
            String parent = s.parentSpanId() != null && ids.contains(s.parentSpanId()) ? s.parentSpanId() : root.spanId();
            children.computeIfAbsent(parent, k -> new ArrayList<>()).add(s);
        }
        for (List<SpanView> l : children.values()) l.sort(Comparator.comparingLong(SpanView::startEpochNanos));
        StringBuilder sb = new StringBuilder();
        sb.append(root.name()).append("  ").append(formatDuration(root.durationNanos())).append("  ")
                .append(root.status()).append('\n');
        walk(sb, root.spanId(), "", children, new HashSet<>());
        return sb.toString();
    }

    private static void walk(StringBuilder sb, String id, String indent, Map<String, List<SpanView>> children,
                             Set<String> seen) {
        if (!seen.add(id)) return; // defends against cycles in bad data
        List<SpanView> kids = children.getOrDefault(id, List.of());
        for (int i = 0; i < kids.size(); i++) {
            SpanView k = kids.get(i);
            boolean last = i == kids.size() - 1;
            sb.append(indent).append(last ? "└─ " : "├─ ").append(k.name()).append("  ")
                    .append(formatDuration(k.durationNanos()));
            if ("ERROR".equals(k.status())) sb.append("  ERROR");
            sb.append('\n');
            walk(sb, k.spanId(), indent + (last ? "   " : "│  "), children, seen);
        }
    }

    /** {@code 0.3 ms}, {@code 812.4 ms}, {@code 12.35 s}, {@code 3.1 min}. */
    public static String formatDuration(long nanos) {
        double ms = nanos / 1e6;
        if (ms < 1000) return String.format(Locale.ROOT, "%.1f ms", ms);
        double s = ms / 1000;
        if (s < 120) return String.format(Locale.ROOT, "%.2f s", s);
        return String.format(Locale.ROOT, "%.1f min", s / 60);
    }
}
