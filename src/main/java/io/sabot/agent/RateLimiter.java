package io.sabot.agent;

/** A small token bucket over a caller-supplied clock (stream time or wall time, in ms). Not thread-safe. */
final class RateLimiter {
    private final double perMs;
    private final double burst;
    private double tokens;
    private long lastMs = Long.MIN_VALUE;

    RateLimiter(double perSecond, double burst) {
        this.perMs = perSecond / 1000.0;
        this.burst = burst;
        this.tokens = burst;
    }

    boolean tryAcquire(long nowMs) {
        if (lastMs != Long.MIN_VALUE && nowMs > lastMs) {
            tokens = Math.min(burst, tokens + (nowMs - lastMs) * perMs);
        }
        if (nowMs > lastMs || lastMs == Long.MIN_VALUE) lastMs = nowMs;
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }
}
