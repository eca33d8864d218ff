package io.sabot.ui.model;

import io.sabot.engine.Engine;
import io.sabot.telemetry.SpanView;
import io.sabot.telemetry.TraceView;
import java.util.List;

/**
 * Recent traces: a query when the view first shows, after each operation and on F5, with live
 * spans merged in as they arrive ({@link TraceStore}).
 */
public final class TracesModel {
    private final Engine engine;
    private final Background bg;
    private final TraceStore store = new TraceStore();
    private final TraceSearchModel search;
    private boolean loading, loadedOnce;
    private Runnable afterLoad = () -> { };

    public TracesModel(Engine engine, Background bg) {
        this.engine = engine;
        this.bg = bg;
        this.search = new TraceSearchModel(engine, bg);
    }

    /** Finding traces by agent, operation, status and duration. */
    public TraceSearchModel search() { return search; }

    public TraceStore store() { return store; }

    /** Called after each query is merged (the view picks up a pending selection). */
    public void setAfterLoad(Runnable r) { afterLoad = r == null ? () -> { } : r; }

    /** The first showing loads; later ones rely on live spans and explicit reloads. */
    public void loadOnce() {
        if (loadedOnce) return;
        reload();
    }

    /** Queries again if the view has shown (a host connected: its earlier traces join the list). */
    public void reloadIfLoaded() {
        if (loadedOnce) reload();
    }

    public void reload() {
        if (loading) return;
        loading = true;
        loadedOnce = true;
        bg.read(() -> engine.traces(TraceStore.LIMIT), (List<TraceView> ts) -> {
            loading = false;
            store.mergeQuery(ts);
            afterLoad.run();
        }, err -> loading = false);
    }

    /** Live spans drained by the pulse. */
    public void mergeSpans(List<SpanView> spans) {
        store.mergeSpans(spans);
        search.mergeSpans(spans);
    }
}
