package io.sabot.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.sabot.engine.EngineEvent;
import java.io.IOException;

/**
 * The control socket's encoding: one JSON object per line. Requests {@code {"id", "op", ...}};
 * replies {@code {"id", "ok": true, "result"}} or {@code {"id", "ok": false, "error": {"kind",
 * "message", "errors"}}}; streams send {@code {"event": {"type", "data"}}} (an {@link EngineEvent}, typed by Jackson) or {@code {"line"}}.
 */
public final class Wire {
    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE, false);
    /** Longest request line accepted (a deploy carries a whole spec). */
    public static final int MAX_LINE = 16 * 1024 * 1024;

    public static final String KIND_SPEC = "spec";
    public static final String KIND_BAD_INPUT = "bad-input";
    public static final String KIND_UNSUPPORTED = "unsupported";
    public static final String KIND_INTERNAL = "internal";

    private Wire() {}

    private static final ObjectWriter EVENT_WRITER = JSON.writerFor(EngineEvent.class);

    /** An event as the socket carries it: {@code {"type": NAME, "data": PAYLOAD}} (written as the interface type, so Jackson adds the name). */
    public static String eventJson(EngineEvent e) throws JsonProcessingException {
        return EVENT_WRITER.writeValueAsString(e);
    }

    /**
     * Turns an event's JSON ({@code {"type", "data"}}) back into the engine's own record, as an
     * in-process listener would get it; null for a type this client does not know (a newer engine).
     */
    public static EngineEvent event(JsonNode e) {
        try {
            return JSON.treeToValue(e, EngineEvent.class);
        } catch (IOException | IllegalArgumentException ex) {
            return null;
        }
    }
}
