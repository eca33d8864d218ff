package io.sabot.agent;

import io.sabot.protocol.Json;
import io.sabot.stream.Catalog;
import io.sabot.stream.Record;
import java.util.Map;

/**
 * The pipeline's record format: JSON objects keyed by card (the Kafka record key is the card
 * number as text, so every record of a card lands in the same partition of every topic with the
 * same partition count, and per-card order holds end to end).
 *
 * <pre>
 * transactions  {"txn":"gen-0.1700000000000.42","card":4000000000100017,"amountCents":1234,"merchantId":5,
 *                "merchant":"MegaStore","country":"US","ts":1700000000123}
 * enriched      the transaction plus "category","mcc","risk","cardTxns","cardAvgCents"
 * alerts        {"type":"alert","txn":...,"card":...,"rule":"amount"|"burst"|"amount+burst","score":0.73,
 *                "amountCents":...,"merchantId":...,"country":...,"ts":...,"source":{"topic":"enriched","partition":3,"offset":41}}
 *               {"type":"filtered","source":{"topic":"enriched","partition":3,"from":0,"to":500},"count":498,"alerts":2}
 * </pre>
 */
public final class Transactions {
    private Transactions() {}

    /** The transaction a JSON record holds, or null when it has no card/amount. */
    public static Record fromJson(String topic, int partition, long offset, Map<String, Object> json, long timestampMs) {
        if (json == null) return null;
        long card = num(json.get("card"), -1);
        long cents = num(json.get("amountCents"), -1);
        if (card < 0 || cents < 0) return null;
        int merchant = (int) Math.max(0, Math.min(Catalog.merchantCount() - 1, num(json.get("merchantId"), 0)));
        Object c = json.get("country");
        long ts = num(json.get("ts"), timestampMs);
        return new Record(topic, partition, offset, card, cents, merchant, c instanceof String ? (String) c : "??", ts);
    }

    /** The transaction id of a record ({@code "txn"}), or null. */
    public static String txn(Map<String, Object> json) {
        Object t = json == null ? null : json.get("txn");
        return t instanceof String ? (String) t : null;
    }

    static long num(Object v, long dflt) {
        if (v instanceof Long) return (Long) v;
        if (v instanceof Double) return (long) (double) (Double) v;
        if (v instanceof String) {
            try {
                return Long.parseLong((String) v);
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
        return dflt;
    }

    /** Appends the transaction fields (without braces) to {@code b}. */
    static StringBuilder fields(StringBuilder b, String txn, Record r) {
        if (txn != null) Json.quote(b.append("\"txn\":"), txn).append(',');
        b.append("\"card\":").append(r.cardId()).append(",\"amountCents\":").append(r.amountCents())
                .append(",\"merchantId\":").append(r.merchantId()).append(",\"merchant\":");
        Json.quote(b, Catalog.merchantName(r.merchantId())).append(",\"country\":");
        Json.quote(b, r.country()).append(",\"ts\":").append(r.timestampMs());
        return b;
    }
}
