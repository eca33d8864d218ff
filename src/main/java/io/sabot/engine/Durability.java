package io.sabot.engine;

/**
 * The store's promise to the engine: after {@link #sync()} returns, every event reported so far
 * that must survive a crash (transitions, results, desired state, offsets) is on disk. The engine
 * calls it before acknowledging an operation to its caller.
 */
@FunctionalInterface
public interface Durability {
    Durability NONE = () -> { };

    void sync();
}
