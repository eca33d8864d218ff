package io.sabot.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The last known state of an instance, upserted by id. {@code pid} and {@code processStart} let a
 * restarted engine find (and stop) processes left by a crashed one: a live process with that pid
 * and the same start time is the same process. Times are stored at millisecond precision: compare
 * {@code startInstant().truncatedTo(ChronoUnit.MILLIS)} (Linux start times are 10 ms ticks anyway).
 *
 * @param id           {@code NAME-I}
 * @param agent        agent name
 * @param index        I
 * @param pid          process id, null when no process
 * @param processStart the process's start time ({@code ProcessHandle.Info.startInstant()}), null when none
 * @param state        instance state
 * @param updated      when this was recorded
 */
public record InstanceRecord(String id, String agent, int index, Long pid, Instant processStart, String state,
                             Instant updated) implements JournalRecord {
    public InstanceRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updated, "updated");
    }
}
