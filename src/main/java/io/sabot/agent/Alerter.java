package io.sabot.agent;

import io.sabot.stream.Catalog;
import io.sabot.stream.Record;

/**
 * {@code alerter}: aggregates per-merchant totals over tumbling windows of
 * {@value #WINDOW_MS} ms of stream time, and estimates distinct cards per merchant and window with
 * a small HyperLogLog. When a window closes, a merchant whose total exceeds {@value #SPIKE_FACTOR}x
 * its moving average (after {@value #WARMUP_WINDOWS} windows) raises an alert; so does any single
 * transaction above {@value #LARGE_CENTS} cents. Alerts are written to stdout as ordinary log
 * lines starting with {@code ALERT}, rate-limited to one per second (burst 5); suppressed alerts
 * are counted.
 */
public final class Alerter implements AgentKind {
    public static final String NAME = "alerter";
    static final long WINDOW_MS = 10_000;
    static final double SPIKE_FACTOR = 2.5;
    static final int WARMUP_WINDOWS = 3;
    static final long LARGE_CENTS = 200_000;
    private static final int HLL_REGISTERS = 64;

    private final AgentLog log;
    private final int merchants = Catalog.merchantCount();
    private final double[] total = new double[merchants];
    private final long[] count = new long[merchants];
    private final byte[] hll = new byte[merchants * HLL_REGISTERS];
    private final double[] average = new double[merchants];
    private final RateLimiter limit = new RateLimiter(1.0, 5);
    private long window = Long.MIN_VALUE;
    private int windowsClosed;
    private long alerts;
    private long suppressed;
    private long seen;

    public Alerter(AgentLog log) {
        this.log = log;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void process(Record r) {
        seen++;
        long w = Math.floorDiv(r.timestampMs(), WINDOW_MS);
        if (window == Long.MIN_VALUE) window = w;
        if (w > window) closeWindow(w);
        int m = r.merchantId();
        total[m] += r.amount();
        count[m]++;
        long h = r.cardId() * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        int reg = (int) (h & (HLL_REGISTERS - 1));
        byte rank = (byte) (Long.numberOfLeadingZeros(h | 63) + 1);
        int idx = m * HLL_REGISTERS + reg;
        if (rank > hll[idx]) hll[idx] = rank;
        if (r.amountCents() >= LARGE_CENTS) {
            alert(String.format("ALERT large-transaction merchant=\"%s\" card=%d amount=%.2f country=%s offset=%d/%d",
                    Catalog.merchantName(m), r.cardId(), r.amount(), r.country(), r.partition(), r.offset()));
        }
    }

    private void closeWindow(long next) {
        for (int m = 0; m < merchants; m++) {
            double t = total[m];
            if (windowsClosed >= WARMUP_WINDOWS && average[m] > 0 && t > SPIKE_FACTOR * average[m] && t > 500) {
                alert(String.format("ALERT merchant-spike merchant=\"%s\" window=%d total=%.2f avg=%.2f txns=%d cards~%d",
                        Catalog.merchantName(m), window * WINDOW_MS, t, average[m], count[m], distinctCards(m)));
            }
            average[m] = windowsClosed == 0 ? t : 0.8 * average[m] + 0.2 * t;
            total[m] = 0;
            count[m] = 0;
        }
        java.util.Arrays.fill(hll, (byte) 0);
        windowsClosed++;
        window = next;
    }

    private long distinctCards(int m) {
        double sum = 0;
        int zeros = 0;
        for (int i = 0; i < HLL_REGISTERS; i++) {
            byte v = hll[m * HLL_REGISTERS + i];
            sum += 1.0 / (1L << v);
            if (v == 0) zeros++;
        }
        double est = 0.709 * HLL_REGISTERS * HLL_REGISTERS / sum;
        if (est <= 2.5 * HLL_REGISTERS && zeros > 0) est = HLL_REGISTERS * Math.log((double) HLL_REGISTERS / zeros);
        return Math.round(est);
    }

    private void alert(String line) {
        alerts++;
        if (limit.tryAcquire(System.currentTimeMillis())) log.output(line);
        else suppressed++;
    }

    @Override
    public String summary() {
        return String.format("seen=%d windows=%d alerts=%d (suppressed %d)", seen, windowsClosed, alerts, suppressed);
    }

    public long alerts() {
        return alerts;
    }
}
