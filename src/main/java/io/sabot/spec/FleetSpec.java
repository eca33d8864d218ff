package io.sabot.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A spec file: agents, topics, the supervision groups' own settings, alert rules, the Kafka
 * clusters topics may live on, and who coordinates which consumer group ({@link ConsumerGroupSpec}).
 */
public record FleetSpec(List<AgentSpec> agents, List<TopicSpec> topics,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<GroupSpec> groups,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<AlertSpec> alerts,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ClusterSpec> clusters,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ConsumerGroupSpec> consumerGroups) {
    @JsonCreator
    public FleetSpec {
        agents = agents == null ? List.of() : List.copyOf(agents);
        topics = topics == null ? List.of() : List.copyOf(topics);
        groups = groups == null ? List.of() : List.copyOf(groups);
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
        consumerGroups = consumerGroups == null ? List.of() : List.copyOf(consumerGroups);
    }

    /** Every consumer group coordinated by its engine. */
    public FleetSpec(List<AgentSpec> agents, List<TopicSpec> topics, List<GroupSpec> groups, List<AlertSpec> alerts, List<ClusterSpec> clusters) {
        this(agents, topics, groups, alerts, clusters, List.of());
    }

    /** No Kafka clusters: every topic embedded. */
    public FleetSpec(List<AgentSpec> agents, List<TopicSpec> topics, List<GroupSpec> groups, List<AlertSpec> alerts) {
        this(agents, topics, groups, alerts, List.of(), List.of());
    }

    /** Agents and topics only (every group takes its settings from its agents; no alert rules). */
    public FleetSpec(List<AgentSpec> agents, List<TopicSpec> topics) { this(agents, topics, List.of(), List.of(), List.of(), List.of()); }

    /** The spec with secret cluster properties masked (what is shown to people and remote clients). */
    public FleetSpec withMaskedClusters() {
        return new FleetSpec(agents, topics, groups, alerts, clusters.stream().map(ClusterSpec::masked).toList(), consumerGroups);
    }
}
