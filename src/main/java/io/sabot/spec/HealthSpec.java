package io.sabot.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Liveness and readiness. {@code heartbeatTimeoutMs}: a protocol agent silent for longer is
 * unhealthy and is restarted (0 disables). {@code startSeconds}: a plain command counts as
 * RUNNING only after staying up this long (0: as soon as it is spawned). {@code readiness}: a
 * probe that must succeed before the instance is RUNNING; {@code liveness}: a probe whose
 * failure kills and restarts the instance (both optional, see {@link ProbeSpec}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthSpec(long heartbeatTimeoutMs, double startSeconds, ProbeSpec readiness, ProbeSpec liveness) {
    public static final HealthSpec DEFAULT = new HealthSpec(5_000, 0);

    public HealthSpec(long heartbeatTimeoutMs, double startSeconds) {
        this(heartbeatTimeoutMs, startSeconds, null, null);
    }

    /** Whether any probe is configured. */
    public boolean hasProbes() { return readiness != null || liveness != null; }
}
