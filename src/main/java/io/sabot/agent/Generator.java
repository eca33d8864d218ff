package io.sabot.agent;

import io.sabot.stream.EmbeddedStream;
import io.sabot.stream.Record;

/**
 * {@code generator}: synthetic card transactions at a set rate into the agent's output topics,
 * keyed by card ({@link Transactions}). Content comes from the embedded stream's deterministic
 * model (4,800 cards, log-normal amounts, bursts, skewed merchants); the timestamp is the time of
 * sending. Each transaction has an id unique across restarts: {@code INSTANCE.STARTMS.SEQ}.
 *
 * <p>Environment: {@code SABOT_GENERATOR_RATE} records/s (default 100), {@code SABOT_GENERATOR_LIMIT}
 * records in all (default: no limit; tests use it to know when generation is done).
 */
public final class Generator implements AgentKind {
    public static final String NAME = "generator";
    private static final int POOLS = 12;
    private static final int MAX_PER_TICK = 2_000;

    private final AgentLog log;
    private final EmbeddedStream model = new EmbeddedStream(0, 0);
    private final double rate;
    private final long limit;
    private final String instance;
    private final StringBuilder doc = new StringBuilder(256);
    private Output out;
    private long startMs;
    private long sent;

    public Generator(AgentLog log) {
        this.log = log;
        this.rate = Math.max(0.001, Transactions.num(System.getenv("SABOT_GENERATOR_RATE"), 100));
        long l = Transactions.num(System.getenv("SABOT_GENERATOR_LIMIT"), -1);
        this.limit = l < 0 ? Long.MAX_VALUE : l;
        String in = System.getenv("SABOT_INSTANCE");
        this.instance = in == null ? "generator" : in;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void process(Record r) {
        // consumes nothing
    }

    @Override
    public void attach(Output out) {
        this.out = out;
        this.startMs = System.currentTimeMillis();
        log.info("generator: " + rate + " records/s" + (limit == Long.MAX_VALUE ? "" : ", " + limit + " in all"));
    }

    @Override
    public long tick(long nowMs) {
        if (out == null || sent >= limit) return Long.MAX_VALUE;
        long due = Math.min(limit, (long) Math.floor((nowMs - startMs) / 1000.0 * rate));
        long until = Math.min(due, sent + MAX_PER_TICK);
        while (sent < until) {
            Record r = model.recordAt("transactions", (int) (sent % POOLS), sent / POOLS);
            Record now = new Record(r.topic(), r.partition(), sent, r.cardId(), r.amountCents(), r.merchantId(), r.country(), nowMs);
            doc.setLength(0);
            Transactions.fields(doc.append('{'), instance + "." + startMs + "." + sent, now).append('}');
            out.send(Long.toString(r.cardId()), doc.toString());
            sent++;
        }
        if (sent >= limit) return Long.MAX_VALUE;
        if (sent < due) return nowMs; // more due now: next loop turn
        return startMs + (long) Math.ceil((sent + 1) * 1000.0 / rate);
    }

    @Override
    public long produced() {
        return sent;
    }

    @Override
    public String summary() {
        return "sent=" + sent + (limit == Long.MAX_VALUE ? "" : "/" + limit);
    }
}
