package io.sabot.store;

/**
 * One stored alert (the store knows nothing of the engine's types; io.sabot.alert maps them).
 *
 * @param id             0 for a new row
 * @param key            the deduplication key (rule and subject)
 * @param deliveriesJson JSON array of the channel outcomes
 */
public record AlertRow(long id, String rule, String on, String key, String agent, String instance, String state, String message,
                       long startedMs, Long resolvedMs, String traceId, boolean test, String deliveriesJson) {
    public AlertRow withId(long newId) {
        return new AlertRow(newId, rule, on, key, agent, instance, state, message, startedMs, resolvedMs, traceId, test, deliveriesJson);
    }
}
