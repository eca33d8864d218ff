package io.sabot.ui.model;

import io.sabot.engine.Selection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a bulk action acts on: the engine selection, how many instances that is, their names (for
 * the confirmation) and the agents involved (for Scale).
 */
public record Targets(Selection selection, int count, List<String> names, List<String> agents, boolean everything) {
    public String describe() {
        if (names.size() <= 6) return String.join(", ", names);
        return String.join(", ", names.subList(0, 6)) + " and " + (names.size() - 6) + " more";
    }

    /**
     * Selection to targets. Selected rows: an agent stands for all its instances (named once, as
     * the agent); an instance of a selected agent is not named again. Nothing selected: every
     * instance the filter shows, or {@link Selection#everything()} when no filter is on.
     */
    public static Targets of(List<? extends FleetRow> selected, FleetFilter filter, FleetModel model) {
        List<FleetRow> sel = new ArrayList<>();
        for (FleetRow r : selected) if (r != null) sel.add(r);
        Set<String> agents = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        Set<String> instances = new LinkedHashSet<>();
        if (sel.isEmpty()) {
            if (filter == null || !filter.active()) {
                List<String> all = new ArrayList<>(model.instances().keySet());
                return new Targets(Selection.everything(), all.size(), all, new ArrayList<>(model.agents().keySet()), true);
            }
            for (AgentRow a : model.agents().values()) {
                boolean am = filter.agentMatches(a);
                boolean any = false;
                for (InstanceRow r : a.instances()) {
                    if (!filter.visible(r, am)) continue;
                    instances.add(r.id());
                    names.add(r.id());
                    any = true;
                }
                if (any) agents.add(a.name());
            }
            return new Targets(Selection.of(new ArrayList<>(names)), instances.size(), new ArrayList<>(instances), new ArrayList<>(agents), false);
        }
        for (FleetRow r : sel) if (r.isAgent()) agents.add(r.name());
        for (String a : agents) {
            names.add(a);
            instances.addAll(model.instanceIds(a));
        }
        for (FleetRow r : sel) {
            if (r.isAgent() || agents.contains(r.agent())) continue;
            names.add(r.name());
            instances.add(r.name());
        }
        Set<String> involved = new LinkedHashSet<>(agents);
        for (FleetRow r : sel) involved.add(r.agent());
        return new Targets(Selection.of(new ArrayList<>(names)), instances.size(), new ArrayList<>(instances), new ArrayList<>(involved), false);
    }
}
