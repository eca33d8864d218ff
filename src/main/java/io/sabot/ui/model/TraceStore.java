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

    public ObservableList<TraceEntry> items() { return items; }

    public TraceEntry get(String traceId) { return byId.get(traceId); }

    public void mergeQuery(List<TraceView> traces) {
        boolean added = false;
        for (TraceView t : traces) {
            TraceEntry e = byId.get(t.traceId());
            if (e == null) {
                e = new TraceEntry(t.traceId());
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
                e = new TraceEntry(s.traceId());
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
