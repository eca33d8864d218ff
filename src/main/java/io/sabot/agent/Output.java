package io.sabot.agent;

/** Where a kind's records go: every output topic of the agent, to the partition of the key. */
public interface Output {
    /** Sends one record (JSON text) keyed by {@code key} to every output topic. Never blocks on the network for long. */
    void send(String key, String json);
}
