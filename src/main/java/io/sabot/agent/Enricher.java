package io.sabot.agent;

import io.sabot.stream.Catalog;
import io.sabot.stream.Record;

import io.sabot.statestore.KeyValueStore;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * {@code enricher}: joins each transaction with the merchant table (name, category, MCC) and the
 * country risk table, derives a combined risk score, renders the enriched record as a JSON document
 * (as it would publish it downstream) and checksums it. Counts enriched records and per-category
 * volumes. With outputs (the Kafka pipeline), each transaction goes on, enriched with merchant
 * category, MCC, country risk, a risk score and the card's rolling spend (count and average of its
 * last {@value #SPEND_WINDOW} amounts), keyed by card ({@link Transactions}); the rolling spend
 * lives in the partition's state store {@value #STORE} (durable with {@code state} in the spec).
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
    /** The state store of the cards' rolling spend, one per partition. */
    public static final String STORE = "spend";
    /**
     * Per partition ("topic partition"), per card: ring of its last amounts (cents) in slots
     * 0..SPEND_WINDOW-1, next index, seen; kept in the partition's store {@value #STORE} (decoded here,
     * written back when a batch ends), so the features go on where the partition moves.
     */
    private final Map<String, PartitionSpend> spend = new HashMap<>();

    private static final class PartitionSpend {
        final KeyValueStore store;
        final Map<Long, long[]> cache = new HashMap<>();
        final Set<Long> dirty = new LinkedHashSet<>();

        PartitionSpend(KeyValueStore store) { this.store = store; }

        long[] ring(long card) {
            long[] ring = cache.get(card);
            if (ring == null) {
                byte[] v = store == null ? null : store.get(ByteBuffer.allocate(8).putLong(card).array());
                ring = new long[SPEND_WINDOW + 2];
                if (v != null && v.length == ring.length * 8) ByteBuffer.wrap(v).asLongBuffer().get(ring);
                cache.put(card, ring);
            }
            dirty.add(card);
            return ring;
        }

        void flush() {
            if (store != null) {
                for (Long card : dirty) {
                    long[] ring = cache.get(card);
                    ByteBuffer b = ByteBuffer.allocate(ring.length * 8);
                    b.asLongBuffer().put(ring);
                    store.put(ByteBuffer.allocate(8).putLong(card).array(), b.array());
                }
            }
            dirty.clear();
            if (cache.size() > 100_000) cache.clear();
        }
    }

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
        long[] ring = spend.computeIfAbsent(r.topic() + " " + r.partition(), k -> new PartitionSpend(null)).ring(r.cardId());
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
    public List<String> stateStores() { return List.of(STORE); }

    @Override
    public void partitionRestored(String topic, int partition, Map<String, KeyValueStore> stores) {
        spend.put(topic + " " + partition, new PartitionSpend(stores.get(STORE)));
    }

    @Override
    public void endBatch(String topic, int partition) {
        PartitionSpend ps = spend.get(topic + " " + partition);
        if (ps != null) ps.flush();
    }

    @Override
    public void partitionRevoked(String topic, int partition) {
        spend.remove(topic + " " + partition); // the features stay in the store, for the partition's next owner
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
