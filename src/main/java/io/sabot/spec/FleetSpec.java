package io.sabot.spec;

import java.util.List;

/** A spec file: agents, topics and the supervision groups' own settings. */
public record FleetSpec(List<AgentSpec> agents, List<TopicSpec> topics, List<GroupSpec> groups) {
    public FleetSpec {
        agents = agents == null ? List.of() : List.copyOf(agents);
        topics = topics == null ? List.of() : List.copyOf(topics);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** Agents and topics, no group settings (every group takes them from its agents). */
    public FleetSpec(List<AgentSpec> agents, List<TopicSpec> topics) {
        this(agents, topics, List.of());
    }
}
