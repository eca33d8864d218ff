package io.sabot.engine;

/**
 * Whether a Kafka cluster's brokers answer, as whoever talks to them sees it: published as an
 * {@link EngineEvent.BrokerEvent} on every change (and may be repeated). The
 * {@code broker_unreachable} alert fires once a cluster has been unreachable for the rule's
 * {@code forSeconds}, and resolves when it is reachable again.
 *
 * <pre>{@code engine.publish(new EngineEvent.BrokerEvent(new BrokerStatus("main", false, "timeout after 5000 ms", now)));}</pre>
 *
 * @param cluster   the spec's cluster name
 * @param reachable false while no broker of the cluster answers
 * @param error     why not (null when reachable)
 */
public record BrokerStatus(String cluster, boolean reachable, String error, long timeMs) {
}
