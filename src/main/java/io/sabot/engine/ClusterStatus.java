package io.sabot.engine;

/**
 * A Kafka cluster became unreachable, or reachable again ({@link EngineEvent#CLUSTER}): what an
 * operator alerts on ({@code broker_unreachable}). {@code topics} are the deployed topics on it.
 */
public record ClusterStatus(String cluster, String bootstrapServers, boolean reachable, String reason,
                            java.util.List<String> topics, long timeMs) {
}
