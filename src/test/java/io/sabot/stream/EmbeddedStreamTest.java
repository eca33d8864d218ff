package io.sabot.stream;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedStreamTest {
    private static final long ORIGIN = 1_700_000_000_000L;

    @Property(tries = 300)
    void recordAtIsAPureFunction(@ForAll @IntRange(min = 0, max = 10_000) int partition,
                                 @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 4) long offset) {
        EmbeddedStream a = new EmbeddedStream(100, ORIGIN);
        EmbeddedStream b = new EmbeddedStream(100, ORIGIN);
        Record r = a.recordAt("transactions", partition, offset);
        assertThat(b.recordAt("transactions", partition, offset)).isEqualTo(r);
        assertThat(a.recordAt("transactions", partition, offset)).isEqualTo(r);
        assertThat(r.partition()).isEqualTo(partition);
        assertThat(r.offset()).isEqualTo(offset);
        assertThat(EmbeddedStream.partitionOfCard(r.cardId())).as("a card lives in one partition").isEqualTo(partition);
        assertThat(r.amountCents()).isBetween(1L, 5_000_000L);
        assertThat(r.merchant()).isNotBlank();
        assertThat(Catalog.countryIndex(r.country())).isNotNegative();
    }

    @Test
    void contentIsPinned() {
        // a golden checksum: a change here changes every replay; do it only on purpose
        EmbeddedStream s = new EmbeddedStream(1000, ORIGIN);
        long h = 17;
        for (int p = 0; p < 4; p++) {
            for (long o = 0; o < 2_000; o++) {
                Record r = s.recordAt("transactions", p, o);
                h = h * 31 + r.cardId();
                h = h * 31 + r.amountCents();
                h = h * 31 + r.merchantId();
                h = h * 31 + r.country().hashCode();
                h = h * 31 + r.timestampMs();
            }
        }
        System.out.println("stream golden checksum: " + h);
        assertThat(h).isEqualTo(GOLDEN);
        Record first = s.recordAt("transactions", 0, 0);
        assertThat(first.timestampMs()).isEqualTo(ORIGIN + 1);
        assertThat(new EmbeddedStream(7, 1000, ORIGIN).recordAt("transactions", 0, 5))
                .as("another seed, another stream").isNotEqualTo(s.recordAt("transactions", 0, 5));
    }

    static final long GOLDEN = 4448407650112892018L;

    @Test
    void topicsAndPartitionsDiffer() {
        EmbeddedStream s = new EmbeddedStream(10, ORIGIN);
        int same = 0;
        for (long o = 0; o < 1000; o++) {
            if (s.recordAt("a", 0, o).amountCents() == s.recordAt("b", 0, o).amountCents()) same++;
            if (s.recordAt("a", 0, o).amountCents() == s.recordAt("a", 1, o).amountCents()) same++;
        }
        assertThat(same).isLessThan(20);
    }

    @Test
    void distributionLooksLikeCardTraffic() {
        EmbeddedStream s = new EmbeddedStream(100, ORIGIN);
        int n = 200_000;
        Map<Long, Integer> perCard = new HashMap<>();
        Set<String> countries = new HashSet<>();
        int[] merchants = new int[Catalog.merchantCount()];
        long big = 0;
        double logSum = 0;
        for (long o = 0; o < n; o++) {
            Record r = s.recordAt("transactions", 3, o);
            perCard.merge(r.cardId(), 1, Integer::sum);
            countries.add(r.country());
            merchants[r.merchantId()]++;
            if (r.amountCents() > 100_000) big++;
            logSum += Math.log(r.amount());
        }
        assertThat(perCard).hasSize(EmbeddedStream.CARDS_PER_PARTITION); // every card recurs
        assertThat(perCard.values().stream().mapToInt(Integer::intValue).min().orElse(0)).isGreaterThan(300);
        double medianish = Math.exp(logSum / n);
        assertThat(medianish).isBetween(10.0, 40.0);
        assertThat(big).as("rare large spikes").isBetween(50L, 2_000L);
        assertThat(countries.size()).isGreaterThan(10);
        assertThat(merchants[0]).isGreaterThan(merchants[merchants.length - 1]);
    }

    @Test
    void watermarkMath() {
        assertThat(EmbeddedStream.highWatermark(ORIGIN - 5, ORIGIN, 100)).isZero();
        assertThat(EmbeddedStream.highWatermark(ORIGIN, ORIGIN, 100)).isZero();
        assertThat(EmbeddedStream.highWatermark(ORIGIN + 9, ORIGIN, 100)).isZero();
        assertThat(EmbeddedStream.highWatermark(ORIGIN + 10, ORIGIN, 100)).isEqualTo(1);
        assertThat(EmbeddedStream.highWatermark(ORIGIN + 1_000, ORIGIN, 100)).isEqualTo(100);
        assertThat(EmbeddedStream.highWatermark(ORIGIN + 1_500, ORIGIN, 0.5)).isZero();
        assertThat(EmbeddedStream.highWatermark(ORIGIN + 2_000, ORIGIN, 0.5)).isEqualTo(1);
        assertThat(EmbeddedStream.highWatermark(ORIGIN + 86_400_000L, ORIGIN, 1000)).isEqualTo(86_400_000L);
        assertThat(EmbeddedStream.highWatermark(ORIGIN + 1_000_000, ORIGIN, 0)).isZero();
        assertThat(new EmbeddedStream(0, ORIGIN).availableAtMs(0)).isEqualTo(Long.MAX_VALUE);
    }

    @Property(tries = 500)
    void watermarkMatchesFormulaAndAvailability(@ForAll @LongRange(min = 0, max = 10L * 365 * 86_400_000) long elapsed,
                                                @ForAll @DoubleRange(min = 0.01, max = 100_000) double rate,
                                                @ForAll @LongRange(min = 0, max = 1_000_000) long offset) {
        EmbeddedStream s = new EmbeddedStream(rate, ORIGIN);
        long now = ORIGIN + elapsed;
        assertThat(s.highWatermark(now)).isEqualTo((long) Math.floor((now - ORIGIN) / 1000.0 * rate));
        assertThat(s.highWatermark(now + 1)).isGreaterThanOrEqualTo(s.highWatermark(now));
        long at = s.availableAtMs(offset);
        assertThat(s.highWatermark(at)).as("available at its time").isGreaterThan(offset);
        assertThat(s.highWatermark(at - 1)).as("not before").isLessThanOrEqualTo(offset);
        assertThat(s.recordAt("t", 0, offset).timestampMs()).isEqualTo(at);
    }
}
