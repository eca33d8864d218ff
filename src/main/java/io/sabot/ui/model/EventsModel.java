package io.sabot.ui.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * Transitions, lifecycle results and notices, newest first, at most {@link #LIMIT}; searchable by
 * words (all must match) and by kind. Rows arrive in one batch per pulse.
 */
public final class EventsModel {
    public static final int LIMIT = 5_000;
    public static final List<String> KINDS = List.of("All kinds", "Transitions", "Results", "Notices", "Problems");
    private final ObservableList<EventRow> all = FXCollections.observableArrayList();
    private final FilteredList<EventRow> shown = new FilteredList<>(all);
    private final ReadOnlyStringWrapper count = new ReadOnlyStringWrapper(this, "count", "0 events");
    private String text = "";
    private int kind;
    private String host;

    public ObservableList<EventRow> all() { return all; }

    /** What the filter lets through. */
    public ObservableList<EventRow> shown() { return shown; }

    /** "12 events" or "3 of 12 events". */
    public javafx.beans.property.ReadOnlyStringProperty count() { return count.getReadOnlyProperty(); }

    /** Adds a pulse's worth of rows (any order), newest on top; one insert, one trim. */
    public void append(List<EventRow> batch) {
        if (batch.isEmpty()) return;
        List<EventRow> rev = new ArrayList<>(batch);
        // newest first; a stable sort keeps arrival order among equal times
        rev.sort(Comparator.comparingLong(EventRow::timeMs).reversed());
        if (rev.size() > LIMIT) rev = rev.subList(0, LIMIT);
        all.addAll(0, rev);
        if (all.size() > LIMIT) all.remove(LIMIT, all.size());
        updateCount();
    }

    public void clear() {
        all.clear();
        updateCount();
    }

    /** Words (all must appear) and a kind (index into {@link #KINDS}). */
    public void setFilter(String words, int kindIndex) {
        text = words == null ? "" : words.trim().toLowerCase(Locale.ROOT);
        kind = Math.max(0, kindIndex);
        String q = text;
        int k = kind;
        String h = host;
        shown.setPredicate(q.isEmpty() && k == 0 && h == null ? null : r -> (h == null || h.equals(r.host())) && matches(r, q, k));
        updateCount();
    }

    /** Only the events of one host (null: every host). */
    public void setHost(String h) {
        host = h;
        setFilter(text, kind);
    }

    static boolean matches(EventRow r, String q, int k) {
        if (k == 1 && !r.kind().equals("transition")) return false;
        if (k == 2 && !r.kind().equals("result")) return false;
        if (k == 3 && !r.kind().equals("notice")) return false;
        if (k == 4 && !r.bad()) return false;
        if (q.isEmpty()) return true;
        String hay = r.haystack();
        for (String word : q.split("\\s+")) if (!hay.contains(word)) return false;
        return true;
    }

    /** The newest rows, at most n (the fleet overview's "recent events"). */
    public List<EventRow> newest(int n) { return new ArrayList<>(all.subList(0, Math.min(n, all.size()))); }

    private void updateCount() {
        count.set(shown.size() == all.size() ? Fmt.plural(all.size(), "event") : shown.size() + " of " + Fmt.plural(all.size(), "event"));
    }
}
