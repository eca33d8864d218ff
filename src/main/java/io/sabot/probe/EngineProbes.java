package io.sabot.probe;

import io.sabot.engine.Cause;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.InstanceState;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.Ports;
import io.sabot.engine.Subscription;
import io.sabot.engine.Transition;
import java.nio.file.Path;

/** {@link ProbeTarget} over the engine's ports: the few engine hooks the probes use. */
public final class EngineProbes implements ProbeTarget {
    private final Ports.Events events;
    private final Ports.Instances instances;
    private final Ports.Probed probed;
    private final Path home;

    public EngineProbes(Ports.Events events, Ports.Instances instances, Ports.Probed probed, Path home) {
        this.events = events;
        this.instances = instances;
        this.probed = probed;
        this.home = home;
        probed.attachProbes();
    }

    /** Over an engine built alone (tests, tools). */
    public EngineProbes(LocalEngine engine) {
        this(engine.runtime(), engine.runtime(), engine.runtime(), engine.config().home());
    }

    @Override
    public Subscription onSpawn(Spawned listener) {
        return instances.onSpawn((id, pid, pgid, ticks, spec) -> listener.spawned(id, pid, spec));
    }

    @Override
    public Subscription onEnded(Ended listener) {
        return events.subscribe(e -> {
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
        return events.subscribe(e -> {
            if (e instanceof EngineEvent.TransitionEvent te && te.transition().to() == InstanceState.RUNNING) {
                listener.ended(te.transition().instance(), te.transition().pid());
            }
        });
    }

    @Override
    public boolean markReady(String instanceId, long pid) { return probed.probeReady(instanceId, pid); }

    @Override
    public boolean kill(String instanceId, long pid, String reason) { return probed.kill(instanceId, pid, Cause.HEALTH, reason); }

    @Override
    public void markHealthy(String instanceId, long pid, boolean healthy, String why) { probed.markHealthy(instanceId, pid, healthy, why); }

    @Override
    public void note(String instanceId, String line) { instances.note(instanceId, line); }

    @Override
    public Path logFile(String instanceId) { return home.resolve("logs").resolve(instanceId + ".log"); }

    @Override
    public Path home() { return home; }
}
