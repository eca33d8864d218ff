package io.sabot.alert;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/** At most N deliveries per rule within any 60 s (a sliding window). Single-threaded (the alert thread). */
final class RateLimit {
    private final Map<String, ArrayDeque<Long>> sent = new HashMap<>();

    /** Records a delivery of {@code rule} at {@code now} if the window has room; false if it must be suppressed. */
    boolean admit(String rule, int perMinute, long now) {
        ArrayDeque<Long> d = sent.computeIfAbsent(rule, k -> new ArrayDeque<>());
        while (!d.isEmpty() && d.peekFirst() <= now - 60_000) d.removeFirst();
        if (d.size() >= perMinute) return false;
        d.addLast(now);
        return true;
    }
}
