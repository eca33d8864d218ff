package io.sabot.probe;

import io.sabot.engine.Subscription;
import io.sabot.spec.AgentSpec;
import java.nio.file.Path;

/**
 * What the probe runner needs of the engine, and nothing more (a narrow port, so the runner does
 * not depend on how the engine is built): hear spawns and the end of processes, mark a process
 * ready, kill a process with a reason, mark a running one (un)healthy, find its log.
 */
public interface ProbeTarget {
    /** Hears each new process (instance, pid, its spec) right after it is spawned; must return at once. */
    Subscription onSpawn(Spawned listener);

    /** Hears each process that stops, crashes or is stopped (instance, pid); must return at once. */
    Subscription onEnded(Ended listener);

    /** Hears each process that becomes RUNNING (instance, pid); must return at once. */
    Subscription onRunning(Ended listener);

    /** Process {@code pid} of an instance passed its readiness probe: RUNNING. False if it is no longer starting. */
    boolean markReady(String instanceId, long pid);

    /** Kills process {@code pid} (not a newer one) on the engine's account; its restart policy applies. */
    boolean kill(String instanceId, long pid, String reason);

    /** A running process's readiness changed (its readiness probe keeps running after RUNNING). */
    void markHealthy(String instanceId, long pid, boolean healthy, String why);

    /** Writes a {@code [sabot] ...} line into the instance's log (what a probe saw). */
    void note(String instanceId, String line);

    /** Where the instance's output (stdout and stderr) is written. */
    Path logFile(String instanceId);

    /** The engine's home (probes run with SABOT_HOME set, as agents do). */
    Path home();

    @FunctionalInterface
    interface Spawned {
        void spawned(String instanceId, long pid, AgentSpec spec);
    }

    @FunctionalInterface
    interface Ended {
        void ended(String instanceId, long pid);
    }
}
