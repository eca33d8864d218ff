package io.sabot.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Forget an agent: deletes its spec, desired state and instance rows. History (transitions,
 * results, events, metrics) stays until retention removes it. Ordered with the other keyed records
 * of the same batch: a spec submitted after the removal survives it.
 */
public record AgentRemovalRecord(String agent, Instant time) implements JournalRecord {
    public AgentRemovalRecord {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(time, "time");
    }
}
