package io.sabot.protocol;

import java.util.List;

/**
 * The messages of the agent line protocol, v1 (see {@code docs/architecture.md}).
 *
 * <p>Every message is one JSON object with a {@code "type"} field naming it. {@link ToEngine}
 * messages travel on the agent's stdout, each line prefixed with {@link #PREFIX}; {@link ToAgent}
 * messages travel on the agent's stdin, one object per line without a prefix. Use
 * {@link ProtocolCodec} to encode and decode them.
 */
public final class ProtocolMessages {
    private ProtocolMessages() {}

    public static final int VERSION = 1;
    /** Prefix of every protocol line on an agent's stdout. */
    public static final String PREFIX = "@sabot ";
    /** Longest line (in bytes, without the newline) either side parses; longer lines are cut, never parsed. */
    public static final int MAX_LINE_BYTES = 64 * 1024;

    public static final String TYPE = "type";
    public static final String T_READY = "ready";
    public static final String T_HEARTBEAT = "heartbeat";
    public static final String T_ACK = "ack";
    public static final String T_COMMIT = "commit";
    public static final String T_DRAINED = "drained";
    public static final String T_ASSIGN = "assign";
    public static final String T_REVOKE = "revoke";
    public static final String T_DRAIN = "drain";
    public static final String T_OUTPUTS = "outputs";
    public static final String T_SUBSCRIBE = "subscribe";
    public static final String T_STORES = "stores";
    public static final String T_RESTORE = "restore";
    public static final String T_STANDBY = "standby";

    public static final String OP_ASSIGN = T_ASSIGN;
    public static final String OP_REVOKE = T_REVOKE;

    /** Environment variables the engine sets for an agent. */
    public static final String ENV_INSTANCE = "SABOT_INSTANCE";
    public static final String ENV_AGENT = "SABOT_AGENT";
    public static final String ENV_HOME = "SABOT_HOME";
    public static final String ENV_PROTOCOL = "SABOT_PROTOCOL";
    public static final String ENV_TRACEPARENT = "TRACEPARENT";

    // ---------------------------------------------------------------- agent -> engine (stdout)

    /** A message an agent sends to the engine. */
    public sealed interface ToEngine permits Ready, Heartbeat, Ack, Commit, Drained, Stores, Restore, UnknownToEngine {
        String type();
    }

    /** Startup done: the instance goes STARTING -> RUNNING. */
    public record Ready() implements ToEngine {
        public String type() { return T_READY; }
    }

    /**
     * Liveness and load: {@code rate} msgs/s over the last few seconds, total {@code lag}, total
     * {@code processed}; {@code healthy} false (with a {@code reason}) when the agent is alive but
     * cannot do its work, e.g. its Kafka cluster is unreachable (optional on the wire: true).
     */
    public record Heartbeat(double rate, long lag, long processed, boolean healthy, String reason) implements ToEngine {
        public Heartbeat(double rate, long lag, long processed) {
            this(rate, lag, processed, true, null);
        }
        public String type() { return T_HEARTBEAT; }
    }

    /** An assign or revoke was applied; for a revoke, the revoked partitions' offsets were committed first. */
    public record Ack(String op, long epoch) implements ToEngine {
        public String type() { return T_ACK; }
    }

    /**
     * Every record of {@code topic}/{@code partition} below {@code offset} is processed;
     * {@code timestampMs} (optional, 0: unknown) is the timestamp of the last of them, for lag in seconds.
     */
    public record Commit(String topic, int partition, long offset, long timestampMs) implements ToEngine {
        public Commit(String topic, int partition, long offset) {
            this(topic, partition, offset, 0);
        }
        public String type() { return T_COMMIT; }
    }

    /** Answer to drain or SIGTERM: batch finished, offsets committed, about to exit 0. */
    public record Drained() implements ToEngine {
        public String type() { return T_DRAINED; }
    }

    /**
     * One state store partition an agent holds: {@code status} {@code active}, {@code restoring} or
     * {@code standby}; entries and bytes of its data, bytes on disk; restore progress in changelog
     * changes (both 0 when nothing was restored).
     */
    public record StoreState(String store, String topic, int partition, String status, long entries, long bytes, long diskBytes,
                             long restored, long restoreTotal) {}

    /** The state stores the agent holds now (all of them; sent when they change and now and then). */
    public record Stores(List<StoreState> stores) implements ToEngine {
        public Stores {
            stores = List.copyOf(stores);
        }
        public String type() { return T_STORES; }
    }

    /**
     * Restore progress of one store partition: {@code restored} of {@code total} changelog changes
     * applied; {@code done} with the {@code source} (checkpoint, changelog, local store) and time taken.
     */
    public record Restore(String store, String topic, int partition, long restored, long total, boolean done, String source,
                          long durationMs) implements ToEngine {
        public String type() { return T_RESTORE; }
    }

    /** A well-formed protocol line whose type this side does not know (ignore; log once). */
    public record UnknownToEngine(String type) implements ToEngine {}

    // ---------------------------------------------------------------- engine -> agent (stdin)

    /** A message the engine sends to an agent. */
    public sealed interface ToAgent permits Assign, Revoke, Standby, Drain, Outputs, Subscribe, UnknownToAgent {
        String type();
    }

    /** One partition to start consuming, from {@code offset}. */
    public record PartitionOffset(int partition, long offset) {}

    /** Where a Kafka topic lives: the cluster's name, bootstrap servers and client properties. */
    public record KafkaCluster(String cluster, String bootstrapServers, java.util.Map<String, String> properties) {
        public KafkaCluster {
            properties = properties == null ? java.util.Map.of() : java.util.Map.copyOf(properties);
        }
    }

    /**
     * Start consuming {@code partitions} of {@code topic} from the given offsets. An embedded topic
     * ({@code kafka} null): offsets of each partition become available at {@code rate} per second
     * from {@code originEpochMs}. A Kafka topic: read it from {@code kafka} with
     * {@code KafkaConsumer.assign()}, from these offsets; {@code group} is the consumer group the
     * engine commits for.
     */
    public record Assign(long epoch, String topic, double rate, long originEpochMs, List<PartitionOffset> partitions,
                         KafkaCluster kafka, String group) implements ToAgent {
        public Assign {
            partitions = List.copyOf(partitions);
        }
        public Assign(long epoch, String topic, double rate, long originEpochMs, List<PartitionOffset> partitions) {
            this(epoch, topic, rate, originEpochMs, partitions, null, null);
        }
        public String type() { return T_ASSIGN; }
    }

    /** One topic an agent produces to. */
    public record OutputTopic(String name, KafkaCluster kafka) {}

    /** The topics the agent produces to (sent once it is ready, before any assign). */
    public record Outputs(List<OutputTopic> topics) implements ToAgent {
        public Outputs {
            topics = List.copyOf(topics);
        }
        public String type() { return T_OUTPUTS; }
    }

    /**
     * Join consumer group {@code group} on {@code kafka} with {@code subscribe(topics)}: a group
     * that Kafka coordinates ({@code "coordination": "kafka"}, groups across hosts). Kafka decides
     * membership and when to rebalance; Sabot's {@code strategy} places partitions (its assignor
     * runs in the group leader's consumer); the agent commits its offsets to Kafka itself. The
     * member's client id is {@code instance@host}, how every engine tells its host apart.
     */
    public record Subscribe(String group, List<String> topics, KafkaCluster kafka, String strategy, String host) implements ToAgent {
        public Subscribe {
            topics = List.copyOf(topics);
        }
        public String type() { return T_SUBSCRIBE; }
    }

    /** Stop consuming {@code partitions}, commit them, then ack. */
    public record Revoke(long epoch, String topic, List<Integer> partitions) implements ToAgent {
        public Revoke {
            partitions = List.copyOf(partitions);
        }
        public String type() { return T_REVOKE; }
    }

    /**
     * Keep a warm copy (standby replica) of these partitions' state stores: the whole list for
     * {@code topic} (replaces the previous one; empty: none). An agent that does not know it ignores it.
     */
    public record Standby(long epoch, String topic, List<Integer> partitions) implements ToAgent {
        public Standby {
            partitions = List.copyOf(partitions);
        }
        public String type() { return T_STANDBY; }
    }

    /** Finish the batch, commit, send drained, exit 0. */
    public record Drain() implements ToAgent {
        public String type() { return T_DRAIN; }
    }

    /** A well-formed line whose type this side does not know (ignore; log once). */
    public record UnknownToAgent(String type) implements ToAgent {}
}
