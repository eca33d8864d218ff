package io.sabot.spec;

/** A topic of the embedded stream: partition count, assignment strategy, records per second per partition. */
public record TopicSpec(String name, int partitions, String strategy, double ratePerSec) {
    public static final int DEFAULT_PARTITIONS = 12;
    public static final String DEFAULT_STRATEGY = "sticky";
    public static final double DEFAULT_RATE = 50.0;
}
