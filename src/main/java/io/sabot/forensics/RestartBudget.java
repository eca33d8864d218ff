package io.sabot.forensics;

import io.sabot.engine.Cause;
import io.sabot.engine.InstanceState;
import io.sabot.engine.Transition;
import java.util.ArrayDeque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The restart budget of one instance as the engine's transitions show it: restart intensity is
 * counted per instance today (a restart admitted = a BACKOFF transition; the one over the limit
 * = FAILED; an operator's start or restart begins a new count), and the next backoff delay is
 * the one the BACKOFF transition names ("...; restart in N ms").
 *
 * <p>Kept apart so that when the engine exposes the figures itself (supervision groups own the
 * intensity; the core's decision function), only this class changes.
 */
final class RestartBudget {
    private static final Pattern DELAY = Pattern.compile("restart in (\\d+) ms");
    private final ArrayDeque<Long> restarts = new ArrayDeque<>();
    private Long nextBackoffMs;

    /** Hears every transition of the instance, in order. */
    void on(Transition t) {
        if (t.to() == InstanceState.STARTING && !Cause.BACKOFF.equals(t.cause()) && t.from() != InstanceState.BACKOFF) restarts.clear();
        if (t.to() == InstanceState.BACKOFF || (t.to() == InstanceState.FAILED && t.reason() != null && t.reason().startsWith("restart intensity exceeded"))) {
            restarts.addLast(t.timeMs());
        }
        nextBackoffMs = null;
        if (t.to() == InstanceState.BACKOFF && t.reason() != null) {
            Matcher m = DELAY.matcher(t.reason());
            if (m.find()) nextBackoffMs = Long.parseLong(m.group(1));
        }
    }

    /** Restarts in the window ending at {@code now}. */
    int inWindow(long now, int windowSeconds) {
        long since = now - windowSeconds * 1000L;
        while (!restarts.isEmpty() && restarts.peekFirst() <= since) restarts.removeFirst();
        return restarts.size();
    }

    Long nextBackoffMs() { return nextBackoffMs; }
}
