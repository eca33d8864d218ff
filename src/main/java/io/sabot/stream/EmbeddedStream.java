package io.sabot.stream;

import java.nio.charset.StandardCharsets;

/**
 * The embedded, deterministic, replayable stream.
 *
 * <p>A partition of a topic is an infinite sequence of {@link Record}s where the record at an
 * offset is a pure function of (seed, topic, partition, offset): {@link #recordAt}. Consumers that
 * resume from a committed offset, in any process, see exactly the same records. Nothing is stored.
 *
 * <p>Availability: offsets of every partition become available at {@code ratePerSec} from
 * {@code originEpochMs}: {@code highWatermark(now) = floor((now - originEpochMs) / 1000.0 * ratePerSec)}
 * (0 before the origin). Offsets below the high watermark may be read.
 *
 * <p>Keys: the key of a record is its card. Each partition has its own pool of
 * {@value #CARDS_PER_PARTITION} cards, and the card id encodes its partition
 * ({@link #partitionOfCard}), so a card lives in one partition and its transactions are seen, in
 * order, by whoever owns that partition. (The agent is not told the topic's partition count, so the
 * key-to-partition function cannot be "hash mod N"; it is this fixed, decodable mapping instead.)
 * With 12 partitions that is 4,800 cards.
 *
 * <p>Content: amounts are log-normal around a per-card median (about 7 to 55), with rare large
 * spikes (0.2% of records, x15 to x60); about 1% of 64-record blocks are a burst where half the
 * records are one card; merchants are skewed towards the first ones of {@link Catalog}; a card
 * mostly spends in its home country (97%). All randomness comes from SplitMix64 over the inputs,
 * and all floating point uses {@link StrictMath}, so results are bit-identical on every JVM.
 */
public final class EmbeddedStream {
    public static final int CARDS_PER_PARTITION = 400;
    /** Card ids look like 16-digit card numbers: {@code CARD_BASE + partition * CARD_STRIDE + index}. */
    public static final long CARD_BASE = 4_000_000_000_000_000L;
    public static final long CARD_STRIDE = 100_000L;
    public static final long DEFAULT_SEED = 0x5AB07L;

    private final long seed;
    private final double ratePerSec;
    private final long originEpochMs;

    public EmbeddedStream(long seed, double ratePerSec, long originEpochMs) {
        if (!(ratePerSec >= 0) || Double.isInfinite(ratePerSec)) throw new IllegalArgumentException("ratePerSec must be >= 0");
        this.seed = seed;
        this.ratePerSec = ratePerSec;
        this.originEpochMs = originEpochMs;
    }

    public EmbeddedStream(double ratePerSec, long originEpochMs) {
        this(DEFAULT_SEED, ratePerSec, originEpochMs);
    }

    public double ratePerSec() {
        return ratePerSec;
    }

    public long originEpochMs() {
        return originEpochMs;
    }

    /** Number of offsets available in each partition at {@code nowMs}. */
    public long highWatermark(long nowMs) {
        return highWatermark(nowMs, originEpochMs, ratePerSec);
    }

    /** {@code floor((nowMs - originEpochMs) / 1000.0 * ratePerSec)}, never negative. */
    public static long highWatermark(long nowMs, long originEpochMs, double ratePerSec) {
        if (nowMs <= originEpochMs || ratePerSec <= 0) return 0;
        return (long) Math.floor((nowMs - originEpochMs) / 1000.0 * ratePerSec);
    }

    /**
     * The earliest epoch ms at which {@code offset} is available (is below the watermark), or
     * {@link Long#MAX_VALUE} if never (rate 0, or so far ahead that no clock reaches it).
     */
    public long availableAtMs(long offset) {
        if (ratePerSec <= 0 || offset < 0) return offset < 0 ? originEpochMs : Long.MAX_VALUE;
        double estimate = (offset + 1.0) * 1000.0 / ratePerSec;
        if (estimate >= (Long.MAX_VALUE - originEpochMs) / 2.0) return Long.MAX_VALUE; // beyond any clock
        long t = originEpochMs + (long) Math.ceil(estimate);
        // the estimate is off by at most a few ms from floating point: correct it, and fall back
        // to a binary search on the (monotone) watermark if that is not enough
        for (int i = 0; i < 4 && highWatermark(t) <= offset; i++) t++;
        for (int i = 0; i < 4 && t > originEpochMs && highWatermark(t - 1) > offset; i++) t--;
        if (highWatermark(t) > offset && (t == originEpochMs || highWatermark(t - 1) <= offset)) return t;
        long lo = originEpochMs; // hw(lo) <= offset
        long hi = Math.max(t, originEpochMs + 1);
        while (highWatermark(hi) <= offset) {
            if (hi > Long.MAX_VALUE / 4) return Long.MAX_VALUE;
            hi = originEpochMs + (hi - originEpochMs) * 2;
        }
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (highWatermark(mid) > offset) hi = mid;
            else lo = mid;
        }
        return hi;
    }

    /** The record at {@code offset} of {@code topic}/{@code partition}. Pure and deterministic. */
    public Record recordAt(String topic, int partition, long offset) {
        if (partition < 0) throw new IllegalArgumentException("partition < 0");
        if (offset < 0) throw new IllegalArgumentException("offset < 0");
        long topicSeed = topicSeed(seed, topic);
        long h = mix(topicSeed ^ mix(partition * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L) ^ mix(offset + 0x1000193L));

        // card: burst blocks concentrate on one card
        long block = offset >>> 6;
        long bh = mix(topicSeed ^ mix(partition + 0xB1A5L) ^ mix(block * 0xD6E8FEB86659FD93L));
        int cardIndex;
        long s1 = mix(h + 1);
        if (unit(bh) < 0.01 && unit(mix(h + 2)) < 0.5) {
            cardIndex = (int) Long.remainderUnsigned(bh >>> 11, CARDS_PER_PARTITION);
        } else {
            cardIndex = (int) Long.remainderUnsigned(s1 >>> 7, CARDS_PER_PARTITION);
        }
        long cardId = CARD_BASE + partition * CARD_STRIDE + cardIndex;
        long ch = mix(topicSeed ^ mix(cardId));

        // amount: log-normal around the card's median, rare spikes
        double mu = StrictMath.log(20.0) + (unit(ch) - 0.5) * 2.0;
        double u1 = unitOpen(mix(h + 3));
        double u2 = unit(mix(h + 4));
        double z = StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
        double amount = StrictMath.exp(mu + 0.6 * z);
        long sh = mix(h + 5);
        if (unit(sh) < 0.002) amount *= 15.0 + 45.0 * unit(mix(sh));
        long cents = Math.max(1L, Math.min(5_000_000L, Math.round(amount * 100.0)));

        // merchant: skewed towards popular ones
        double um = unit(mix(h + 6));
        int merchant = (int) (um * um * Catalog.merchantCount());

        // country: mostly the card's home country
        int home = Catalog.weightedCountry(unit(mix(ch + 7)));
        long cth = mix(h + 8);
        int country = unit(cth) < 0.97 ? home : (int) Long.remainderUnsigned(mix(cth) >>> 3, Catalog.countryCount());

        long ts = ratePerSec > 0 ? availableAtMs(offset) : originEpochMs;
        return new Record(topic, partition, offset, cardId, cents, merchant, Catalog.country(country), ts);
    }

    /** The partition a card (record key) lives in. */
    public static int partitionOfCard(long cardId) {
        if (cardId < CARD_BASE) throw new IllegalArgumentException("not a card id: " + cardId);
        return (int) ((cardId - CARD_BASE) / CARD_STRIDE);
    }

    /** The card's index within its partition's pool, in [0, CARDS_PER_PARTITION). */
    public static int cardIndex(long cardId) {
        return (int) ((cardId - CARD_BASE) % CARD_STRIDE);
    }

    static long topicSeed(long seed, String topic) {
        long h = 0xcbf29ce484222325L ^ seed; // FNV-1a 64 over the UTF-8 bytes
        for (byte b : topic.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** SplitMix64 finaliser. */
    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    static double unit(long h) {
        return (h >>> 11) * 0x1.0p-53;
    }

    /** Uniform in (0, 1]. */
    static double unitOpen(long h) {
        return ((h >>> 11) + 1) * 0x1.0p-53;
    }
}
