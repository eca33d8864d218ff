package io.sabot.ui;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.LocalEngine;
import io.sabot.telemetry.SpanView;
import io.sabot.telemetry.TraceView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test-only stand-in for the telemetry module: a real OpenTelemetry SDK tracer whose finished
 * spans are published as "span" events and kept for {@code traces()}, so the console's timeline
 * gets real traces of real operations.
 */
public final class DemoTelemetry implements SpanExporter {
    private final AtomicReference<LocalEngine> engine = new AtomicReference<>();
    private final SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(this)).build();
    private final List<SpanView> spans = new ArrayList<>();

    public Tracer tracer() { return provider.get("sabot"); }

    public void attach(LocalEngine e) { engine.set(e); }

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
        for (SpanData d : batch) {
            Map<String, Object> attrs = new LinkedHashMap<>();
            d.getAttributes().forEach((AttributeKey<?> k, Object v) -> attrs.put(k.getKey(), String.valueOf(v)));
            if (d.getStatus().getDescription() != null && !d.getStatus().getDescription().isEmpty()) attrs.put("status.message", d.getStatus().getDescription());
            SpanView s = new SpanView(d.getTraceId(), d.getSpanId(), d.getParentSpanContext().isValid() ? d.getParentSpanId() : null,
                    d.getName(), d.getStartEpochNanos(), d.getEndEpochNanos() - d.getStartEpochNanos(),
                    d.getStatus().getStatusCode() == StatusCode.ERROR ? "ERROR" : "OK", attrs);
            synchronized (spans) {
                spans.add(s);
                if (spans.size() > 20_000) spans.subList(0, 5_000).clear();
            }
            LocalEngine e = engine.get();
            if (e != null) e.runtime().publish(new EngineEvent.SpanEvent(s));
        }
        return CompletableResultCode.ofSuccess();
    }

    public List<TraceView> traces(int limit) {
        Map<String, List<SpanView>> by = new LinkedHashMap<>();
        synchronized (spans) {
            for (SpanView s : spans) by.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
        }
        List<TraceView> out = new ArrayList<>();
        for (Map.Entry<String, List<SpanView>> e : by.entrySet()) {
            SpanView root = e.getValue().stream().filter(s -> s.parentSpanId() == null).findFirst().orElse(null);
            if (root == null) continue;
            out.add(new TraceView(e.getKey(), root.name(), root.startEpochNanos(), root.durationNanos(), root.status(), e.getValue()));
        }
        out.sort(Comparator.comparingLong(TraceView::startEpochNanos).reversed());
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    @Override
    public CompletableResultCode flush() { return CompletableResultCode.ofSuccess(); }

    @Override
    public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }
}
