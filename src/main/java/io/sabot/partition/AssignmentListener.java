package io.sabot.partition;

/**
 * Told about every new epoch of every topic (the store persists them, the UI shows the moved
 * partitions). Called outside the manager's lock, in epoch order per topic; must not block.
 */
@FunctionalInterface
public interface AssignmentListener {
    /** {@code previous} is the epoch before (epoch 0, all unassigned, for a new topic). */
    void onAssignment(PartitionAssignment assignment, PartitionAssignment previous);
}
