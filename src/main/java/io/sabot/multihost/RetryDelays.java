package io.sabot.multihost;

import java.util.concurrent.ThreadLocalRandom;

/** Reconnect delays: 0.5 s doubling to 10 s, each with ±20 % jitter so many consoles do not retry in step. */
public final class RetryDelays {
    public static final long FIRST_MS = 500, MAX_MS = 10_000;
    /** Failed attempts after which a host is reported unreachable rather than reconnecting. */
    public static final int UNREACHABLE_AFTER = 3;

    private RetryDelays() {}

    /** The wait before attempt {@code n} (1 = the first retry). */
    public static long delayMs(int n) {
        long d = FIRST_MS << Math.min(Math.max(0, n - 1), 10);
        d = Math.min(d, MAX_MS);
        return (long) (d * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    }
}
