package io.sabot.cli;

import io.sabot.engine.SpanView;
import io.sabot.engine.TraceView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A trace as an indented tree with durations, for people. */
final class TraceTree {
    private TraceTree() {}

    static String render(TraceView t) {
        Map<String, List<SpanView>> children = new HashMap<>();
        Set<String> ids = t.spans().stream().map(SpanView::spanId).collect(Collectors.toSet());
        List<SpanView> roots = new ArrayList<>();
        for (SpanView s : t.spans()) {
            if (s.parentSpanId() == null || s.parentSpanId().isEmpty() || !ids.contains(s.parentSpanId())) roots.add(s);
            else children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s  %s  %s  trace %s%n", t.name(), ms(t.durationNanos()), t.status(), t.traceId()));
        roots.sort(Comparator.comparingLong(SpanView::startEpochNanos));
        for (SpanView r : roots) {
            List<SpanView> kids = children.getOrDefault(r.spanId(), List.of());
            if (r.name().equals(t.name()) && roots.size() == 1) walk(sb, kids, children, "");
            else walk(sb, List.of(r), children, "");
        }
        return sb.toString();
    }

    private static void walk(StringBuilder sb, List<SpanView> spans, Map<String, List<SpanView>> children, String indent) {
        List<SpanView> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparingLong(SpanView::startEpochNanos));
        for (int i = 0; i < sorted.size(); i++) {
            SpanView s = sorted.get(i);
            boolean last = i == sorted.size() - 1;
            sb.append(indent).append(last ? "└─ " : "├─ ").append(s.name()).append("  ").append(ms(s.durationNanos()));
            if ("ERROR".equals(s.status())) sb.append("  ERROR");
            sb.append('\n');
            walk(sb, children.getOrDefault(s.spanId(), List.of()), children, indent + (last ? "   " : "│  "));
        }
    }

    private static String ms(long nanos) { return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6); }
}
