package io.sabot.store;

/**
 * Anything the {@link JournalWriter} writes. Durable records ({@link #lazy()} false) are never
 * dropped: when the queue is full, {@code submit} blocks. Lazy records (metrics, spans) are dropped
 * and counted when the queue is full, and nobody waits for them.
 */
public sealed interface JournalRecord permits TransitionRecord, ResultRecord, DesiredStateRecord, SpecRecord,
        OffsetRecord, AssignmentRecord, MetricRecord, SpanRecord, EventRecord, InstanceRecord, AgentRemovalRecord {

    /** True for records that may be dropped under load (metrics, spans). */
    default boolean lazy() { return false; }
}
