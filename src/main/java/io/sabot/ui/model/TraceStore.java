package io.sabot.ui.model;

import io.sabot.telemetry.SpanView;
import io.sabot.telemetry.TraceView;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** Recent traces, newest first, bounded; queries and live spans merge into the same entries. FX thread only. */
public final class TraceStore {
    public static final int LIMIT = 200;
    private final Map<String, TraceEntry> byId = new HashMap<>();
    private final ObservableList<TraceEntry> items = FXCollections.observableArrayList();
    private final javafx.collections.transformation.FilteredList<TraceEntry> shown = new javafx.collections.transformation.FilteredList<>(items);
    private String primaryHost = "local";

    /** The label spans without {@code sabot.host} ran on. */
    public void setPrimaryHost(String label) { primaryHost = label; }

    /** The traces the host filter lets through (all when none is set). */
    public ObservableList<TraceEntry> shown() { return shown; }

    /** Only the traces with spans on one host (null: every trace). */
    public void setHost(String h) { shown.setPredicate(h == null ? null : e -> e.ranOn(h)); }

    public ObservableList<TraceEntry> items() { return items; }

    public TraceEntry get(String traceId) { return byId.get(traceId); }

    public void mergeQuery(List<TraceView> traces) {
        boolean added = false;
        for (TraceView t : traces) {
            TraceEntry e = byId.get(t.traceId());
            if (e == null) {
                e = new TraceEntry(t.traceId(), primaryHost);
                byId.put(t.traceId(), e);
                items.add(e);
                added = true;
            }
            e.merge(t);
        }
        if (added) order();
    }

    public void mergeSpans(List<SpanView> spans) {
        if (spans.isEmpty()) return;
        Set<TraceEntry> touched = new HashSet<>();
        boolean added = false;
        for (SpanView s : spans) {
            TraceEntry e = byId.get(s.traceId());
            if (e == null) {
                e = new TraceEntry(s.traceId(), primaryHost);
                byId.put(s.traceId(), e);
                items.add(e);
                added = true;
            }
            e.add(s);
            touched.add(e);
        }
        for (TraceEntry e : touched) e.recompute(null, null);
        if (added) order();
    }

    /** Newest first, at most LIMIT: one sort and one trim per batch. */
    private void order() {
        FXCollections.sort(items, Comparator.comparingLong((TraceEntry e) -> e.start.get()).reversed());
        if (items.size() > LIMIT) {
            for (TraceEntry e : items.subList(LIMIT, items.size())) byId.remove(e.traceId());
            items.remove(LIMIT, items.size());
        }
    }
}
