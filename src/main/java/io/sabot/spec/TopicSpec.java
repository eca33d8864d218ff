package io.sabot.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A topic: embedded (no {@code cluster}: the deterministic generated stream) or on a Kafka cluster.
 *
 * <p>Embedded: partition count, assignment strategy, records per second per partition, and when
 * its stream began ({@code originEpochMs}: set by the engine when the topic is first deployed and
 * kept across redeploys and restarts, so offsets and lag stay meaningful).
 *
 * <p>Kafka ({@code cluster} names a {@link ClusterSpec}): the partition count is the broker's
 * ({@code partitions} is 0 here until the broker said) unless {@code create} is true, which creates
 * a missing topic with {@code partitions} and {@code replication} (0: the broker's default).
 * {@code start} is where a consumer group without a committed offset begins: {@code earliest} or
 * {@code latest} (for both kinds of topic).
 */
public record TopicSpec(String name, int partitions, String strategy, double ratePerSec, long originEpochMs,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String cluster,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean create,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int replication,
                        String start) {
    public static final int DEFAULT_PARTITIONS = 12;
    public static final String DEFAULT_STRATEGY = "sticky";
    public static final double DEFAULT_RATE = 50.0;
    public static final String EARLIEST = "earliest";
    public static final String LATEST = "latest";

    public TopicSpec {
        if (start == null) start = EARLIEST;
    }

    /** An embedded topic (the round-1 shape). */
    public TopicSpec(String name, int partitions, String strategy, double ratePerSec, long originEpochMs) {
        this(name, partitions, strategy, ratePerSec, originEpochMs, null, false, 0, EARLIEST);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isKafka() { return cluster != null; }

    public TopicSpec withOrigin(long origin) {
        return new TopicSpec(name, partitions, strategy, ratePerSec, origin, cluster, create, replication, start);
    }
}
