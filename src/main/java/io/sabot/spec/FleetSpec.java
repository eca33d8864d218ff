package io.sabot.spec;

import java.util.List;

/** A spec file: agents, topics, and the Kafka clusters topics may live on. */
public record FleetSpec(List<AgentSpec> agents, List<TopicSpec> topics, List<ClusterSpec> clusters) {
    public FleetSpec {
        agents = agents == null ? List.of() : List.copyOf(agents);
        topics = topics == null ? List.of() : List.copyOf(topics);
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
    }

    /** No clusters: every topic embedded. */
    public FleetSpec(List<AgentSpec> agents, List<TopicSpec> topics) {
        this(agents, topics, List.of());
    }

    /** The spec with secret cluster properties masked (what is shown to people and remote clients). */
    public FleetSpec withMaskedClusters() {
        return new FleetSpec(agents, topics, clusters.stream().map(ClusterSpec::masked).toList());
    }
}
