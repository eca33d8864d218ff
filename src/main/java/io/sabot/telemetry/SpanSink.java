package io.sabot.telemetry;

import java.util.List;

/** Where exported spans go (the store, through the journal's lazy path). Must never block. */
@FunctionalInterface
public interface SpanSink {
    /**
     * Offers finished spans (root flags by position in {@code roots}).
     *
     * @return how many were accepted; the rest were dropped
     */
    int offer(List<SpanView> spans, List<Boolean> roots);
}
