package io.sabot.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Masks secret attribute values ({@link Secrets}) before handing spans to another exporter (OTLP). */
final class MaskingSpanExporter implements SpanExporter {
    private final SpanExporter delegate;

    MaskingSpanExporter(SpanExporter delegate) { this.delegate = delegate; }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        List<SpanData> out = new ArrayList<>(spans.size());
        for (SpanData d : spans) {
            Attributes masked = Spans.mask(d.getAttributes());
            out.add(masked == d.getAttributes() ? d : new Masked(d, masked));
        }
        return delegate.export(out);
    }

    @Override
    public CompletableResultCode flush() { return delegate.flush(); }

    @Override
    public CompletableResultCode shutdown() { return delegate.shutdown(); }

    private static final class Masked extends DelegatingSpanData {
        private final Attributes attributes;

        Masked(SpanData d, Attributes attributes) {
            super(d);
            this.attributes = attributes;
        }

        @Override
        public Attributes getAttributes() { return attributes; }
    }
}
