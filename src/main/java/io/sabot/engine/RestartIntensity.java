package io.sabot.engine;

import java.util.ArrayDeque;

/** Restart intensity: at most {@code max} restarts within a sliding window (OTP's MaxR/MaxT). */
final class RestartIntensity {
    private final ArrayDeque<Long> times = new ArrayDeque<>();

    /** Records a restart at {@code nowMs}; false when this one exceeds {@code max} within {@code windowMs}. */
    boolean admit(long nowMs, int max, long windowMs) {
        while (!times.isEmpty() && times.peekFirst() <= nowMs - windowMs) times.removeFirst();
        times.addLast(nowMs);
        return times.size() <= max;
    }

    int recent() { return times.size(); }

    void reset() { times.clear(); }
}
