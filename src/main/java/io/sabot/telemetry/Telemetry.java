package io.sabot.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.sabot.store.JournalWriter;
import io.sabot.store.SpanRecord;
import io.sabot.store.Store;
import io.sabot.store.StoredTrace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The OpenTelemetry SDK of the engine: resource {@code service.name=sabot}, W3C propagation, and
 * <ul>
 *   <li>a synchronous hook that keeps the most recent finished spans in a bounded ring, notifies
 *       live listeners on span end, and hands each span to {@link SabotSpanExporter}, which gives it
 *       to the store's journal on its lazy path (dropped and counted when full; the journal batches);</li>
 *   <li>OTLP export when the {@code OTEL_*} variables ask for it ({@link OtlpSettings}), with
 *       secret attributes masked, behind its own {@link BatchSpanProcessor}.</li>
 * </ul>
 *
 * <pre>{@code
 * Telemetry tel = Telemetry.create(store, System.getenv());
 * Span span = tel.tracer().spanBuilder("restart fraud_detector").startSpan();
 * try (Scope s = span.makeCurrent()) { ... TraceContextEnv.inject(childEnv); ... } finally { span.end(); }
 * List<TraceView> traces = tel.recentTraces(20);
 * }</pre>
 */
public final class Telemetry implements AutoCloseable {
    public static final String INSTRUMENTATION = "io.sabot";
    private static final System.Logger LOG = System.getLogger(Telemetry.class.getName());

    private final SdkTracerProvider tracerProvider;
    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;
    private final LiveSpanProcessor live;
    private final SpanIndex index = new SpanIndex();
    private final SabotSpanExporter storeExporter;
    private final Store store;
    private final OtlpSettings otlp;
    private final List<String> warnings;

    /** Options; see {@link Telemetry#builder()}. */
    public static final class Builder {
        private Map<String, String> env = Map.of();
        private Store store;
        private SpanSink sink;
        private int ringCapacity = 10_000;
        private Duration exportDelay = Duration.ofMillis(200);
        private int maxQueue = 8_192;
        private String serviceName = "sabot";

        /** The environment to read {@code OTEL_*} from (default: empty, no OTLP). */
        public Builder env(Map<String, String> env) {
            this.env = Objects.requireNonNull(env);
            return this;
        }

        /** The store: spans go to it (lazily) and {@link #recentTraces} reads it. */
        public Builder store(Store store) {
            this.store = store;
            return this;
        }

        /** A custom sink instead of the store's journal (tests, agents). */
        public Builder sink(SpanSink sink) {
            this.sink = sink;
            return this;
        }

        /** Most recent finished spans kept in memory (default 10,000). */
        public Builder ringCapacity(int n) {
            this.ringCapacity = n;
            return this;
        }

        /** Batch delay of the export processors (default 200 ms). */
        public Builder exportDelay(Duration d) {
            this.exportDelay = d;
            return this;
        }

        /** Queue bound of each batch processor (default 8,192; beyond it the SDK drops spans). */
        public Builder maxQueue(int n) {
            this.maxQueue = n;
            return this;
        }

        /** {@code service.name} (default {@code sabot}; {@code OTEL_SERVICE_NAME} overrides). */
        public Builder serviceName(String name) {
            this.serviceName = name;
            return this;
        }

        public Telemetry build() { return new Telemetry(this); }
    }

    public static Builder builder() { return new Builder(); }

    /**
     * Runs the span work of a crash's restart {@code rounds} times on a throwaway tracer with the
     * engine's own processor classes (nothing is recorded or exported), so that the JIT has
     * compiled it before the first crash: a death's root, start and spawn spans each took ~0.1 ms
     * while interpreted, and a crash path runs too seldom to ever reach the compile thresholds
     * (issue 13; {@code host.CrashPathWarmUp}).
     */
    public static void warmUp(int rounds) {
        SdkTracerProvider tp = SdkTracerProvider.builder().addSpanProcessor(new LiveSpanProcessor(16)).addSpanProcessor(new SpanIndex()).build();
        try {
            io.opentelemetry.api.trace.Tracer tracer = tp.get("sabot-warm-up");
            for (int i = 0; i < rounds; i++) {
                io.opentelemetry.api.trace.Span root = tracer.spanBuilder("crash-restart warm-up-" + (i & 7)).setNoParent().startSpan();
                root.setAttribute("sabot.instance", "warm-up-0");
                root.setAttribute("sabot.group", "warm-up");
                root.setAttribute("sabot.strategy", "one_for_one");
                root.setAttribute("sabot.exit", "killed by signal 9");
                root.setAttribute("sabot.backoff_ms", 0L);
                io.opentelemetry.context.Context ctx = io.opentelemetry.context.Context.root().with(root);
                io.opentelemetry.api.trace.Span start = tracer.spanBuilder("start warm-up-0").setParent(ctx).startSpan();
                start.setAttribute("sabot.instance", "warm-up-0");
                io.opentelemetry.api.trace.Span spawn = tracer.spanBuilder("spawn").setParent(ctx.with(start)).startSpan();
                spawn.setAttribute("pid", 1L);
                spawn.end();
                start.end();
                root.end();
            }
        } finally {
            tp.shutdown();
        }
    }

    /** Telemetry writing spans to {@code store} (may be null) and reading {@code OTEL_*} from {@code env}. */
    public static Telemetry create(Store store, Map<String, String> env) {
        return builder().store(store).env(env).build();
    }

    private Telemetry(Builder b) {
        this.store = b.store;
        String service = b.env.getOrDefault("OTEL_SERVICE_NAME", "").isBlank() ? b.serviceName
                : b.env.get("OTEL_SERVICE_NAME").trim();
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), service,
                AttributeKey.longKey("process.pid"), ProcessHandle.current().pid())));
        // spans reach the store as they end, through the live processor (the journal batches them)
        SpanSink sink = b.sink != null ? b.sink : b.store != null ? journalSink(b.store.journal()) : null;
        storeExporter = sink == null ? null : new SabotSpanExporter(sink);
        this.live = new LiveSpanProcessor(Math.max(0, b.ringCapacity), storeExporter);
        SdkTracerProviderBuilder tp = SdkTracerProvider.builder().setResource(resource).addSpanProcessor(live).addSpanProcessor(index);

        List<String> warn = new ArrayList<>();
        this.otlp = OtlpSettings.fromEnv(b.env).orElse(null);
        if (otlp != null) {
            warn.addAll(otlp.warnings());
            tp.addSpanProcessor(BatchSpanProcessor.builder(new MaskingSpanExporter(otlpExporter(otlp)))
                    .setScheduleDelay(b.exportDelay).setMaxQueueSize(b.maxQueue).build());
        }
        this.warnings = List.copyOf(warn);
        for (String w : warnings) LOG.log(System.Logger.Level.WARNING, w);

        this.tracerProvider = tp.build();
        this.sdk = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        this.tracer = tracerProvider.get(INSTRUMENTATION);
    }

    /** The store path: each span submitted to the journal lazily (dropped when its queue is full). */
    static SpanSink journalSink(JournalWriter journal) {
        return (spans, roots) -> {
            int accepted = 0;
            for (int i = 0; i < spans.size(); i++) {
                SpanRecord r = Spans.record(spans.get(i), roots.get(i));
                if (journal.submit(r) != JournalWriter.DROPPED) accepted++;
            }
            return accepted;
        };
    }

    private static SpanExporter otlpExporter(OtlpSettings s) {
        if (s.protocol().equals("grpc")) {
            OtlpGrpcSpanExporterBuilder g = OtlpGrpcSpanExporter.builder().setEndpoint(s.endpoint())
                    .setTimeout(s.timeout()).setCompression(s.compression());
            s.headers().forEach(g::addHeader);
            return g.build();
        }
        OtlpHttpSpanExporterBuilder h = OtlpHttpSpanExporter.builder().setEndpoint(s.endpoint())
                .setTimeout(s.timeout()).setCompression(s.compression());
        s.headers().forEach(h::addHeader);
        return h.build();
    }

    public Tracer tracer() { return tracer; }

    /** Where later work of a trace belongs (see {@link SpanIndex}). */
    public SpanIndex spanIndex() { return index; }

    public OpenTelemetry openTelemetry() { return sdk; }

    /** Called on the thread that ends each span; must be quick and must not block. */
    public void addListener(Consumer<SpanView> listener) { live.addListener(listener); }

    public void removeListener(Consumer<SpanView> listener) { live.removeListener(listener); }

    /** The OTLP settings in force, if OTLP export is on. */
    public Optional<OtlpSettings> otlp() { return Optional.ofNullable(otlp); }

    /** Configuration problems found in the environment (also logged). */
    public List<String> warnings() { return warnings; }

    public TelemetryStats stats() {
        return new TelemetryStats(live.ended(), storeExporter == null ? 0 : storeExporter.exported(),
                storeExporter == null ? 0 : storeExporter.dropped(), otlp == null ? null : otlp.endpoint());
    }

    /**
     * The newest {@code limit} traces (by root start, newest first): stored ones merged with the
     * finished spans still in memory (not yet written). A trace is listed once its root span has ended.
     */
    public List<TraceView> recentTraces(int limit) {
        if (limit <= 0) return List.of();
        Map<String, Map<String, SpanView>> spans = new HashMap<>();
        Map<String, SpanView> roots = new HashMap<>();
        if (store != null) {
            for (StoredTrace t : store.spans().recentTraces(limit)) {
                Map<String, SpanView> m = spans.computeIfAbsent(t.traceId(), k -> new LinkedHashMap<>());
                for (SpanRecord r : t.spans()) m.put(r.spanId(), Spans.view(r));
                if (t.root() != null) roots.put(t.traceId(), Spans.view(t.root()));
            }
        }
        List<LiveSpanProcessor.Finished> ring = live.snapshot();
        for (LiveSpanProcessor.Finished f : ring) {
            if (!f.root()) continue;
            SpanView prev = roots.get(f.view().traceId());
            if (prev == null || f.view().startEpochNanos() < prev.startEpochNanos()) roots.put(f.view().traceId(), f.view());
        }
        List<SpanView> newest = new ArrayList<>(roots.values());
        newest.sort(Comparator.comparingLong(SpanView::startEpochNanos).reversed().thenComparing(SpanView::traceId));
        if (newest.size() > limit) newest = newest.subList(0, limit);

        List<String> missing = new ArrayList<>();
        for (SpanView r : newest) if (!spans.containsKey(r.traceId())) missing.add(r.traceId());
        if (store != null && !missing.isEmpty()) {
            Map<String, List<SpanRecord>> more = store.spans().spansOf(missing);
            more.forEach((id, list) -> {
                Map<String, SpanView> m = spans.computeIfAbsent(id, k -> new LinkedHashMap<>());
                for (SpanRecord r : list) m.put(r.spanId(), Spans.view(r));
            });
        }
        for (LiveSpanProcessor.Finished f : ring) {
            Map<String, SpanView> m = spans.get(f.view().traceId());
            if (m != null) m.putIfAbsent(f.view().spanId(), f.view());
            else if (roots.containsKey(f.view().traceId())) {
                spans.computeIfAbsent(f.view().traceId(), k -> new LinkedHashMap<>()).put(f.view().spanId(), f.view());
            }
        }
        List<TraceView> out = new ArrayList<>(newest.size());
        for (SpanView r : newest) {
            Map<String, SpanView> m = spans.computeIfAbsent(r.traceId(), k -> new LinkedHashMap<>());
            m.putIfAbsent(r.spanId(), r);
            out.add(TraceView.of(r, new ArrayList<>(m.values())));
        }
        return out;
    }

    /**
     * The newest traces matching {@code q} (stored ones and those still in memory), newest
     * first, at most {@code q.limit()}. An empty query is {@link #recentTraces}.
     */
    public List<TraceView> searchTraces(TraceQuery q) {
        if (q.isEmpty()) return recentTraces(q.limit());
        Map<String, Map<String, SpanView>> spans = new HashMap<>();
        Map<String, SpanView> roots = new HashMap<>();
        if (store != null) {
            // the store's LIKE prefilter can over-match (an agent name is also a prefix of others): fetch more, then check exactly
            for (StoredTrace t : store.spans().search(q.agent(), q.operation(), q.status() == null ? null : q.status().equals("error"),
                    q.minDurationMs() == null ? null : q.minDurationMs() * 1_000_000, q.maxDurationMs() == null ? null : (q.maxDurationMs() + 1) * 1_000_000 - 1,
                    Math.min(10_000, q.limit() * 4))) {
                Map<String, SpanView> m = spans.computeIfAbsent(t.traceId(), k -> new LinkedHashMap<>());
                for (SpanRecord r : t.spans()) m.put(r.spanId(), Spans.view(r));
                if (t.root() != null) roots.put(t.traceId(), Spans.view(t.root()));
            }
        }
        for (LiveSpanProcessor.Finished f : live.snapshot()) {
            String id = f.view().traceId();
            spans.computeIfAbsent(id, k -> new LinkedHashMap<>()).putIfAbsent(f.view().spanId(), f.view());
            if (f.root()) roots.putIfAbsent(id, f.view());
        }
        List<TraceView> out = new ArrayList<>();
        for (Map.Entry<String, SpanView> r : roots.entrySet()) {
            Map<String, SpanView> m = spans.get(r.getKey());
            if (store != null && !m.containsKey(r.getValue().spanId())) m.put(r.getValue().spanId(), r.getValue());
            TraceView t = TraceView.of(r.getValue(), new ArrayList<>(m.values()));
            if (q.matches(t)) out.add(t);
        }
        out.sort(Comparator.comparingLong(TraceView::startEpochNanos).reversed().thenComparing(TraceView::traceId));
        return out.size() > q.limit() ? new ArrayList<>(out.subList(0, q.limit())) : out;
    }

    /** The spans of one trace (store and memory), if any. */
    public Optional<TraceView> trace(String traceId) {
        Map<String, SpanView> m = new LinkedHashMap<>();
        SpanView root = null;
        if (store != null) {
            Optional<StoredTrace> t = store.spans().trace(traceId);
            if (t.isPresent()) {
                for (SpanRecord r : t.get().spans()) m.put(r.spanId(), Spans.view(r));
                if (t.get().root() != null) root = Spans.view(t.get().root());
            }
        }
        for (LiveSpanProcessor.Finished f : live.snapshot()) {
            if (!f.view().traceId().equals(traceId)) continue;
            m.putIfAbsent(f.view().spanId(), f.view());
            if (f.root() && root == null) root = f.view();
        }
        return m.isEmpty() ? Optional.empty() : Optional.of(TraceView.of(root, new ArrayList<>(m.values())));
    }

    /**
     * Exports everything ended so far (store and OTLP) and, with a store, waits until the spans are
     * committed. Returns false if the SDK flush did not finish within 10 s, or the store is failing
     * (the spans are then held and written once it recovers).
     */
    public boolean forceFlush() {
        boolean ok = tracerProvider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess();
        if (store != null && storeExporter != null) ok &= store.journal().trySync();
        return ok;
    }

    /** Flushes and shuts the SDK down (does not close the store). */
    @Override
    public void close() {
        tracerProvider.shutdown().join(10, TimeUnit.SECONDS);
    }

}
