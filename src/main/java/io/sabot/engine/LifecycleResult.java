package io.sabot.engine;

/** The outcome of one operation on one instance; every lifecycle call returns these. */
public record LifecycleResult(
        String operation,
        String instance,
        boolean success,
        InstanceState previousState,
        InstanceState newState,
        long durationMs,
        String error,
        String traceId,
        Long pid) {

    public static LifecycleResult failure(String op, String instance, String error) {
        return new LifecycleResult(op, instance, false, null, null, 0, error, null, null);
    }
}
