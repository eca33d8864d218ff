package io.sabot.telemetry;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Synchronous hook on span end: keeps a bounded ring of the most recent finished spans (the live
 * timeline, and traces not yet in the store) and notifies listeners on the ending thread. Listeners
 * must be quick and must not block (the console coalesces per frame).
 */
final class LiveSpanProcessor implements SpanProcessor {
    private static final System.Logger LOG = System.getLogger(LiveSpanProcessor.class.getName());

    /** A finished span with its root flag. */
    record Finished(SpanView view, boolean root) { }

    private final int capacity;
    private final ArrayDeque<Finished> ring;
    private final List<Consumer<SpanView>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong ended = new AtomicLong();
    private final SabotSpanExporter store; // may be null

    LiveSpanProcessor(int capacity) { this(capacity, null); }

    /**
     * {@code store}: where every finished span also goes, as the view made here. It replaced a
     * BatchSpanProcessor whose worker woke five times a second in an idle engine (0.15 % of a core
     * of the daemon's 0.4 % idle at 100 agents, issue 13) and converted each span a second time.
     */
    LiveSpanProcessor(int capacity, SabotSpanExporter store) {
        this.capacity = capacity;
        this.ring = new ArrayDeque<>(Math.min(capacity, 4096));
        this.store = store;
    }

    void addListener(Consumer<SpanView> l) { listeners.add(l); }

    void removeListener(Consumer<SpanView> l) { listeners.remove(l); }

    long ended() { return ended.get(); }

    /** The ring's content, oldest first. */
    List<Finished> snapshot() {
        synchronized (ring) {
            return new ArrayList<>(ring);
        }
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) { }

    @Override
    public boolean isStartRequired() { return false; }

    @Override
    public void onEnd(ReadableSpan span) {
        ended.incrementAndGet();
        if (capacity == 0 && listeners.isEmpty() && store == null) return;
        SpanData d = span.toSpanData();
        SpanView v = Spans.view(d);
        boolean root = Spans.isRoot(d);
        if (capacity > 0) {
            synchronized (ring) {
                if (ring.size() >= capacity) ring.pollFirst();
                ring.addLast(new Finished(v, root));
            }
        }
        if (store != null) store.offer(v, root);
        for (Consumer<SpanView> l : listeners) {
            try {
                l.accept(v);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "span listener failed: " + e, e);
            }
        }
    }

    @Override
    public boolean isEndRequired() { return true; }

    @Override
    public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }

    @Override
    public CompletableResultCode forceFlush() { return CompletableResultCode.ofSuccess(); }
}
