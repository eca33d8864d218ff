package io.sabot.store;

import java.util.List;
import java.util.Map;

/**
 * What a starting engine needs from the previous run.
 *
 * @param specs       every stored agent spec
 * @param desired     desired state by agent name
 * @param instances   last known instances, with pid and process start time (to find processes left
 *                    by a crashed engine: a live process with the same pid <em>and</em> start time)
 * @param assignments latest assignment by (consumer group, topic): key {@code group + '\u0000' + topic}
 * @param offsets     committed offsets
 */
public record RecoveredState(List<SpecRecord> specs, Map<String, DesiredStateRecord> desired,
                             List<InstanceRecord> instances, Map<String, AssignmentRecord> assignments,
                             List<OffsetRecord> offsets) {
    public RecoveredState {
        specs = List.copyOf(specs);
        desired = Map.copyOf(desired);
        instances = List.copyOf(instances);
        assignments = Map.copyOf(assignments);
        offsets = List.copyOf(offsets);
    }

    /** Instances that had a process when last recorded. */
    public List<InstanceRecord> instancesWithProcess() {
        return instances.stream().filter(i -> i.pid() != null).toList();
    }
}
