package io.sabot.agent;

import io.sabot.stream.Catalog;
import io.sabot.stream.EmbeddedStream;
import io.sabot.stream.Record;

import io.sabot.statestore.KeyValueStore;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code fraud-detector}: keeps, per card, a rolling window of its last {@value #WINDOW}
 * transactions (log amount and partition offset). A transaction is flagged when its log amount is
 * more than {@value #K_SIGMA} standard deviations above the card's mean (once the card has
 * {@value #MIN_HISTORY} transactions; amounts are log-normal, so the test is done on logs), or
 * when it makes a burst: more than {@value #BURST_N} transactions of the card within
 * {@value #BURST_SPAN} records of its partition (a card normally appears about once every
 * {@link io.sabot.stream.EmbeddedStream#CARDS_PER_PARTITION} records, so this is independent of
 * the stream's rate). Each record is also
 * scored by a tiny fixed-weight neural network over a few features (the modest per-record CPU
 * work a real detector does). A sample of flags is logged to stderr, at most one line per 5 s.
 *
 * <p>State: the windows live in the state store {@value #STORE} of each partition (key: card id,
 * value: the window), so a partition that moves (a crash, a rebalance) takes its cards along and
 * the next owner decides as this one would have. Decoded cards are cached per partition; a batch's
 * changed cards are written to the store when the batch ends. Without {@code state} in the spec
 * the store is ephemeral (the cards die with the process or the partition, as in round 1).
 *
 * <p>With outputs (the Kafka pipeline): every flagged transaction goes out as an {@code alert}
 * naming the rule that fired and its source record; after each batch one {@code filtered} record
 * says which source offsets the batch covered and how many passed, so every input record is
 * accounted for in the output topic, alerted or counted as filtered ({@link Transactions}).
 */
public final class FraudDetector implements AgentKind {
    public static final String NAME = "fraud-detector";
    static final int WINDOW = 20;
    static final int MIN_HISTORY = 5;
    static final double K_SIGMA = 4.0;
    static final int BURST_N = 8;
    static final long BURST_SPAN = 200;
    private static final int FEATURES = 8;
    private static final int HIDDEN = 16;

    private static final class Card {
        final double[] amounts = new double[WINDOW];
        final long[] offsets = new long[WINDOW];
        int n;
        int head;
        double sum;
        double sumSq;
        int pushes;

        void push(double a, long offset) {
            if (n == WINDOW) {
                double old = amounts[head];
                sum -= old;
                sumSq -= old * old;
            } else {
                n++;
            }
            amounts[head] = a;
            offsets[head] = offset;
            sum += a;
            sumSq += a * a;
            head = (head + 1) % WINDOW;
            if (++pushes % (WINDOW * 8) == 0) { // re-sum now and then against drift
                sum = 0;
                sumSq = 0;
                for (int i = 0; i < n; i++) {
                    sum += amounts[i];
                    sumSq += amounts[i] * amounts[i];
                }
            }
        }

        int countSince(long offset) {
            int c = 0;
            for (int i = 0; i < n; i++) if (offsets[i] >= offset) c++;
            return c;
        }

        /** Every field, bit for bit (doubles by their raw bits): a restored card decides as the original would. */
        byte[] encode() {
            ByteBuffer b = ByteBuffer.allocate(ENCODED);
            b.putInt(n).putInt(head).putInt(pushes).putDouble(sum).putDouble(sumSq);
            for (int i = 0; i < WINDOW; i++) b.putDouble(amounts[i]);
            for (int i = 0; i < WINDOW; i++) b.putLong(offsets[i]);
            return b.array();
        }

        static Card decode(byte[] v) {
            Card c = new Card();
            if (v.length != ENCODED) return c; // another version's layout: start the card afresh
            ByteBuffer b = ByteBuffer.wrap(v);
            c.n = b.getInt();
            c.head = b.getInt();
            c.pushes = b.getInt();
            c.sum = b.getDouble();
            c.sumSq = b.getDouble();
            for (int i = 0; i < WINDOW; i++) c.amounts[i] = b.getDouble();
            for (int i = 0; i < WINDOW; i++) c.offsets[i] = b.getLong();
            return c;
        }
    }

    static final int ENCODED = 12 + 16 + WINDOW * 16;
    /** The state store of the per-card windows, one per partition. */
    public static final String STORE = "cards";
    /** Cards kept decoded per partition; beyond this the cache is dropped after a batch (the store has them). */
    static final int CACHE_MAX = 100_000;

    /** One partition's cards: the store, decoded cards, and the cards the current batch changed. */
    private static final class PartitionCards {
        final KeyValueStore store;
        final Map<Long, Card> cache = new HashMap<>();
        final Set<Long> dirty = new LinkedHashSet<>();

        PartitionCards(KeyValueStore store) { this.store = store; }

        Card card(long id) {
            Card c = cache.get(id);
            if (c == null) {
                byte[] v = store == null ? null : store.get(key(id));
                c = v == null ? new Card() : Card.decode(v);
                cache.put(id, c);
            }
            return c;
        }

        void flush() {
            if (store != null) for (Long id : dirty) store.put(key(id), cache.get(id).encode());
            dirty.clear();
            if (cache.size() > CACHE_MAX) cache.clear();
        }

        static byte[] key(long id) { return ByteBuffer.allocate(8).putLong(id).array(); }
    }

    private final AgentLog log;
    /** Cards by partition ("topic partition"): the state lives with the partition (store {@value #STORE}). */
    private final Map<String, PartitionCards> partitions = new HashMap<>();
    private final double[] w1 = new double[FEATURES * HIDDEN];
    private final double[] b1 = new double[HIDDEN];
    private final double[] w2 = new double[HIDDEN];
    private final double[] x = new double[FEATURES];
    private final RateLimiter logLimit = new RateLimiter(0.2, 1);
    private long seen;
    private long flaggedAmount;
    private long flaggedBurst;
    private long flagged;
    private double maxScore;
    private Output out;
    /** Hears every flagged record (tests: the audit trail, a baseline run). */
    @FunctionalInterface
    public interface FlagSink {
        void flagged(String topic, int partition, long offset);
    }

    private FlagSink flags;
    private String txn;
    private final StringBuilder doc = new StringBuilder(384);
    // the batch being processed (Kafka pipeline): its source range and counts
    private long batchFrom = -1;
    private long batchTo;
    private long batchCount;
    private long batchAlerts;

    public FraudDetector(AgentLog log) {
        this.log = log;
        long s = 42;
        for (int i = 0; i < w1.length; i++) w1[i] = gauss(s = s * 6364136223846793005L + 1442695040888963407L) * 0.5;
        for (int i = 0; i < HIDDEN; i++) b1[i] = gauss(s = s * 6364136223846793005L + 1442695040888963407L) * 0.1;
        for (int i = 0; i < HIDDEN; i++) w2[i] = gauss(s = s * 6364136223846793005L + 1442695040888963407L) * 0.5;
    }

    private static double gauss(long s) {
        return ((s >>> 11) * 0x1.0p-53 - 0.5) * 3.4;
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
        if (batchFrom < 0) batchFrom = offset;
        batchTo = offset + 1;
        batchCount++;
        Record r = Transactions.fromJson(topic, partition, offset, json, timestampMs);
        if (r == null) return; // not a transaction: counted as filtered with its batch
        txn = Transactions.txn(json);
        process(r);
        txn = null;
    }

    @Override
    public List<String> stateStores() { return List.of(STORE); }

    @Override
    public void partitionRestored(String topic, int partition, Map<String, KeyValueStore> stores) {
        partitions.put(topic + " " + partition, new PartitionCards(stores.get(STORE)));
    }

    private PartitionCards cardsOf(String topic, int partition) {
        // without the agent runtime (a bench, the baseline of a test): a partition of plain memory
        return partitions.computeIfAbsent(topic + " " + partition, k -> new PartitionCards(null));
    }

    @Override
    public void endBatch(String topic, int partition) {
        PartitionCards pc = partitions.get(topic + " " + partition);
        if (pc != null) pc.flush();
        if (out != null && batchFrom >= 0) {
            doc.setLength(0);
            doc.append("{\"type\":\"filtered\",\"source\":{\"topic\":");
            io.sabot.protocol.Json.quote(doc, topic).append(",\"partition\":").append(partition)
                    .append(",\"from\":").append(batchFrom).append(",\"to\":").append(batchTo)
                    .append("},\"count\":").append(batchCount - batchAlerts).append(",\"alerts\":").append(batchAlerts).append('}');
            out.send(topic + "-" + partition, doc.toString());
        }
        batchFrom = -1;
        batchCount = 0;
        batchAlerts = 0;
    }

    @Override
    public void process(Record r) {
        seen++;
        PartitionCards pc = cardsOf(r.topic(), r.partition());
        Card c = pc.card(r.cardId());
        pc.dirty.add(r.cardId());
        double amount = r.amount();
        double logAmount = Math.log(amount);
        double z = 0;
        boolean byAmount = false;
        if (c.n >= MIN_HISTORY) {
            double mean = c.sum / c.n;
            double var = Math.max(0, c.sumSq / c.n - mean * mean);
            double sd = Math.max(Math.sqrt(var), 0.1);
            z = (logAmount - mean) / sd;
            byAmount = z > K_SIGMA;
        }
        int recent = c.countSince(r.offset() - BURST_SPAN) + 1;
        boolean byBurst = recent > BURST_N;
        double score = score(amount, z, recent, r);
        if (score > maxScore) maxScore = score;
        c.push(logAmount, r.offset());
        if (byAmount || byBurst) {
            flagged++;
            if (out != null) {
                batchAlerts++;
                doc.setLength(0);
                Transactions.fields(doc.append("{\"type\":\"alert\","), txn, r)
                        .append(",\"rule\":\"").append(byAmount ? (byBurst ? "amount+burst" : "amount") : "burst")
                        .append("\",\"z\":").append(Math.round(z * 100) / 100.0)
                        .append(",\"recent\":").append(recent)
                        .append(",\"score\":").append(Math.round(score * 1000) / 1000.0)
                        .append(",\"source\":{\"topic\":");
                io.sabot.protocol.Json.quote(doc, r.topic()).append(",\"partition\":").append(r.partition())
                        .append(",\"offset\":").append(r.offset()).append("}}");
                out.send(Long.toString(r.cardId()), doc.toString());
            }
            if (flags != null) flags.flagged(r.topic(), r.partition(), r.offset());
            if (byAmount) flaggedAmount++;
            if (byBurst) flaggedBurst++;
            if (logLimit.tryAcquire(System.currentTimeMillis())) {
                log.info(String.format("FLAG card=%d amount=%.2f z=%.1f recent=%d reason=%s score=%.3f partition=%d offset=%d (flagged so far: %d)",
                        r.cardId(), amount, z, recent, byAmount ? (byBurst ? "amount+burst" : "amount") : "burst",
                        score, r.partition(), r.offset(), flagged));
            }
        }
    }

    /** A fixed two-layer network over a few features; returns a value in (0, 1). */
    private double score(double amount, double z, int recent, Record r) {
        x[0] = Math.log1p(amount) / 10.0;
        x[1] = Math.max(-5, Math.min(5, z)) / 5.0;
        x[2] = recent / (double) BURST_N;
        x[3] = Catalog.countryRisk(r.country());
        x[4] = r.merchantId() / (double) Catalog.merchantCount();
        x[5] = ((r.timestampMs() / 3_600_000L) % 24) / 24.0;
        x[6] = (r.cardId() & 1023) / 1024.0;
        x[7] = 1.0;
        double out = 0;
        for (int h = 0; h < HIDDEN; h++) {
            double a = b1[h];
            int base = h * FEATURES;
            for (int i = 0; i < FEATURES; i++) a += w1[base + i] * x[i];
            out += w2[h] * Math.tanh(a);
        }
        return 1.0 / (1.0 + Math.exp(-out));
    }

    @Override
    public void partitionRevoked(String topic, int partition) {
        // the cards stay in the partition's store, for its next owner
        partitions.remove(topic + " " + partition);
    }

    @Override
    public String summary() {
        return String.format("seen=%d flagged=%d (amount=%d burst=%d) cards=%d maxScore=%.3f",
                seen, flagged, flaggedAmount, flaggedBurst, partitions.values().stream().mapToInt(p -> p.cache.size()).sum(), maxScore);
    }

    public void onFlag(FlagSink sink) { this.flags = sink; }

    public long flagged() {
        return flagged;
    }

    public long seen() {
        return seen;
    }
}
