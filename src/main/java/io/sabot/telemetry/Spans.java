package io.sabot.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.sabot.store.SpanRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversions between OpenTelemetry span data, {@link SpanView} and the store's {@link SpanRecord}. */
final class Spans {
    static final String STATUS_DESCRIPTION = "otel.status_description";

    private Spans() { }

    static String status(StatusCode code) {
        switch (code) {
            case OK: return "OK";
            case ERROR: return "ERROR";
            default: return "UNSET";
        }
    }

    /** True when the span roots its trace in this process (no parent, or a remote one). */
    static boolean isRoot(SpanData d) {
        SpanContext p = d.getParentSpanContext();
        return !p.isValid() || p.isRemote();
    }

    static SpanView view(SpanData d) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        d.getAttributes().forEach((k, v) -> attrs.put(k.getKey(), maskAttribute(k.getKey(), v)));
        String desc = d.getStatus().getDescription();
        if (desc != null && !desc.isEmpty()) attrs.putIfAbsent(STATUS_DESCRIPTION, desc);
        for (EventData e : d.getEvents()) {
            if (!"exception".equals(e.getName())) continue;
            Object type = e.getAttributes().get(AttributeKey.stringKey("exception.type"));
            Object msg = e.getAttributes().get(AttributeKey.stringKey("exception.message"));
            if (type != null) attrs.putIfAbsent("exception.type", type);
            if (msg != null) attrs.putIfAbsent("exception.message", msg);
            break;
        }
        SpanContext parent = d.getParentSpanContext();
        return new SpanView(d.getTraceId(), d.getSpanId(), parent.isValid() ? parent.getSpanId() : null, d.getName(),
                d.getStartEpochNanos(), Math.max(0, d.getEndEpochNanos() - d.getStartEpochNanos()),
                status(d.getStatus().getStatusCode()), attrs);
    }

    static Object maskAttribute(String key, Object value) {
        if (value == null || !Secrets.isSecretName(key)) return value;
        if (value instanceof List) {
            List<Object> masked = new ArrayList<>();
            for (int i = 0; i < ((List<?>) value).size(); i++) masked.add(Secrets.MASK);
            return masked;
        }
        return Secrets.MASK;
    }

    /** Attributes with secret values replaced (for exporters that send them elsewhere). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Attributes mask(Attributes attributes) {
        boolean any = false;
        for (AttributeKey<?> k : attributes.asMap().keySet()) {
            if (Secrets.isSecretName(k.getKey())) {
                any = true;
                break;
            }
        }
        if (!any) return attributes;
        AttributesBuilder b = Attributes.builder();
        attributes.forEach((k, v) -> {
            if (!Secrets.isSecretName(k.getKey())) {
                b.put((AttributeKey) k, v);
            } else if (v instanceof List) {
                List<String> masked = new ArrayList<>();
                for (int i = 0; i < ((List<?>) v).size(); i++) masked.add(Secrets.MASK);
                b.put(AttributeKey.stringArrayKey(k.getKey()), masked);
            } else {
                b.put(AttributeKey.stringKey(k.getKey()), Secrets.MASK);
            }
        });
        return b.build();
    }

    static SpanRecord record(SpanView v, boolean root) {
        return new SpanRecord(v.traceId(), v.spanId(), v.parentSpanId(), root, v.name(), v.startEpochNanos(),
                v.durationNanos(), v.status(), v.attributes());
    }

    static SpanView view(SpanRecord r) {
        return new SpanView(r.traceId(), r.spanId(), r.parentSpanId(), r.name(), r.startEpochNanos(), r.durationNanos(),
                r.status(), r.attributes());
    }
}
