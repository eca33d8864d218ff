package io.sabot.ui.model;

import io.sabot.engine.Engine;
import io.sabot.telemetry.SpanView;
import io.sabot.telemetry.TraceQuery;
import io.sabot.telemetry.TraceView;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * Finding traces: a {@link TraceQuery} runs against the engine (the store's older traces too, not
 * only those loaded), its results fill a list of their own, and live spans keep arriving into it;
 * the list shows the traces that match, re-checked at most once a frame as spans come in.
 * UI thread only.
 */
public final class TraceSearchModel {
    private final Engine engine;
    private final Background bg;
    private TraceStore found = new TraceStore();
    private final ObservableList<TraceEntry> empty = FXCollections.observableArrayList();
    private FilteredList<TraceEntry> shown = new FilteredList<>(found.items(), e -> true);
    private final ReadOnlyObjectWrapper<TraceQuery> query = new ReadOnlyObjectWrapper<>(this, "query");
    private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper(this, "state", "");
    private boolean dirty;
    private long generation;

    public TraceSearchModel(Engine engine, Background bg) {
        this.engine = engine;
        this.bg = bg;
    }

    /** The query in force, null when not searching. */
    public ReadOnlyObjectProperty<TraceQuery> query() { return query.getReadOnlyProperty(); }

    /** "Searching…", "12 traces match", or what went wrong. */
    public ReadOnlyStringProperty state() { return state.getReadOnlyProperty(); }

    public boolean active() { return query.get() != null; }

    /** The traces to list: the matches while searching (empty before the first answer). */
    public ObservableList<TraceEntry> items() { return active() ? shown : empty; }

    public TraceStore found() { return found; }

    /** Runs {@code q} (an empty query clears the search); {@code then} runs on the UI thread with the answer in. */
    public void search(TraceQuery q, Runnable then) {
        if (q == null || q.isEmpty()) {
            clear();
            if (then != null) then.run();
            return;
        }
        long gen = ++generation;
        found = new TraceStore();
        shown = new FilteredList<>(found.items(), e -> matches(q, e));
        query.set(q);
        state.set("Searching\u2026");
        bg.read(() -> engine.traces(q), (List<TraceView> ts) -> {
            if (gen != generation) return; // a newer search or a clear came first
            found.mergeQuery(ts);
            refilter();
            state.set(Fmt.plural(shown.size(), "trace") + (shown.size() == 1 ? " matches" : " match"));
            if (then != null) then.run();
        }, err -> {
            if (gen != generation) return;
            state.set("Search failed: " + (err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage()));
            if (then != null) then.run();
        });
    }

    /** Forgets the answer of a search still running (the fields changed to something that cannot be asked). */
    public void cancelPending() { generation++; }

    public void clear() {
        generation++;
        query.set(null);
        state.set("");
        found = new TraceStore();
        shown = new FilteredList<>(found.items(), e -> true);
    }

    /** Live spans: merged into the results (the pulse calls {@link #refilterIfDirty} once per frame). */
    public void mergeSpans(List<SpanView> spans) {
        if (!active() || spans.isEmpty()) return;
        found.mergeSpans(spans);
        dirty = true;
    }

    /** A trace grows as its spans arrive: whether it matches is decided again, at most once a frame. */
    public void refilterIfDirty() {
        if (!dirty) return;
        dirty = false;
        refilter();
    }

    private void refilter() {
        TraceQuery q = query.get();
        if (q != null) shown.setPredicate(e -> matches(q, e));
    }

    static boolean matches(TraceQuery q, TraceEntry e) {
        List<SpanView> spans = e.spans();
        if (spans.isEmpty()) return false;
        SpanView root = null;
        for (SpanView s : spans) if (TraceEntry.isRoot(s) && (root == null || s.startEpochNanos() < root.startEpochNanos())) root = s;
        if (root == null) return false; // the root has not arrived yet: not listed until it has
        return q.matchesRoot(e.name.get(), e.status.get(), root, e.duration.get()) && q.matchesAgent(TraceView.of(root, spans));
    }
}
