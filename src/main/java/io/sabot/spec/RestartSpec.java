package io.sabot.spec;

/** Restart policy and intensity: more than {@code maxRestarts} within {@code withinSeconds} ends in FAILED. */
public record RestartSpec(RestartPolicy policy, int maxRestarts, int withinSeconds, BackoffSpec backoff) {
    public static final RestartSpec DEFAULT = new RestartSpec(RestartPolicy.PERMANENT, 5, 60, BackoffSpec.DEFAULT);
}
