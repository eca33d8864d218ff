package io.sabot.engine;

/**
 * The metrics sampler's view of one live instance during {@link Ports.Figures#sampleLive}: called
 * once per instance that has a process, with a sink for the figures it samples (or none, when it
 * skips the instance this time).
 */
@FunctionalInterface
public interface LiveSampler {
    void sample(String instanceId, long pid, double messagesPerSec, Sink sink);

    /** Writes sampled figures into the instance's status. */
    @FunctionalInterface
    interface Sink {
        void set(double cpuPercent, long memoryBytes, int threads);
    }
}
