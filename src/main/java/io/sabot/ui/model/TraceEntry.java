package io.sabot.ui.model;

import io.sabot.telemetry.SpanView;
import io.sabot.telemetry.TraceView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** A trace as the console builds it, from a query and from live spans merged in; FX thread only. */
public final class TraceEntry {
    private final String traceId;
    private final Map<String, SpanView> spans = new LinkedHashMap<>();
    public final StringProperty name = new SimpleStringProperty(this, "name", "");
    public final StringProperty status = new SimpleStringProperty(this, "status", "UNSET");
    public final LongProperty start = new SimpleLongProperty(this, "start");
    public final LongProperty duration = new SimpleLongProperty(this, "duration");
    public final IntegerProperty spanCount = new SimpleIntegerProperty(this, "spanCount");
    /** Ticks whenever spans were added, so an open timeline redraws. */
    public final IntegerProperty version = new SimpleIntegerProperty(this, "version");

    /** The hosts its spans ran on, "local, web1" ({@code sabot.host}; a span without it ran on the primary). */
    public final StringProperty hosts = new SimpleStringProperty(this, "hosts", "");
    private String primaryHost = "local";

    public TraceEntry(String traceId) { this.traceId = traceId; }

    TraceEntry(String traceId, String primaryHost) {
        this.traceId = traceId;
        this.primaryHost = primaryHost;
    }

    /** Whether one of its spans ran on {@code host}. */
    public boolean ranOn(String host) {
        for (SpanView s : spans.values()) if (host.equals(hostOf(s))) return true;
        return false;
    }

    private String hostOf(SpanView s) {
        Object h = s.attributes().get("sabot.host");
        return h == null ? primaryHost : h.toString();
    }

    public String traceId() { return traceId; }

    public List<SpanView> spans() { return new ArrayList<>(spans.values()); }

    void merge(TraceView t) {
        for (SpanView s : t.spans()) spans.put(s.spanId(), s);
        refold();
        recompute(t.name(), t.status());
    }

    /** A live span; its figures are folded in at once, so a batch costs its own spans, not the whole trace again. */
    void add(SpanView s) {
        if (spans.put(s.spanId(), s) == null) fold(s);
        else refold(); // the same span again (rare): its old figures must go
    }

    // what recompute shows, kept up to date span by span (a bulk restart of 1,000 is one trace of
    // ~10,000 spans arriving in a few hundred batches: a pass over all of them per batch was most
    // of the FX thread's work in it)
    private SpanView root;
    private long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
    private boolean error;
    private final java.util.TreeSet<String> hostSet = new java.util.TreeSet<>();

    private void fold(SpanView s) {
        if (isRoot(s) && (root == null || s.startEpochNanos() < root.startEpochNanos())) root = s;
        lo = Math.min(lo, s.startEpochNanos());
        hi = Math.max(hi, s.startEpochNanos() + s.durationNanos());
        error |= "ERROR".equalsIgnoreCase(s.status());
        // the console's own root of a multi-host operation names its hosts
        Object listed = s.attributes().get("sabot.hosts");
        if (listed instanceof java.util.Collection<?> c) for (Object o : c) hostSet.add(String.valueOf(o));
        else hostSet.add(hostOf(s));
    }

    private void refold() {
        root = null;
        lo = Long.MAX_VALUE;
        hi = Long.MIN_VALUE;
        error = false;
        hostSet.clear();
        for (SpanView s : spans.values()) fold(s);
    }

    void recompute(String rootName, String rootStatus) {
        String n = rootName != null ? rootName : root != null ? root.name() : spans.isEmpty() ? "" : spans.values().iterator().next().name() + " \u2026";
        name.set(n);
        status.set(rootStatus != null ? rootStatus : root != null ? root.status() : error ? "ERROR" : "UNSET");
        if (error && !"ERROR".equalsIgnoreCase(status.get())) status.set("ERROR");
        if (lo != Long.MAX_VALUE) {
            start.set(root != null ? root.startEpochNanos() : lo);
            duration.set(root != null ? Math.max(root.durationNanos(), hi - root.startEpochNanos()) : hi - lo);
        }
        spanCount.set(spans.size());
        hosts.set(String.join(", ", hostSet));
        version.set(version.get() + 1);
    }

    public static boolean isRoot(SpanView s) {
        return s.parentSpanId() == null || s.parentSpanId().isEmpty() || s.parentSpanId().equals("0000000000000000");
    }

    public boolean isError() { return "ERROR".equalsIgnoreCase(status.get()); }
}
