package io.sabot.engine.supervision;

import io.sabot.spec.BackoffSpec;
import io.sabot.spec.SupervisionStrategy;

/**
 * A supervision group's flags, as OTP's {@code sup_flags}: the strategy, the restart intensity
 * ({@code maxRestarts} within {@code withinSeconds}: OTP's intensity and period) and the backoff
 * between the group's restarts.
 */
public record GroupSettings(SupervisionStrategy strategy, int maxRestarts, int withinSeconds, BackoffSpec backoff) {
    public GroupSettings {
        if (strategy == null) strategy = SupervisionStrategy.ONE_FOR_ONE;
        if (backoff == null) backoff = BackoffSpec.DEFAULT;
    }

    long periodNanos() { return withinSeconds * 1_000_000_000L; }
}
