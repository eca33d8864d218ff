package io.sabot.engine;

/** One state change of one instance, with its cause and, for deaths, the exit. */
public record Transition(
        long timeMs,
        String instance,
        InstanceState from,
        InstanceState to,
        String cause,
        Integer exitCode,
        String signal,
        String reason,
        long pid,
        String traceId) {
}
