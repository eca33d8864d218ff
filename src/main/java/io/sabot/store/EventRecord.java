package io.sabot.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An engine event for the console's event log.
 *
 * @param time     when
 * @param kind     short kind, e.g. {@code deploy}, {@code crash}, {@code rebalance}
 * @param instance instance id or agent name, or null for engine-wide events
 * @param text     human text
 */
public record EventRecord(Instant time, String kind, String instance, String text) implements JournalRecord {
    public EventRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }
}
