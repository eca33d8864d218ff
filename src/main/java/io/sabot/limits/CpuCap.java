package io.sabot.limits;

/** A way of holding an agent to a share of a CPU. */
interface CpuCap extends AutoCloseable {
    /** What status shows: "cgroup-v2", "cgroup-v1" or "duty-cycle". */
    String mode();

    /** Caps {@code pid} (and what it forks later) at {@code percent} of one core; false if this way cannot. */
    boolean attach(String instanceId, long pid, int percent);

    /** The instance's process is gone. */
    void detach(String instanceId);

    @Override
    void close();
}
