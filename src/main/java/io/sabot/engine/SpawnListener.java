package io.sabot.engine;

import io.sabot.spec.AgentSpec;

/** Hears each new agent process right after it is spawned (limit enforcement attaches here). */
@FunctionalInterface
public interface SpawnListener {
    /** @param startTicks the process's start in clock ticks since boot (/proc/PID/stat field 22), as read at its spawn; -1 if unknown */
    void spawned(String instanceId, long pid, long pgid, long startTicks, AgentSpec spec);
}
