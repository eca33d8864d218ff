package io.sabot.partition;

import java.util.List;

/**
 * Where the manager's handoff messages go: the engine turns them into the agent protocol's
 * {@code revoke} and {@code assign} lines. Calls come from one thread at a time, in the order
 * the manager decided them (a revoke always before the assign of the same partition). Calls
 * must not block; they may call back into the manager.
 */
public interface AssignmentSink {

    /** Tell {@code instance} to stop consuming, commit, then ack ({@code onRevokeAck}). */
    void revoke(String instance, String topic, long epoch, List<Integer> partitions);

    /** Tell {@code instance} to start consuming these partitions from these offsets. */
    void assign(String instance, String topic, long epoch, List<PartitionStart> partitions);

    /**
     * {@code instance} did not ack a revoke within the revoke timeout. The manager already
     * treats it as dead (its partitions go to their new owners); the engine should kill it so
     * it cannot go on consuming them.
     */
    default void revokeTimedOut(String instance, String topic, long epoch) {
    }

    AssignmentSink NONE = new AssignmentSink() {
        @Override
        public void revoke(String instance, String topic, long epoch, List<Integer> partitions) {
        }

        @Override
        public void assign(String instance, String topic, long epoch, List<PartitionStart> partitions) {
        }
    };
}
