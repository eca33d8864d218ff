package io.sabot.ui.model;

import io.sabot.engine.Engine;
import io.sabot.engine.Transition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * State transitions of the shown row (an instance, or every instance of an agent), newest first,
 * at most 500. Loaded on demand: only while active (its tab shows), again at most twice a second
 * after the row's state changed, never on a timer.
 */
public final class HistoryModel {
    static final int LIMIT = 500;
    private final Engine engine;
    private final Background bg;
    private final ObservableList<Transition> items = FXCollections.observableArrayList();
    private List<String> ids = List.of();
    private boolean active, wanted;
    private long lastLoad;
    private int request;
    private volatile long loads;

    public HistoryModel(Engine engine, Background bg) {
        this.engine = engine;
        this.bg = bg;
    }

    public ObservableList<Transition> items() { return items; }

    /** Shows these instances' history (empty: nothing). */
    public void show(FleetRow r) {
        List<String> next = new ArrayList<>();
        if (r instanceof AgentRow a) for (InstanceRow i : a.instances()) next.add(i.id());
        else if (r != null) next.add(r.name());
        ids = next;
        items.clear();
        request++;
        wanted = true;
        if (active) load();
    }

    public void setActive(boolean on) {
        active = on;
        if (on && wanted) load();
    }

    /** A transition of the shown row happened: reload soon (coalesced). */
    public void invalidate() { wanted = true; }

    /** Called by the pulse while active. */
    public void tick(long nowNanos) {
        if (active && wanted && nowNanos - lastLoad > 500_000_000L) load();
    }

    private void load() {
        wanted = false;
        lastLoad = System.nanoTime();
        List<String> want = ids;
        if (want.isEmpty()) return;
        int req = ++request;
        loads++;
        bg.read(() -> {
            List<Transition> all = new ArrayList<>();
            for (String id : want) {
                try {
                    all.addAll(engine.history(id));
                } catch (RuntimeException e) {
                    // removed meanwhile
                }
            }
            all.sort(Comparator.comparingLong(Transition::timeMs).reversed());
            return all.size() > LIMIT ? new ArrayList<>(all.subList(0, LIMIT)) : all;
        }, list -> {
            if (req == request) items.setAll(list);
        }, err -> { });
    }

    /** Engine reads so far (tests: a hidden history costs none). */
    public long loads() { return loads; }
}
