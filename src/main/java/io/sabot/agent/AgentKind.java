package io.sabot.agent;

import io.sabot.stream.Record;

/**
 * One kind of built-in agent: the per-record logic run by the agent runtime. All methods are
 * called on the runtime's single consumer thread, so implementations need no locking.
 */
public interface AgentKind {
    /** The kind's name as used in specs ({@code "builtin": "fraud-detector"}). */
    String name();

    /** Processes one record. */
    void process(Record r);

    /** Called after each batch of one partition has been processed (before its commit). */
    default void endBatch(String topic, int partition) {}

    /** The partition was revoked: drop any state that belongs to it. */
    default void partitionRevoked(String topic, int partition) {}

    /** A one-line summary of the kind's counters, for the periodic log line. */
    String summary();

    /** The kinds that ship with Sabot. */
    String[] BUILTIN = {FraudDetector.NAME, Enricher.NAME, Alerter.NAME};

    /** Creates a built-in kind by name, or returns null for an unknown name. */
    static AgentKind create(String name, AgentLog log) {
        switch (name) {
            case FraudDetector.NAME: return new FraudDetector(log);
            case Enricher.NAME: return new Enricher(log);
            case Alerter.NAME: return new Alerter(log);
            default: return null;
        }
    }
}
