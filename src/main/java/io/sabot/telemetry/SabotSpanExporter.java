package io.sabot.telemetry;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-app exporter: hands each finished span, as a {@link SpanView}, to a {@link SpanSink} (the
 * store's lazy journal path, which batches on its own), which never blocks; what the sink refuses
 * is dropped and counted, never retried. The engine feeds it from {@link LiveSpanProcessor} as each
 * span ends ({@link #offer}); it still works as an OpenTelemetry exporter behind any processor.
 */
public final class SabotSpanExporter implements SpanExporter {
    private final SpanSink sink;
    private final AtomicLong exported = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean shutdown;

    public SabotSpanExporter(SpanSink sink) { this.sink = sink; }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        if (shutdown) return CompletableResultCode.ofFailure();
        List<SpanView> views = new ArrayList<>(spans.size());
        List<Boolean> roots = new ArrayList<>(spans.size());
        for (SpanData d : spans) {
            views.add(Spans.view(d));
            roots.add(Spans.isRoot(d));
        }
        offer(views, roots);
        return CompletableResultCode.ofSuccess();
    }

    /** One finished span, already a view (from the live processor, which made it anyway). */
    void offer(SpanView view, boolean root) {
        if (!shutdown) offer(List.of(view), List.of(root));
    }

    private void offer(List<SpanView> views, List<Boolean> roots) {
        int accepted;
        try {
            accepted = Math.max(0, Math.min(views.size(), sink.offer(views, roots)));
        } catch (RuntimeException e) {
            accepted = 0; // e.g. the journal has failed: drop, never break the caller (the SDK's worker, a span's end)
        }
        exported.addAndGet(accepted);
        dropped.addAndGet(views.size() - accepted);
    }

    @Override
    public CompletableResultCode flush() { return CompletableResultCode.ofSuccess(); }

    @Override
    public CompletableResultCode shutdown() {
        shutdown = true;
        return CompletableResultCode.ofSuccess();
    }

    /** Spans the sink accepted. */
    public long exported() { return exported.get(); }

    /** Spans dropped because the sink was full (or failed). */
    public long dropped() { return dropped.get(); }
}
