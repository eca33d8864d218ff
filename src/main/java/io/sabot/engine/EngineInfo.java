package io.sabot.engine;

/**
 * The engine process: who holds the home, since when, which version; and the health of its
 * durable store ({@code store}: null when the engine runs without one).
 */
public record EngineInfo(long pid, String home, String version, long startedAtMs, int agents, int instances, StoreHealth store) {
    /** Without a store. */
    public EngineInfo(long pid, String home, String version, long startedAtMs, int agents, int instances) {
        this(pid, home, version, startedAtMs, agents, instances, null);
    }
}
