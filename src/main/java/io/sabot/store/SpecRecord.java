package io.sabot.store;

import java.time.Instant;
import java.util.Objects;

/** An agent's spec as JSON text (the engine's own serialization). Upserted by name. */
public record SpecRecord(String name, String json, Instant updated) implements JournalRecord {
    public SpecRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(updated, "updated");
    }
}
