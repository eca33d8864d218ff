package io.sabot.store;

/** Reads the state a starting engine recovers from (see {@link RecoveredState}). */
public final class StateRecovery {
    private final Store store;

    StateRecovery(Store store) { this.store = store; }

    /**
     * Specs, desired states, instances, latest assignment per (group, topic) and offsets: what the journal
     * has accepted, which is the database's content plus anything a snapshot brought back and
     * anything held while the store cannot write.
     */
    public RecoveredState load() {
        return store.keyedState();
    }
}
