package io.sabot.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One state transition of an instance.
 *
 * @param time     when it happened
 * @param instance instance id, {@code NAME-I}
 * @param from     previous state (null for the first)
 * @param to       new state
 * @param cause    short machine-readable cause, e.g. {@code exit}, {@code user-stop}, {@code heartbeat-timeout}
 * @param exitCode exit code when the process exited normally, else null
 * @param signal   signal name when it was killed by one (e.g. {@code SIGKILL}), else null
 * @param reason   human text
 * @param traceId  trace the transition belongs to, or null
 */
public record TransitionRecord(Instant time, String instance, String from, String to, String cause,
                               Integer exitCode, String signal, String reason, String traceId)
        implements JournalRecord {
    public TransitionRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(to, "to");
    }
}
