package io.sabot.partition;

/**
 * Measured load of one instance, as reported by metrics (cpu, memory) and heartbeats (rate).
 *
 * @param cpu         CPU use in cores (1.0 = one full core), as OSHI reports it
 * @param memoryBytes resident memory
 * @param messageRate messages per second the instance processes
 */
public record InstanceLoad(double cpu, long memoryBytes, double messageRate) {

    public static final InstanceLoad NONE = new InstanceLoad(0, 0, 0);

    public InstanceLoad {
        if (!(cpu >= 0) || Double.isInfinite(cpu)) {
            throw new IllegalArgumentException("load.cpu: must be a finite number >= 0, got " + cpu);
        }
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("load.memoryBytes: must be >= 0, got " + memoryBytes);
        }
        if (!(messageRate >= 0) || Double.isInfinite(messageRate)) {
            throw new IllegalArgumentException("load.messageRate: must be a finite number >= 0, got " + messageRate);
        }
    }
}
