package io.sabot.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one lifecycle operation (start/stop/restart...) on one instance or agent.
 *
 * @param time      when the operation finished
 * @param op        operation, e.g. {@code start}
 * @param instance  instance id (or agent name for agent-wide operations)
 * @param success   whether it succeeded
 * @param prevState state before, may be null
 * @param newState  state after, may be null
 * @param duration  how long it took
 * @param error     error text when it failed, else null
 * @param traceId   trace id, or null
 */
public record ResultRecord(Instant time, String op, String instance, boolean success, String prevState,
                           String newState, Duration duration, String error, String traceId)
        implements JournalRecord {
    public ResultRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(duration, "duration");
    }
}
