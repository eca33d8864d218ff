package io.sabot.ui.model;

import io.sabot.engine.InstanceState;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the agents view shows: a text (agent name, instance id, group or exact pid) and a set of
 * states (empty = all). An agent whose name matches shows all its instances in those states.
 */
public record FleetFilter(String text, Set<InstanceState> states, String host) {
    public static final FleetFilter NONE = new FleetFilter("", Set.of());

    public FleetFilter {
        text = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        states = states == null || states.isEmpty() ? EnumSet.allOf(InstanceState.class) : EnumSet.copyOf(states);
        host = host == null || host.isBlank() ? null : host;
    }

    /** Text and states, every host. */
    public FleetFilter(String text, Set<InstanceState> states) { this(text, states, null); }

    /** The same filter on one host (null: every host). */
    public FleetFilter onHost(String h) { return new FleetFilter(text, states, h); }

    /** Whether it hides anything. */
    public boolean active() { return !text.isEmpty() || states.size() != InstanceState.values().length || host != null; }

    /** Whether the state filter is on (rows may appear or vanish as states change). */
    public boolean byState() { return states.size() != InstanceState.values().length; }

    public boolean agentMatches(AgentRow a) { return !text.isEmpty() && a.name().toLowerCase(Locale.ROOT).contains(text); }

    public boolean visible(InstanceRow r, boolean agentMatches) {
        if (!states.contains(r.state.get())) return false;
        if (host != null && !host.equals(r.host())) return false;
        if (text.isEmpty() || agentMatches) return true;
        return r.id().toLowerCase(Locale.ROOT).contains(text) || r.group().toLowerCase(Locale.ROOT).contains(text)
                || (r.pid.get() != null && r.pid.get().toString().equals(text));
    }
}
