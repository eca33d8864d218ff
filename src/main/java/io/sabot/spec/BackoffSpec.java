package io.sabot.spec;

/**
 * Delay before a crashed instance is spawned again: {@code initialMs * multiplier^n}, capped at
 * {@code maxMs}, randomised by +/- {@code jitter} (a fraction), and reset to {@code initialMs}
 * once an instance has stayed up for {@code resetAfterMs}.
 */
public record BackoffSpec(long initialMs, long maxMs, double multiplier, double jitter, long resetAfterMs) {
    public static final BackoffSpec DEFAULT = new BackoffSpec(100, 30_000, 2.0, 0.1, 10_000);
}
