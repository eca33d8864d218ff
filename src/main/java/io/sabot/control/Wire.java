package io.sabot.control;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.engine.AssignmentView;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.MetricsSnapshot;
import io.sabot.engine.Transition;
import io.sabot.spec.FleetSpec;
import io.sabot.telemetry.SpanView;
import java.util.List;

/**
 * The control socket's encoding: one JSON object per line. Requests {@code {"id", "op", ...}};
 * replies {@code {"id", "ok": true, "result"}} or {@code {"id", "ok": false, "error": {"kind",
 * "message", "errors"}}}; streams send {@code {"event": {"type", "data"}}} or {@code {"line"}}.
 */
public final class Wire {
    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** Longest request line accepted (a deploy carries a whole spec). */
    public static final int MAX_LINE = 16 * 1024 * 1024;

    public static final String KIND_SPEC = "spec";
    public static final String KIND_BAD_INPUT = "bad-input";
    public static final String KIND_UNSUPPORTED = "unsupported";
    public static final String KIND_INTERNAL = "internal";

    private Wire() {}

    /** Turns an event's JSON back into the engine's own types, as an in-process listener would get them. */
    public static EngineEvent event(JsonNode e) {
        String type = e.path("type").asText();
        JsonNode d = e.get("data");
        Object data;
        try {
            switch (type) {
                case EngineEvent.TRANSITION: data = JSON.treeToValue(d, Transition.class); break;
                case EngineEvent.RESULT: data = JSON.treeToValue(d, LifecycleResult.class); break;
                case EngineEvent.METRICS: data = JSON.treeToValue(d, MetricsSnapshot.class); break;
                case EngineEvent.SPAN: data = JSON.treeToValue(d, SpanView.class); break;
                case EngineEvent.ASSIGNMENT: data = JSON.treeToValue(d, AssignmentView.class); break;
                case EngineEvent.SPEC: data = JSON.treeToValue(d, FleetSpec.class); break;
                case EngineEvent.REMOVED: data = JSON.convertValue(d, new TypeReference<List<String>>() { }); break;
                case EngineEvent.NOTICE: data = d == null ? "" : d.asText(); break;
                case EngineEvent.OFFSET: data = JSON.treeToValue(d, io.sabot.engine.OffsetCommit.class); break;
                case EngineEvent.STORE: data = JSON.treeToValue(d, io.sabot.engine.StoreHealth.class); break;
                case EngineEvent.DESIRED: data = JSON.convertValue(d, new TypeReference<java.util.Map<String, Boolean>>() { }); break;
                default: data = d;
            }
        } catch (Exception ex) {
            data = d;
        }
        return new EngineEvent(type, data);
    }
}
