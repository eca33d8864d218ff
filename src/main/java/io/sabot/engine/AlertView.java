package io.sabot.engine;

import java.util.List;

/**
 * One alert: a rule's condition that fired (and maybe resolved), as listed by {@code sabot alerts
 * list --json}, shown in the console's notifications and published as an
 * {@link EngineEvent.AlertEvent} on every change. The contract's webhook fields are {@code alert}, {@code on},
 * {@code state}, {@code agent}, {@code instance}, {@code message}, {@code startedAtEpochMs} and
 * {@code traceId} (the trace of what caused it: a crash-restart, a failed start; else the
 * alert's own trace).
 *
 * @param id               store id (0 before it is stored)
 * @param key              what is deduplicated on: rule and subject ({@code crash_loop/fraud-0})
 * @param deliveries       each channel's outcome so far
 * @param test             fired by {@code sabot alerts test}
 */
public record AlertView(long id, String alert, String on, String state, String agent, String instance, String key,
                        String message, long startedAtEpochMs, Long resolvedAtEpochMs, String traceId, boolean test,
                        List<Delivery> deliveries) {
    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";

    public AlertView {
        deliveries = deliveries == null ? List.of() : List.copyOf(deliveries);
    }

    /**
     * One channel's delivery of one alert state.
     *
     * @param channel  console, desktop, webhook, command
     * @param target   where (a webhook URL is masked)
     * @param state    the alert state delivered (firing, resolved)
     * @param outcome  delivered, failed (will retry), dropped (gave up), skipped (channel unavailable), suppressed (rate limit)
     * @param attempts attempts so far
     * @param detail   status code, error or note
     */
    public record Delivery(String channel, String target, String state, String outcome, int attempts, String detail, long timeMs) {
    }

    public AlertView withDeliveries(List<Delivery> d) {
        return new AlertView(id, alert, on, state, agent, instance, key, message, startedAtEpochMs, resolvedAtEpochMs, traceId, test, d);
    }

    public AlertView withId(long newId) {
        return new AlertView(newId, alert, on, state, agent, instance, key, message, startedAtEpochMs, resolvedAtEpochMs, traceId, test, deliveries);
    }
}
