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
 *
 * <p>On the Kafka pipeline's {@code alerts} topic ({@link Transactions}): each {@code alert} becomes a
 * notification, a log line starting {@code ALERT fraud} (rate-limited like the others) and a line
 * in the sink file {@code $SABOT_HOME/sinks/AGENT.jsonl} (1 MiB, then rotated once to {@code .1})
 * that the console and people can read; {@code filtered} records are counted.
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
    private long fraudAlerts;
    private long filtered;
    private Sink sink;

    public Alerter(AgentLog log) {
        this.log = log;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void processJson(String topic, int partition, long offset, String key, java.util.Map<String, Object> json, long timestampMs) {
        Object type = json == null ? null : json.get("type");
        if ("filtered".equals(type)) {
            filtered += Transactions.num(json.get("count"), 0);
            return;
        }
        if ("alert".equals(type)) {
            fraudAlerts++;
            Record r = Transactions.fromJson(topic, partition, offset, json, timestampMs);
            String line = String.format("ALERT fraud rule=%s card=%s amount=%.2f merchant=\"%s\" country=%s txn=%s",
                    json.get("rule"), json.get("card"), r == null ? 0.0 : r.amount(), r == null ? "?" : r.merchant(),
                    json.get("country"), json.get("txn"));
            alert(line);
            if (sink == null) sink = Sink.open(System.getenv("SABOT_HOME"), System.getenv("SABOT_AGENT"), log);
            if (sink != null) sink.append(json, System.currentTimeMillis());
            return;
        }
        Record r = Transactions.fromJson(topic, partition, offset, json, timestampMs);
        if (r != null) process(r);
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
        return String.format("seen=%d windows=%d alerts=%d (suppressed %d)", seen, windowsClosed, alerts, suppressed)
                + (fraudAlerts + filtered > 0 ? String.format(" fraudAlerts=%d filtered=%d", fraudAlerts, filtered) : "");
    }

    public long alerts() {
        return alerts;
    }

    /** Notifications written where people and the console read them: a bounded JSON-lines file. */
    static final class Sink {
        static final long MAX_BYTES = 1024 * 1024;
        private final java.nio.file.Path file;
        private final AgentLog log;

        private Sink(java.nio.file.Path file, AgentLog log) {
            this.file = file;
            this.log = log;
        }

        static Sink open(String home, String agent, AgentLog log) {
            if (home == null || home.isBlank()) return null;
            try {
                java.nio.file.Path dir = java.nio.file.Files.createDirectories(java.nio.file.Path.of(home, "sinks"));
                return new Sink(dir.resolve((agent == null ? "alerter" : agent) + ".jsonl"), log);
            } catch (java.io.IOException | RuntimeException e) {
                log.info("alerter: no sink file (" + e.getMessage() + "); alerts go to the log only");
                return null;
            }
        }

        void append(java.util.Map<String, Object> alert, long now) {
            StringBuilder b = new StringBuilder(256).append("{\"notifiedAt\":").append(now);
            for (java.util.Map.Entry<String, Object> e : alert.entrySet()) {
                if (e.getValue() instanceof java.util.Map) continue;
                io.sabot.protocol.Json.quote(b.append(','), e.getKey()).append(':');
                if (e.getValue() instanceof String) io.sabot.protocol.Json.quote(b, (String) e.getValue());
                else b.append(e.getValue());
            }
            b.append("}\n");
            try {
                if (java.nio.file.Files.exists(file) && java.nio.file.Files.size(file) > MAX_BYTES) {
                    java.nio.file.Files.move(file, file.resolveSibling(file.getFileName() + ".1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                java.nio.file.Files.writeString(file, b, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                log.info("alerter: sink " + file + ": " + e.getMessage());
            }
        }
    }
}
