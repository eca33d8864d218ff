package io.sabot.agent;

import io.sabot.stream.Catalog;
import io.sabot.stream.Record;

import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * {@code enricher}: joins each transaction with the merchant table (name, category, MCC) and the
 * country risk table, derives a combined risk score, renders the enriched record as a JSON document
 * (as it would publish it downstream) and checksums it. Counts enriched records and per-category
 * volumes. With outputs (the Kafka pipeline), each transaction goes on, enriched with merchant
 * category, MCC, country risk, a risk score and the card's rolling spend (count and average of its
 * last {@value #SPEND_WINDOW} amounts), keyed by card ({@link Transactions}).
 */
public final class Enricher implements AgentKind {
    public static final String NAME = "enricher";

    private static final Map<String, Double> CATEGORY_RISK = new HashMap<>();

    static {
        String[] risky = {"gambling", "crypto", "gift_cards", "luxury", "electronics"};
        for (int i = 0; i < Catalog.merchantCount(); i++) CATEGORY_RISK.put(Catalog.merchantCategory(i), 0.05);
        for (String c : risky) CATEGORY_RISK.put(c, 0.4);
    }

    @SuppressWarnings("unused")
    private final AgentLog log;
    private final StringBuilder doc = new StringBuilder(256);
    private final byte[] bytes = new byte[1024];
    private final CRC32 crc = new CRC32();
    private final long[] perCategory = new long[Catalog.merchantCount()];
    private long enriched;
    private long highRisk;
    private long checksum;
    static final int SPEND_WINDOW = 10;
    private Output out;
    private String txn;
    private final StringBuilder outDoc = new StringBuilder(384);
    /** Per card: ring of its last amounts (cents), count in slot 0..SPEND_WINDOW-1, next index, seen. */
    private final Map<Long, long[]> spend = new HashMap<>();

    public Enricher(AgentLog log) {
        this.log = log;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void attach(Output out) {
        this.out = out;
    }

    @Override
    public void processJson(String topic, int partition, long offset, String key, Map<String, Object> json, long timestampMs) {
        Record r = Transactions.fromJson(topic, partition, offset, json, timestampMs);
        if (r == null) return;
        txn = Transactions.txn(json);
        process(r);
        txn = null;
    }

    @Override
    public void process(Record r) {
        int m = r.merchantId();
        String category = Catalog.merchantCategory(m);
        double countryRisk = Catalog.countryRisk(r.country());
        double categoryRisk = CATEGORY_RISK.get(category);
        double amountFactor = Math.min(1.0, Math.log10(1.0 + r.amount()) / 4.0);
        double risk = 1.0 - (1.0 - countryRisk) * (1.0 - categoryRisk) * (1.0 - 0.5 * amountFactor);
        if (risk > 0.6) highRisk++;

        doc.setLength(0);
        doc.append("{\"offset\":").append(r.offset())
           .append(",\"partition\":").append(r.partition())
           .append(",\"card\":\"").append(r.cardId())
           .append("\",\"amount\":").append(r.amountCents() / 100).append('.');
        long cents = r.amountCents() % 100;
        if (cents < 10) doc.append('0');
        doc.append(cents)
           .append(",\"merchant\":\"").append(Catalog.merchantName(m))
           .append("\",\"category\":\"").append(category)
           .append("\",\"mcc\":").append(Catalog.merchantMcc(m))
           .append(",\"country\":\"").append(r.country())
           .append("\",\"risk\":").append(Math.round(risk * 1000) / 1000.0)
           .append(",\"ts\":").append(r.timestampMs()).append('}');
        int len = Math.min(doc.length(), bytes.length);
        for (int i = 0; i < len; i++) bytes[i] = (byte) doc.charAt(i);
        crc.reset();
        crc.update(bytes, 0, len);
        checksum ^= crc.getValue() + r.offset();
        perCategory[m]++;
        enriched++;
        if (out != null) emit(r, category, m, countryRisk, risk);
    }

    private void emit(Record r, String category, int m, double countryRisk, double risk) {
        long[] ring = spend.computeIfAbsent(r.cardId(), k -> new long[SPEND_WINDOW + 2]);
        int idx = (int) ring[SPEND_WINDOW];
        ring[idx] = r.amountCents();
        ring[SPEND_WINDOW] = (idx + 1) % SPEND_WINDOW;
        ring[SPEND_WINDOW + 1]++;
        long n = Math.min(SPEND_WINDOW, ring[SPEND_WINDOW + 1]);
        long sum = 0;
        for (int i = 0; i < n; i++) sum += ring[i];
        outDoc.setLength(0);
        Transactions.fields(outDoc.append('{'), txn, r)
                .append(",\"category\":\"").append(category).append("\",\"mcc\":").append(Catalog.merchantMcc(m))
                .append(",\"countryRisk\":").append(countryRisk)
                .append(",\"risk\":").append(Math.round(risk * 1000) / 1000.0)
                .append(",\"cardTxns\":").append(ring[SPEND_WINDOW + 1])
                .append(",\"cardAvgCents\":").append(sum / n).append('}');
        out.send(Long.toString(r.cardId()), outDoc.toString());
    }

    @Override
    public void partitionRevoked(String topic, int partition) {
        spend.clear(); // rolling features restart; at least once, they are hints, not state that must survive
    }

    @Override
    public String summary() {
        int top = 0;
        for (int i = 1; i < perCategory.length; i++) if (perCategory[i] > perCategory[top]) top = i;
        return String.format("enriched=%d highRisk=%d busiestMerchant=\"%s\" checksum=%016x",
                enriched, highRisk, Catalog.merchantName(top), checksum);
    }

    public long enriched() {
        return enriched;
    }

    /** The last enriched document (for tests). */
    String lastDocument() {
        return doc.toString();
    }

}
