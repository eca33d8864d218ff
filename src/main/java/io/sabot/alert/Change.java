package io.sabot.alert;

/**
 * A decision of the {@link AlertEvaluator}: a condition began ({@code firing}) or cleared
 * ({@code resolved}) for one key.
 *
 * @param rule     the rule's name
 * @param on       its kind
 * @param key      rule and subject, what is deduplicated on
 * @param traceId  the trace of what caused it, or null
 */
record Change(String rule, String on, String key, boolean firing, String agent, String instance, String message,
              String traceId, long timeMs) {
}
