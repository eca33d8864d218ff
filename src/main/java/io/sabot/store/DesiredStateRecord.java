package io.sabot.store;

import java.time.Instant;
import java.util.Objects;

/** What the user asked for an agent: running or not, with how many instances. Upserted by agent. */
public record DesiredStateRecord(String agent, boolean running, int concurrency, Instant updated)
        implements JournalRecord {
    public DesiredStateRecord {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(updated, "updated");
        if (concurrency < 0) throw new IllegalArgumentException("concurrency < 0: " + concurrency);
    }
}
