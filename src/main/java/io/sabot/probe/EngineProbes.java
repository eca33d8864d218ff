package io.sabot.probe;

import io.sabot.engine.Cause;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.InstanceState;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.Subscription;
import io.sabot.engine.Transition;
import java.nio.file.Path;

/** {@link ProbeTarget} over a {@link LocalEngine}: the few engine hooks the probes use. */
public final class EngineProbes implements ProbeTarget {
    private final LocalEngine engine;

    public EngineProbes(LocalEngine engine) {
        this.engine = engine;
        engine.attachProbes();
    }

    @Override
    public Subscription onSpawn(Spawned listener) {
        java.util.concurrent.atomic.AtomicBoolean on = new java.util.concurrent.atomic.AtomicBoolean(true);
        engine.onSpawn((id, pid, pgid, spec) -> {
            if (on.get()) listener.spawned(id, pid, spec);
        });
        return () -> on.set(false);
    }

    @Override
    public Subscription onEnded(Ended listener) {
        return engine.subscribe(e -> {
            if (e instanceof EngineEvent.TransitionEvent te) {
                Transition t = te.transition();
                InstanceState to = t.to();
                if (to == InstanceState.STOPPING || to == InstanceState.STOPPED || to == InstanceState.BACKOFF || to == InstanceState.FAILED) {
                    listener.ended(t.instance(), t.pid());
                }
            }
        });
    }

    @Override
    public Subscription onRunning(Ended listener) {
        return engine.subscribe(e -> {
            if (e instanceof EngineEvent.TransitionEvent te && te.transition().to() == InstanceState.RUNNING) {
                listener.ended(te.transition().instance(), te.transition().pid());
            }
        });
    }

    @Override
    public boolean markReady(String instanceId, long pid) { return engine.probeReady(instanceId, pid); }

    @Override
    public boolean kill(String instanceId, long pid, String reason) { return engine.kill(instanceId, pid, Cause.HEALTH, reason); }

    @Override
    public void markHealthy(String instanceId, long pid, boolean healthy, String why) { engine.markHealthy(instanceId, pid, healthy, why); }

    @Override
    public void note(String instanceId, String line) { engine.note(instanceId, line); }

    @Override
    public Path logFile(String instanceId) { return engine.config().home().resolve("logs").resolve(instanceId + ".log"); }

    @Override
    public Path home() { return engine.config().home(); }
}
