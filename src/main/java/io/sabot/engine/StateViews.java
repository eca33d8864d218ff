package io.sabot.engine;

import java.util.List;

/**
 * What the state service wired around an engine ({@code io.sabot.state}) answers through the
 * {@link Engine} API; {@link LocalEngine#stateSource} attaches it.
 */
public interface StateViews {
    /** The state stores of one agent (null: every agent), by agent, store, topic, partition. */
    List<StateStoreView> stores(String agent);

    /** Deletes an agent's stores (one store, or all with {@code store} null); refused while any of its instances runs. */
    StateReset reset(String agent, String store);

    /** What a reset removed. */
    record StateReset(String agent, String consumerGroup, List<String> stores, long bytesFreed) {
        public StateReset { stores = List.copyOf(stores); }
    }
}
