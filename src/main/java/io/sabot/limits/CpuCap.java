package io.sabot.limits;

/** A way of holding an agent to a share of a CPU. */
interface CpuCap extends AutoCloseable {
    /** What status shows: "cgroup-v2", "cgroup-v1" or "duty-cycle". */
    String mode();

    /**
     * Caps {@code pid} (and what it forks later) at {@code percent} of one core; false if this way
     * cannot. {@code startTicks} is its start as read at its spawn (-1 if unknown), to tell it from a
     * later process with its number.
     */
    boolean attach(String instanceId, long pid, int percent, long startTicks);

    /** The instance's process is gone. */
    void detach(String instanceId);

    @Override
    void close();
}
