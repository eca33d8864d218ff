package io.sabot.ui.model;

import io.sabot.engine.InstanceState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * What the detail pane shows with nothing selected: the fleet's totals, its busiest instances
 * and the latest events. Recomputed on demand (the pane asks while it shows, at most once a
 * second and only after figures or events changed).
 */
public final class FleetOverview {
    public static final int BUSIEST = 5, RECENT = 8;

    /** One busy instance: id, CPU % of a core, resident memory. */
    public record Busy(String id, double cpu, long memory) { }

    public record Summary(int agents, int instances, Map<InstanceState, Integer> byState, double cpu, long memory, int restarts,
                          List<Busy> busiest, List<EventRow> recent) {
        public int count(InstanceState s) { return byState.getOrDefault(s, 0); }
    }

    private final FleetModel fleet;
    private final EventsModel events;
    private final ReadOnlyObjectWrapper<Summary> summary = new ReadOnlyObjectWrapper<>(this, "summary");
    private int seenFigures = -1, seenStructure = -1, seenEvents = -1;
    private EventRow seenNewest;

    public FleetOverview(FleetModel fleet, EventsModel events) {
        this.fleet = fleet;
        this.events = events;
    }

    public ReadOnlyObjectProperty<Summary> summary() { return summary.getReadOnlyProperty(); }

    /** Recomputes when the fleet or the events changed since the last time; true when it did. */
    public boolean refresh() {
        EventRow newest = events.all().isEmpty() ? null : events.all().get(0);
        if (fleet.figures.get() == seenFigures && fleet.structure.get() == seenStructure && events.all().size() == seenEvents
                && newest == seenNewest && summary.get() != null) {
            return false;
        }
        seenFigures = fleet.figures.get();
        seenStructure = fleet.structure.get();
        seenEvents = events.all().size();
        seenNewest = newest;
        summary.set(summarize(fleet, events.newest(RECENT)));
        return true;
    }

    public static Summary summarize(FleetModel fleet, List<EventRow> recent) {
        Map<InstanceState, Integer> by = new EnumMap<>(InstanceState.class);
        double cpu = 0;
        long mem = 0;
        int restarts = 0;
        List<Busy> live = new ArrayList<>();
        for (InstanceRow r : fleet.instances().values()) {
            by.merge(r.state.get(), 1, Integer::sum);
            restarts += r.restarts.get();
            if (r.cpu.get() >= 0) cpu += r.cpu.get();
            mem += r.memory.get();
            if (r.state.get().live()) live.add(new Busy(r.id(), Math.max(0, r.cpu.get()), r.memory.get()));
        }
        live.sort(Comparator.comparingDouble(Busy::cpu).reversed().thenComparing(Comparator.comparingLong(Busy::memory).reversed())
                .thenComparing(Busy::id));
        return new Summary(fleet.agents().size(), fleet.instances().size(), by, cpu, mem, restarts,
                List.copyOf(live.subList(0, Math.min(BUSIEST, live.size()))), List.copyOf(recent));
    }
}
