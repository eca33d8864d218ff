package io.sabot.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * One instance's membership of a consumer group that Kafka coordinates ({@code "coordination":
 * "kafka"}): the consumer properties that make a {@code subscribe()}d consumer join the group with
 * Sabot's strategy as its assignor. The classic group protocol is asked for by name: Kafka's newer
 * protocol (KIP-848) assigns on the broker and takes no client-side assignor.
 *
 * <p>Failover time is the session timeout plus a rebalance: a member killed with SIGKILL never
 * says goodbye, so Kafka waits {@code session.timeout.ms} before it gives its partitions to the
 * others. Sabot's default is {@value #SESSION_TIMEOUT_MS} ms (Kafka's own is 45 s), heartbeats every
 * {@value #HEARTBEAT_MS} ms; the cluster's {@code properties} override both (the broker's
 * {@code group.min.session.timeout.ms}, 6 s by default, is the floor).
 *
 * @param client the consumer's client id: {@code instance@host}, which is how an engine's
 *               AdminClient tells every member's host and instance apart ({@link #parseClientId})
 */
public record GroupMembership(String group, List<String> topics, String strategy, String host, String instance) {
    public static final int SESSION_TIMEOUT_MS = 10_000;
    /** Sabot's assignor, by name: Kafka loads it in the member's consumer (io.sabot.partition; named, so the agent side depends on no partition code). */
    public static final String ASSIGNOR = "io.sabot.partition.SabotAssignor";
    /** Consumer properties the assignor reads ({@code configure}). */
    public static final String STRATEGY = "sabot.partition.strategy";
    public static final String HOST = "sabot.host";
    public static final String INSTANCE = "sabot.instance";
    public static final String LOAD = "sabot.load";
    public static final int HEARTBEAT_MS = 2_000;

    public GroupMembership {
        topics = List.copyOf(topics);
    }

    public String clientId() { return instance + "@" + host; }

    private static volatile String localHost;

    /**
     * This engine's host as the members of a group Kafka coordinates name it: {@code SABOT_HOST_NAME}
     * where set (two engines on one machine, as the tests run them), else the machine's host name.
     */
    public static String localHost() {
        String h = localHost;
        if (h != null) return h;
        h = System.getenv("SABOT_HOST_NAME");
        if (h == null || h.isBlank()) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                h = "localhost";
            }
        }
        localHost = h;
        return h;
    }

    /** {@code [instance, host]} of a client id made by {@link #clientId()}, or null for another client. */
    public static String[] parseClientId(String clientId) {
        if (clientId == null) return null;
        int at = clientId.lastIndexOf('@');
        if (at <= 0 || at == clientId.length() - 1) return null;
        return new String[] {clientId.substring(0, at), clientId.substring(at + 1)};
    }

    /**
     * What to add to the consumer's properties (after the user's, which may set the timeouts).
     *
     * @param userProps the cluster's properties from the spec
     * @param load      the member's messages per second, for load_balanced
     */
    public Map<String, Object> consumerConfig(Map<String, String> userProps, DoubleSupplier load) {
        Map<String, Object> c = new HashMap<>();
        c.put("group.id", group);
        c.put("group.protocol", "classic");
        c.put("client.id", clientId());
        c.put("enable.auto.commit", "false");
        c.put("partition.assignment.strategy", ASSIGNOR);
        c.put(STRATEGY, strategy == null ? "sticky" : strategy);
        c.put(HOST, host);
        c.put(INSTANCE, instance);
        if (load != null) c.put(LOAD, load);
        if (userProps == null || !userProps.containsKey("session.timeout.ms")) c.put("session.timeout.ms", Integer.toString(SESSION_TIMEOUT_MS));
        if (userProps == null || !userProps.containsKey("heartbeat.interval.ms")) c.put("heartbeat.interval.ms", Integer.toString(HEARTBEAT_MS));
        return c;
    }
}
