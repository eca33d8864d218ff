package io.sabot.partition;

import io.sabot.spec.TopicStrategy;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.regex.Pattern;

/**
 * A topic as the spec file declares it.
 *
 * @param name       topic name, {@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}
 * @param partitions number of partitions, >= 1
 * @param strategy   assignment strategy; null in JSON means {@link TopicStrategy#DEFAULT}
 * @param ratePerSec records per second per partition of the embedded generated stream (the
 *                   high watermark grows at this rate); 0 means a stream that never grows
 */
public record TopicConfig(String name, int partitions, TopicStrategy strategy, double ratePerSec) {

    public static final double DEFAULT_RATE_PER_SEC = 10.0;
    /** Upper bound that keeps per-topic arrays and benchmark-sized topics sane. */
    public static final int MAX_PARTITIONS = 1_000_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    @JsonCreator
    public TopicConfig(@JsonProperty("name") String name,
                       @JsonProperty("partitions") int partitions,
                       @JsonProperty("strategy") TopicStrategy strategy,
                       @JsonProperty("ratePerSec") Double ratePerSec) {
        this(name, partitions, strategy, ratePerSec == null ? DEFAULT_RATE_PER_SEC : ratePerSec.doubleValue());
    }

    public TopicConfig {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("topic.name: must match " + NAME.pattern() + ", got "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("topic '" + name + "': partitions must be between 1 and "
                    + MAX_PARTITIONS + ", got " + partitions);
        }
        if (strategy == null) {
            strategy = TopicStrategy.DEFAULT;
        }
        if (!(ratePerSec >= 0) || Double.isInfinite(ratePerSec)) {
            throw new IllegalArgumentException("topic '" + name + "': ratePerSec must be a finite number >= 0, got " + ratePerSec);
        }
    }

    /** A sticky topic at the default rate. */
    public static TopicConfig of(String name, int partitions) {
        return new TopicConfig(name, partitions, TopicStrategy.DEFAULT, DEFAULT_RATE_PER_SEC);
    }

    public TopicConfig withPartitions(int n) {
        return new TopicConfig(name, n, strategy, ratePerSec);
    }

    public TopicConfig withStrategy(TopicStrategy s) {
        return new TopicConfig(name, partitions, s, ratePerSec);
    }
}
