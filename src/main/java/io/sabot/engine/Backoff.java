package io.sabot.engine;

import io.sabot.spec.BackoffSpec;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with a cap and jitter: the delay before the n-th consecutive restart. */
public final class Backoff {
    private Backoff() {}

    /** Delay in ms before restart number {@code attempt} (0-based), jitter applied. */
    public static long delayMs(BackoffSpec b, int attempt) {
        return delayMs(b, attempt, ThreadLocalRandom.current().nextDouble());
    }

    /** The same with the jitter's random draw given ({@code unit} in [0, 1)), so a caller can stay a function. */
    public static long delayMs(BackoffSpec b, int attempt, double unit) {
        double base = b.initialMs() * Math.pow(b.multiplier(), Math.min(attempt, 60));
        double capped = Math.min(base, b.maxMs());
        if (b.jitter() > 0 && capped > 0) {
            double j = (unit * 2 - 1) * b.jitter();
            capped = Math.min(b.maxMs(), capped * (1 + j));
        }
        return Math.max(0, Math.round(capped));
    }
}
