package io.sabot.engine;

/**
 * Hears engine events. Called on the engine thread that produced the event, in order per
 * instance: implementations must be quick and never block (enqueue, coalesce, return).
 */
@FunctionalInterface
public interface EngineListener {
    void onEvent(EngineEvent event);

    /**
     * Event types ({@link EngineEvent#type()}) this listener does nothing with. A remote engine asks
     * its daemon not to send them (the console ignores partition offsets: 160 JSON lines a second
     * with the demo fleet, parsed for nothing); an in-process engine may still deliver them.
     */
    default java.util.Set<String> ignores() { return java.util.Set.of(); }

    /**
     * Whether this listener's events may wait behind more urgent work on this machine (the
     * console's feed: its frames matter more than how soon an event is parsed). A remote engine
     * then reads them on a thread of lower priority; an in-process engine calls on its own threads,
     * as always.
     */
    default boolean background() { return false; }

    /** {@code l} with {@code types} as its {@link #ignores()}. */
    static EngineListener ignoring(java.util.Set<String> types, EngineListener l) {
        return ignoring(types, false, l);
    }

    /** {@code l} with {@code types} as its {@link #ignores()} and {@code background} as its {@link #background()}. */
    static EngineListener ignoring(java.util.Set<String> types, boolean background, EngineListener l) {
        return new EngineListener() {
            @Override
            public void onEvent(EngineEvent event) { l.onEvent(event); }

            @Override
            public java.util.Set<String> ignores() { return types; }

            @Override
            public boolean background() { return background; }
        };
    }
}
