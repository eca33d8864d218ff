package io.sabot.engine;

/** The engine process: who holds the home, since when, which version. */
public record EngineInfo(long pid, String home, String version, long startedAtMs, int agents, int instances) {
}
