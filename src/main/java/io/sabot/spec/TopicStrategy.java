package io.sabot.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a topic's partitions are spread over its healthy instances: the one list of names, for the
 * spec, the partition manager, the CLI and the console. The JSON names are the lower-case
 * constant names ({@code sticky}, {@code round_robin}, ...), as in the spec file.
 */
public enum TopicStrategy {
    /** Balanced (max - min <= 1) with the fewest possible moves. The default. */
    sticky,
    /** Partition i goes to member i mod N; ignores history. */
    round_robin,
    /** Rendezvous hashing: a membership change moves only the partitions that must move. */
    hash,
    /** Contiguous runs of partitions in key order per member. */
    range,
    /** Sticky, then moves work off instances whose measured load is far above the mean. */
    load_balanced;

    public static final TopicStrategy DEFAULT = sticky;

    @JsonValue
    public String jsonName() {
        return name();
    }

    /** Parses a JSON/CLI name; the error names the bad value and the allowed ones. */
    @JsonCreator
    public static TopicStrategy parse(String value) {
        if (value != null) {
            for (TopicStrategy s : values()) {
                if (s.name().equals(value)) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("strategy: unknown value "
                + (value == null ? "null" : "'" + value + "'") + "; allowed: " + allowed());
    }

    /** Every name, as the spec file writes them. */
    public static java.util.Set<String> names() {
        return Arrays.stream(values()).map(TopicStrategy::name).collect(Collectors.toUnmodifiableSet());
    }

    public static String allowed() {
        return Arrays.stream(values()).map(TopicStrategy::name).collect(Collectors.joining(", "));
    }
}
