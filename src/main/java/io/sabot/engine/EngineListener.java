package io.sabot.engine;

/**
 * Hears engine events. Called on the engine thread that produced the event, in order per
 * instance: implementations must be quick and never block (enqueue, coalesce, return).
 */
@FunctionalInterface
public interface EngineListener {
    void onEvent(EngineEvent event);
}
