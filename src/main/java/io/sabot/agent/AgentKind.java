package io.sabot.agent;

import io.sabot.stream.Record;
import io.sabot.statestore.KeyValueStore;
import java.util.List;
import java.util.Map;

/**
 * One kind of built-in agent: the per-record logic run by the agent runtime. All methods are
 * called on the runtime's single consumer thread, so implementations need no locking.
 */
public interface AgentKind {
    /** The kind's name as used in specs ({@code "builtin": "fraud-detector"}). */
    String name();

    /** Processes one record. */
    void process(Record r);

    /**
     * Processes one record of a Kafka topic: its JSON value ({@code json} null when the value is not
     * a JSON object) and the transaction it carries, if any ({@link Transactions#fromJson}). By
     * default the transaction goes to {@link #process(Record)} and anything else is skipped.
     */
    default void processJson(String topic, int partition, long offset, String key, Map<String, Object> json, long timestampMs) {
        Record r = Transactions.fromJson(topic, partition, offset, json, timestampMs);
        if (r != null) process(r);
    }

    /** Called after each batch of one partition has been processed (before its commit). */
    default void endBatch(String topic, int partition) {}

    /** The partition was revoked: drop any state that belongs to it. */
    default void partitionRevoked(String topic, int partition) {}

    /** Names of the state stores this kind keeps per partition (none by default). */
    default List<String> stateStores() { return List.of(); }

    /**
     * A newly assigned partition's stores, restored (called before its first record). Writes to
     * them made while processing a batch become durable when the batch ends, with its offset.
     */
    default void partitionRestored(String topic, int partition, Map<String, KeyValueStore> stores) {}

    /** The agent's output topics (null: none); records sent there are produced to Kafka. */
    default void attach(Output out) {}

    /** A producing kind (the generator) sends what is due by {@code nowMs}; returns when it next has something to send. */
    default long tick(long nowMs) { return Long.MAX_VALUE; }

    /** Records this kind produced on its own (the generator), counted in heartbeats as processed. */
    default long produced() { return 0; }

    /** A one-line summary of the kind's counters, for the periodic log line. */
    String summary();

    /** The kinds that ship with Sabot. */
    String[] BUILTIN = {FraudDetector.NAME, Enricher.NAME, Alerter.NAME, Generator.NAME, "kafka-broker"};

    /** Creates a built-in kind by name, or returns null for an unknown name. */
    static AgentKind create(String name, AgentLog log) {
        switch (name) {
            case FraudDetector.NAME: return new FraudDetector(log);
            case Enricher.NAME: return new Enricher(log);
            case Alerter.NAME: return new Alerter(log);
            case Generator.NAME: return new Generator(log);
            default: return null;
        }
    }
}
