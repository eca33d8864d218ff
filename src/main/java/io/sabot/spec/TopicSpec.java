package io.sabot.spec;

/**
 * A topic of the embedded stream: partition count, assignment strategy, records per second per
 * partition, and when its stream began ({@code originEpochMs}: set by the engine when the topic
 * is first deployed and kept across redeploys and restarts, so offsets and lag stay meaningful).
 */
public record TopicSpec(String name, int partitions, String strategy, double ratePerSec, long originEpochMs) {
    public static final int DEFAULT_PARTITIONS = 12;
    public static final String DEFAULT_STRATEGY = "sticky";
    public static final double DEFAULT_RATE = 50.0;

    public TopicSpec withOrigin(long origin) { return new TopicSpec(name, partitions, strategy, ratePerSec, origin); }
}
