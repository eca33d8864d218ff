package io.sabot.engine;

import io.sabot.spec.AgentSpec;

/** Hears each new agent process right after it is spawned (limit enforcement attaches here). */
@FunctionalInterface
public interface SpawnListener {
    void spawned(String instanceId, long pid, long pgid, AgentSpec spec);
}
