package io.sabot.store;

import java.util.List;

/**
 * A trace as stored: its root span and all its stored spans (root included), by start time.
 * The root is null when only descendants were stored (the root span did not end, or was dropped).
 */
public record StoredTrace(String traceId, SpanRecord root, List<SpanRecord> spans) {
    public StoredTrace {
        spans = List.copyOf(spans);
    }
}
