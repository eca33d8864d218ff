package io.sabot.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A spec file: agents, topics, the supervision groups' own settings and alert rules. */
public record FleetSpec(List<AgentSpec> agents, List<TopicSpec> topics,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<GroupSpec> groups,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<AlertSpec> alerts) {
    @JsonCreator
    public FleetSpec {
        agents = agents == null ? List.of() : List.copyOf(agents);
        topics = topics == null ? List.of() : List.copyOf(topics);
        groups = groups == null ? List.of() : List.copyOf(groups);
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
    }

    /** Agents and topics only (every group takes its settings from its agents; no alert rules). */
    public FleetSpec(List<AgentSpec> agents, List<TopicSpec> topics) { this(agents, topics, List.of(), List.of()); }
}
