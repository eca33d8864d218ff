package io.sabot.spec;

import java.util.List;

/** A spec file: agents and topics. */
public record FleetSpec(List<AgentSpec> agents, List<TopicSpec> topics) {
    public FleetSpec {
        agents = agents == null ? List.of() : List.copyOf(agents);
        topics = topics == null ? List.of() : List.copyOf(topics);
    }
}
