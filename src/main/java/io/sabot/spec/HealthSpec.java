package io.sabot.spec;

/**
 * Liveness and readiness. {@code heartbeatTimeoutMs}: a protocol agent silent for longer is
 * unhealthy and is restarted (0 disables). {@code startSeconds}: a plain command counts as
 * RUNNING only after staying up this long (0: as soon as it is spawned).
 */
public record HealthSpec(long heartbeatTimeoutMs, double startSeconds) {
    public static final HealthSpec DEFAULT = new HealthSpec(5_000, 0);
}
