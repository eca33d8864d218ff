package io.sabot.partition;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a topic's partitions are spread over its healthy instances. The JSON names are the
 * lower-case constant names ({@code sticky}, {@code round_robin}, ...), as in the spec file.
 */
public enum Strategy {
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

    public static final Strategy DEFAULT = sticky;

    @JsonValue
    public String jsonName() {
        return name();
    }

    /** Parses a JSON/CLI name; the error names the bad value and the allowed ones. */
    @JsonCreator
    public static Strategy parse(String value) {
        if (value != null) {
            for (Strategy s : values()) {
                if (s.name().equals(value)) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("strategy: unknown value "
                + (value == null ? "null" : "'" + value + "'") + "; allowed: " + allowed());
    }

    public static String allowed() {
        return Arrays.stream(values()).map(Strategy::name).collect(Collectors.joining(", "));
    }
}
