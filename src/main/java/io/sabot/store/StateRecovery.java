package io.sabot.store;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the state a starting engine recovers from (see {@link RecoveredState}). */
public final class StateRecovery {
    private final Store store;

    StateRecovery(Store store) { this.store = store; }

    /** Loads specs, desired states, instances, latest assignment per (group, topic) and offsets. */
    public RecoveredState load() {
        store.journal().sync();
        Map<String, DesiredStateRecord> desired = new LinkedHashMap<>();
        for (DesiredStateRecord d : store.desiredStates().all()) desired.put(d.agent(), d);
        return new RecoveredState(store.specs().all(), desired, store.instances().all(),
                store.assignments().latestPerGroupTopic(), store.offsets().all());
    }
}
