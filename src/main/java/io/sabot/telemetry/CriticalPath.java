package io.sabot.telemetry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The critical path of a trace: the chain of spans that decided its length. Walking back from
 * the end of the trace, the time belongs to the child that finished last before the current point
 * (recursively, its own children first), and time no child covers belongs to the parent itself.
 * The result is a list of segments, in time order, that exactly tile the trace from its first start
 * to its last end; each names the span that was the blocker then. A pure function over spans.
 *
 * <p>Spans that end after their parent (asynchronous work such as a partition handoff that
 * finishes after the operation returned) count too: the trace ends when its last span ends.
 *
 * <p>Guarantees (test: {@code CriticalPathTest}): on a known trace the path and the summary are
 * the expected ones; the segments never overlap and their total is the trace's duration; 10,000
 * spans take well under a frame (no recursion, so any depth).
 */
public final class CriticalPath {
    /** A stretch of time during which {@code span} was the blocker. */
    public record Segment(SpanView span, long startNanos, long endNanos) {
        public long nanos() { return endNanos - startNanos; }
    }

    private final List<Segment> segments;
    private final long totalNanos;

    private CriticalPath(List<Segment> segments, long totalNanos) {
        this.segments = List.copyOf(segments);
        this.totalNanos = totalNanos;
    }

    public List<Segment> segments() { return segments; }

    public long totalNanos() { return totalNanos; }

    /** Span ids on the path (a span counts when it owns at least one segment). */
    public java.util.Set<String> spanIds() {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Segment s : segments) out.add(s.span().spanId());
        return out;
    }

    /** The critical path of these spans (one trace). Empty for no spans. */
    public static CriticalPath of(List<SpanView> spans) {
        if (spans.isEmpty()) return new CriticalPath(List.of(), 0);
        Map<String, SpanView> byId = new HashMap<>();
        for (SpanView s : spans) byId.put(s.spanId(), s);
        Map<String, List<SpanView>> kids = new HashMap<>();
        List<SpanView> roots = new ArrayList<>();
        for (SpanView s : spans) {
            if (s.parentSpanId() == null || !byId.containsKey(s.parentSpanId()) || s.parentSpanId().equals(s.spanId())) roots.add(s);
            else kids.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
        }
        // a span lasts, for the path, until its last descendant ends (work that outlives its parent)
        Map<String, Long> end = new HashMap<>();
        List<SpanView> preorder = new ArrayList<>(spans.size());
        ArrayList<SpanView> todo = new ArrayList<>(roots);
        java.util.Set<String> seen = new java.util.HashSet<>(), rootIds = new java.util.HashSet<>();
        for (SpanView r : roots) rootIds.add(r.spanId());
        while (!todo.isEmpty()) {
            SpanView s = todo.remove(todo.size() - 1);
            if (!seen.add(s.spanId())) continue;
            preorder.add(s);
            todo.addAll(kids.getOrDefault(s.spanId(), List.of()));
        }
        for (int i = preorder.size() - 1; i >= 0; i--) {
            SpanView s = preorder.get(i);
            long e = Math.max(s.endEpochNanos(), end.getOrDefault(s.spanId(), Long.MIN_VALUE));
            end.put(s.spanId(), e);
            if (s.parentSpanId() != null && byId.containsKey(s.parentSpanId()) && !rootIds.contains(s.spanId())) {
                end.merge(s.parentSpanId(), e, Math::max);
            }
        }
        // children by (effective) end, latest first: the walk takes the last-finishing one before each point
        Comparator<SpanView> byEndDesc = Comparator.comparingLong((SpanView x) -> end.getOrDefault(x.spanId(), x.endEpochNanos())).reversed()
                .thenComparing(Comparator.comparingLong(SpanView::startEpochNanos).reversed());
        kids.values().forEach(l -> l.sort(byEndDesc));
        roots.sort(byEndDesc);
        long traceStart = Long.MAX_VALUE, traceEnd = Long.MIN_VALUE;
        for (SpanView s : spans) {
            traceStart = Math.min(traceStart, s.startEpochNanos());
            traceEnd = Math.max(traceEnd, s.endEpochNanos());
        }
        // a synthetic top whose children are the roots covers several roots (a trace seen in part)
        List<Segment> out = new ArrayList<>();
        walk(null, roots, traceStart, traceEnd, kids, end, out);
        out.sort(Comparator.comparingLong(Segment::startNanos));
        return new CriticalPath(merge(out), traceEnd - traceStart);
    }

    /**
     * Tiles [from, to) of {@code owner} (null: the synthetic top) with its children's critical
     * paths and its own time, iteratively with an explicit stack.
     */
    private static void walk(SpanView topOwner, List<SpanView> topKids, long topFrom, long topTo, Map<String, List<SpanView>> kids,
                             Map<String, Long> end, List<Segment> out) {
        record Frame(SpanView owner, List<SpanView> children, long from, long cursor, int next) { }
        ArrayList<Frame> stack = new ArrayList<>();
        stack.add(new Frame(topOwner, topKids, topFrom, topTo, 0));
        while (!stack.isEmpty()) {
            Frame f = stack.remove(stack.size() - 1);
            long cursor = f.cursor();
            int i = f.next();
            boolean descended = false;
            while (cursor > f.from() && i < f.children().size()) {
                SpanView c = f.children().get(i++);
                long cEnd = Math.min(end.getOrDefault(c.spanId(), c.endEpochNanos()), cursor);
                long cStart = Math.max(c.startEpochNanos(), f.from());
                if (cEnd <= cStart || c.startEpochNanos() >= cursor) continue; // starts after the point, or outside
                // the owner's own time after this child ended
                if (cEnd < cursor && f.owner() != null) out.add(new Segment(f.owner(), cEnd, cursor));
                // continue this frame after the child, from its start
                stack.add(new Frame(f.owner(), f.children(), f.from(), cStart, i));
                stack.add(new Frame(c, kids.getOrDefault(c.spanId(), List.of()), cStart, cEnd, 0));
                descended = true;
                break;
            }
            if (descended) continue;
            if (cursor > f.from() && f.owner() != null) out.add(new Segment(f.owner(), f.from(), cursor));
        }
    }

    /** Adjacent segments of the same span become one. */
    private static List<Segment> merge(List<Segment> in) {
        List<Segment> out = new ArrayList<>();
        for (Segment s : in) {
            if (s.nanos() <= 0) continue;
            Segment last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.span().spanId().equals(s.span().spanId()) && last.endNanos() == s.startNanos()) {
                out.set(out.size() - 1, new Segment(last.span(), last.startNanos(), s.endNanos()));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /** Time on the path per activity, largest first ("waiting for readiness of fraud_detector-1" -> ns). */
    public Map<String, Long> byActivity(List<SpanView> spans) {
        Map<String, SpanView> byId = new HashMap<>();
        for (SpanView s : spans) byId.put(s.spanId(), s);
        Map<String, Long> sums = new HashMap<>();
        for (Segment s : segments) sums.merge(activity(s.span(), byId), s.nanos(), Long::sum);
        Map<String, Long> out = new LinkedHashMap<>();
        sums.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** One line: the largest part of the path, e.g. "840 ms of 1.2 s waiting for readiness of fraud_detector-1". */
    public String summary(List<SpanView> spans) {
        if (segments.isEmpty()) return "";
        Map.Entry<String, Long> top = byActivity(spans).entrySet().iterator().next();
        return duration(top.getValue()) + " of " + duration(totalNanos) + " " + top.getKey();
    }

    /** What a span was doing, in words, with the instance it did it for. */
    static String activity(SpanView s, Map<String, SpanView> byId) {
        String instance = instanceOf(s, byId);
        String on = instance == null ? "" : " " + instance;
        String n = s.name();
        if (n.equals("await_ready")) return "waiting for readiness of" + (instance == null ? " an instance" : on);
        if (n.equals("spawn")) return "spawning" + (instance == null ? " a process" : on);
        if (n.equals("stop.await_exit")) return "waiting for" + (instance == null ? " an instance" : on) + " to exit";
        if (n.equals("stop.signal")) return "signalling" + (instance == null ? " an instance" : on);
        if (n.equals("backoff")) return "backing off before restarting" + (instance == null ? "" : on);
        if (n.startsWith("revoke ")) return "waiting for " + n.substring(7) + " to commit and give up partitions";
        if (n.startsWith("assign ")) return "waiting for " + n.substring(7) + " to take its partitions";
        if (n.startsWith("rebalance ")) return "rebalancing " + n.substring(10);
        if (n.startsWith("probe ")) return "probing" + on;
        return "in " + n;
    }

    private static String instanceOf(SpanView s, Map<String, SpanView> byId) {
        for (SpanView c = s; c != null; c = c.parentSpanId() == null ? null : byId.get(c.parentSpanId())) {
            Object v = c.attributes().get("sabot.instance");
            if (v != null) return v.toString();
            if (c.parentSpanId() != null && c.parentSpanId().equals(c.spanId())) break;
        }
        return null;
    }

    /** "840 ms", "1.2 s", "3 min 5 s". */
    public static String duration(long nanos) {
        double ms = nanos / 1e6;
        if (ms < 1) return String.format(Locale.ROOT, "%.2f ms", ms);
        if (ms < 1000) return Math.round(ms) + " ms";
        double s = ms / 1000;
        if (s < 60) return String.format(Locale.ROOT, s < 10 ? "%.1f s" : "%.0f s", s);
        return (long) (s / 60) + " min " + Math.round(s % 60) + " s";
    }
}
