package io.sabot.engine.supervision;

import io.sabot.spec.BackoffSpec;

/** Exponential backoff with a cap and jitter: the delay before the n-th consecutive restart. */
final class Backoff {
    private Backoff() {}

    /** Delay in ms before restart number {@code attempt} (0-based), the jitter's random draw given ({@code unit} in [0, 1)). */
    static long delayMs(BackoffSpec b, int attempt, double unit) {
        double base = b.initialMs() * Math.pow(b.multiplier(), Math.min(attempt, 60));
        double capped = Math.min(base, b.maxMs());
        if (b.jitter() > 0 && capped > 0) {
            double j = (unit * 2 - 1) * b.jitter();
            capped = Math.min(b.maxMs(), capped * (1 + j));
        }
        return Math.max(0, Math.round(capped));
    }
}
