package io.sabot.engine;

import io.sabot.protocol.ProtocolMessages;
import io.sabot.spec.AgentSpec;
import java.util.List;
import java.util.Map;

/**
 * What services wired around the engine (store, partitions, metrics, limits, alerts) may ask of
 * it, in narrow pieces: each service takes the ports it needs through its constructor. The
 * {@link EngineRuntime} implements them all; none of them waits on an agent or a disk.
 */
public final class Ports {
    private Ports() {}

    /** Hearing and telling engine events. */
    public interface Events {
        /** Every event from now on, delivered on the engine's event thread (see {@link EngineEvent}). */
        Subscription subscribe(EngineListener listener);

        /** Publishes an event of the service's own (metrics, spans, assignments, offsets). */
        void publish(EngineEvent event);
    }

    /** Talking to agents and acting on instances. */
    public interface Instances {
        /** The spec of the agent an instance belongs to, or null. */
        AgentSpec specOf(String instanceId);

        /** Queues a protocol line for an instance's stdin; false if it has no live protocol process. */
        boolean send(String instanceId, String json);

        /** Writes a {@code [sabot] ...} line of the engine's own into an instance's log. */
        void note(String instanceId, String line);

        /** Kills an instance on the engine's own account (health, limits); its group's restart rules apply. */
        boolean kill(String instanceId, String cause, String reason);

        /** Hears every new agent process right after spawn. */
        Subscription onSpawn(SpawnListener listener);

        /** Hears the protocol messages the engine does not handle itself (acks, commits, drained). */
        Subscription onAgentMessages(AgentMessages handler);
    }

    /** A decoded protocol message from an instance. */
    @FunctionalInterface
    public interface AgentMessages {
        void onMessage(String instanceId, ProtocolMessages.ToEngine message);
    }

    /** Live figures: samplers read pids and write what they measure. */
    public interface Figures {
        /** Live process ids by instance id. */
        Map<String, Long> livePids();

        /** Each instance's messages per second as its heartbeats last said. */
        Map<String, Double> messageRates();

        /** One pass over the instances that have a process, for the metrics sampler (instead of {@link #livePids} and {@link #messageRates}). */
        void sampleLive(LiveSampler sampler);

        /** Whether anyone looks at the live figures now (a viewer, a recent status read, alert rules): the sampler's full rate. */
        default boolean figuresWatched() { return true; }

        void updateMetrics(String instanceId, double cpuPercent, long memoryBytes, int threads);

        /** Which enforcement keeps an instance under its CPU limit ("cgroup", "duty-cycle"), for status. */
        void updateCpuLimitMode(String instanceId, String mode);

        /** Partitions an instance owns now ({@code topic:partition}). */
        void updatePartitions(String instanceId, List<String> partitions);
    }

    /** Readiness and liveness probes (io.sabot.probe): what decides RUNNING and kills a hung process. */
    public interface Probed {
        /** From now on an agent with a readiness probe is RUNNING only once {@link #probeReady} says so. */
        void attachProbes();

        /** The readiness probe of process {@code pid} of an instance passed; false if that process is not starting any more. */
        boolean probeReady(String instanceId, long pid);

        /** Kills process {@code pid} of an instance (not a newer one) on the engine's own account. */
        boolean kill(String instanceId, long pid, String cause, String reason);

        /** A RUNNING instance's readiness after it started: unhealthy while its readiness probe fails. */
        void markHealthy(String instanceId, long pid, boolean healthy, String why);
    }
}
