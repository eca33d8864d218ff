package io.sabot.protocol;

import io.sabot.protocol.ProtocolMessages.Ack;
import io.sabot.protocol.ProtocolMessages.Assign;
import io.sabot.protocol.ProtocolMessages.Commit;
import io.sabot.protocol.ProtocolMessages.Drain;
import io.sabot.protocol.ProtocolMessages.Drained;
import io.sabot.protocol.ProtocolMessages.Heartbeat;
import io.sabot.protocol.ProtocolMessages.KafkaCluster;
import io.sabot.protocol.ProtocolMessages.OutputTopic;
import io.sabot.protocol.ProtocolMessages.Outputs;
import io.sabot.protocol.ProtocolMessages.PartitionOffset;
import io.sabot.protocol.ProtocolMessages.Ready;
import io.sabot.protocol.ProtocolMessages.Revoke;
import io.sabot.protocol.ProtocolMessages.ToAgent;
import io.sabot.protocol.ProtocolMessages.ToEngine;
import io.sabot.protocol.ProtocolMessages.UnknownToAgent;
import io.sabot.protocol.ProtocolMessages.UnknownToEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.sabot.protocol.ProtocolMessages.*;

/**
 * Encodes and decodes protocol messages. Both directions, usable by the engine and by agents.
 *
 * <p>Decoding is strict about the fields a known type needs (a missing or ill-typed field is a
 * {@link ProtocolException}) and lenient about everything else: extra fields are ignored, and a
 * well-formed object with an unknown {@code type} decodes to {@code Unknown*}.
 */
public final class ProtocolCodec {
    private ProtocolCodec() {}

    /** Malformed protocol input: not JSON, not an object, no type, or a missing/ill-typed field. */
    public static final class ProtocolException extends IllegalArgumentException {
        public ProtocolException(String message) {
            super(message);
        }
        public ProtocolException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    // ------------------------------------------------------------------ encode

    /** The JSON object for an agent-to-engine message (without prefix or newline). */
    public static String encode(ToEngine m) {
        StringBuilder b = new StringBuilder(96).append("{\"type\":");
        if (m instanceof Heartbeat) {
            Heartbeat h = (Heartbeat) m;
            Json.quote(b, T_HEARTBEAT).append(",\"rate\":");
            Json.number(b, h.rate()).append(",\"lag\":").append(h.lag()).append(",\"processed\":").append(h.processed());
            if (!h.healthy()) {
                b.append(",\"healthy\":false,\"reason\":");
                Json.quote(b, h.reason() == null ? "" : h.reason());
            }
        } else if (m instanceof Commit) {
            Commit c = (Commit) m;
            Json.quote(b, T_COMMIT).append(",\"topic\":");
            Json.quote(b, c.topic()).append(",\"partition\":").append(c.partition()).append(",\"offset\":").append(c.offset());
            if (c.timestampMs() > 0) b.append(",\"timestampMs\":").append(c.timestampMs());
        } else if (m instanceof Ack) {
            Ack a = (Ack) m;
            Json.quote(b, T_ACK).append(",\"op\":");
            Json.quote(b, a.op()).append(",\"epoch\":").append(a.epoch());
        } else if (m instanceof Stores st) {
            Json.quote(b, T_STORES).append(",\"stores\":[");
            for (int i = 0; i < st.stores().size(); i++) {
                StoreState x = st.stores().get(i);
                if (i > 0) b.append(',');
                Json.quote(b.append("{\"store\":"), x.store()).append(",\"topic\":");
                Json.quote(b, x.topic()).append(",\"partition\":").append(x.partition()).append(",\"status\":");
                Json.quote(b, x.status()).append(",\"entries\":").append(x.entries()).append(",\"bytes\":").append(x.bytes())
                        .append(",\"diskBytes\":").append(x.diskBytes()).append(",\"restored\":").append(x.restored())
                        .append(",\"restoreTotal\":").append(x.restoreTotal()).append('}');
            }
            b.append(']');
        } else if (m instanceof Restore r) {
            Json.quote(b, T_RESTORE).append(",\"store\":");
            Json.quote(b, r.store()).append(",\"topic\":");
            Json.quote(b, r.topic()).append(",\"partition\":").append(r.partition()).append(",\"restored\":").append(r.restored())
                    .append(",\"total\":").append(r.total()).append(",\"done\":").append(r.done());
            if (r.source() != null) Json.quote(b.append(",\"source\":"), r.source());
            if (r.done()) b.append(",\"durationMs\":").append(r.durationMs());
        } else {
            Json.quote(b, m.type());
        }
        return b.append('}').toString();
    }

    /** The full stdout line for an agent-to-engine message: {@code "@sabot {...}"} (no newline). */
    public static String encodeLine(ToEngine m) {
        return PREFIX + encode(m);
    }

    /** The JSON object (one stdin line, without newline) for an engine-to-agent message. */
    public static String encode(ToAgent m) {
        StringBuilder b = new StringBuilder(128).append("{\"type\":");
        if (m instanceof Assign) {
            Assign a = (Assign) m;
            Json.quote(b, T_ASSIGN).append(",\"epoch\":").append(a.epoch()).append(",\"topic\":");
            Json.quote(b, a.topic()).append(",\"rate\":");
            Json.number(b, a.rate()).append(",\"originEpochMs\":").append(a.originEpochMs()).append(",\"partitions\":[");
            for (int i = 0; i < a.partitions().size(); i++) {
                PartitionOffset p = a.partitions().get(i);
                if (i > 0) b.append(',');
                b.append("{\"partition\":").append(p.partition()).append(",\"offset\":").append(p.offset()).append('}');
            }
            b.append(']');
            if (a.group() != null) Json.quote(b.append(",\"group\":"), a.group());
            if (a.kafka() != null) kafka(b.append(",\"kafka\":"), a.kafka());
        } else if (m instanceof Revoke) {
            Revoke r = (Revoke) m;
            Json.quote(b, T_REVOKE).append(",\"epoch\":").append(r.epoch()).append(",\"topic\":");
            Json.quote(b, r.topic()).append(",\"partitions\":[");
            for (int i = 0; i < r.partitions().size(); i++) {
                if (i > 0) b.append(',');
                b.append(r.partitions().get(i).intValue());
            }
            b.append(']');
        } else if (m instanceof ProtocolMessages.Standby) {
            ProtocolMessages.Standby r = (ProtocolMessages.Standby) m;
            Json.quote(b, ProtocolMessages.T_STANDBY).append(",\"epoch\":").append(r.epoch()).append(",\"topic\":");
            Json.quote(b, r.topic()).append(",\"partitions\":[");
            for (int i = 0; i < r.partitions().size(); i++) {
                if (i > 0) b.append(',');
                b.append(r.partitions().get(i).intValue());
            }
            b.append(']');
        } else if (m instanceof Outputs) {
            Json.quote(b, T_OUTPUTS).append(",\"topics\":[");
            List<OutputTopic> ts = ((Outputs) m).topics();
            for (int i = 0; i < ts.size(); i++) {
                if (i > 0) b.append(',');
                Json.quote(b.append("{\"name\":"), ts.get(i).name());
                kafka(b.append(",\"kafka\":"), ts.get(i).kafka()).append('}');
            }
            b.append(']');
        } else if (m instanceof ProtocolMessages.Subscribe) {
            ProtocolMessages.Subscribe sb = (ProtocolMessages.Subscribe) m;
            Json.quote(b, ProtocolMessages.T_SUBSCRIBE).append(",\"group\":");
            Json.quote(b, sb.group()).append(",\"topics\":[");
            for (int i = 0; i < sb.topics().size(); i++) {
                if (i > 0) b.append(',');
                Json.quote(b, sb.topics().get(i));
            }
            b.append(']');
            if (sb.strategy() != null) Json.quote(b.append(",\"strategy\":"), sb.strategy());
            if (sb.host() != null) Json.quote(b.append(",\"host\":"), sb.host());
            kafka(b.append(",\"kafka\":"), sb.kafka());
        } else {
            Json.quote(b, m.type());
        }
        return b.append('}').toString();
    }

    private static StringBuilder kafka(StringBuilder b, KafkaCluster k) {
        Json.quote(b.append("{\"cluster\":"), k.cluster());
        Json.quote(b.append(",\"bootstrapServers\":"), k.bootstrapServers()).append(",\"properties\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(k.properties()).entrySet()) {
            if (!first) b.append(',');
            first = false;
            Json.quote(b, e.getKey()).append(':');
            Json.quote(b, e.getValue());
        }
        return b.append("}}");
    }

    // ------------------------------------------------------------------ decode

    /** True if an agent stdout line is a protocol line (starts with {@code "@sabot "}); other lines are logs. */
    public static boolean isProtocolLine(String stdoutLine) {
        return stdoutLine.startsWith(PREFIX);
    }

    /**
     * Decodes one agent stdout line. Returns null for a log line (no prefix).
     *
     * @throws ProtocolException if the line has the prefix but is not a valid message
     */
    public static ToEngine decodeAgentLine(String stdoutLine) {
        if (!isProtocolLine(stdoutLine)) return null;
        return decodeToEngine(stdoutLine.substring(PREFIX.length()));
    }

    /** Decodes the JSON object of an agent-to-engine message. */
    public static ToEngine decodeToEngine(String json) {
        return decodeToEngine(object(json));
    }

    /**
     * Decodes an agent-to-engine message already parsed into a map ({@link Json#parseObject}).
     * A heartbeat is never refused for its figures: one that is missing, not a number, not finite
     * or negative counts as 0 (the engine does not take an agent's numbers at face value).
     */
    public static ToEngine decodeToEngine(Map<String, Object> o) {
        String type = str(o, TYPE);
        switch (type) {
            case T_READY: return new Ready();
            case T_DRAINED: return new Drained();
            case T_HEARTBEAT: return new Heartbeat(figure(o, "rate"), (long) figure(o, "lag"), (long) figure(o, "processed"),
                    !Boolean.FALSE.equals(o.get("healthy")), o.get("reason") instanceof String ? (String) o.get("reason") : null);
            case T_ACK: return new Ack(str(o, "op"), lng(o, "epoch"));
            case T_COMMIT: return new Commit(str(o, "topic"), intv(o, "partition"), lng(o, "offset"),
                    o.containsKey("timestampMs") ? lng(o, "timestampMs") : 0);
            case T_STORES: {
                List<Object> ss = list(o, "stores");
                List<StoreState> out = new ArrayList<>(ss.size());
                for (Object e : ss) {
                    if (!(e instanceof Map)) throw new ProtocolException("stores.stores: expected objects");
                    @SuppressWarnings("unchecked") Map<String, Object> x = (Map<String, Object>) e;
                    out.add(new StoreState(str(x, "store"), str(x, "topic"), intv(x, "partition"),
                            x.get("status") instanceof String st ? st : "active", (long) figure(x, "entries"), (long) figure(x, "bytes"),
                            (long) figure(x, "diskBytes"), (long) figure(x, "restored"), (long) figure(x, "restoreTotal")));
                }
                return new Stores(out);
            }
            case T_RESTORE: return new Restore(str(o, "store"), str(o, "topic"), intv(o, "partition"), (long) figure(o, "restored"),
                    (long) figure(o, "total"), Boolean.TRUE.equals(o.get("done")), o.get("source") instanceof String src ? src : null,
                    (long) figure(o, "durationMs"));
            default: return new UnknownToEngine(type);
        }
    }

    /** Decodes one engine-to-agent stdin line (a JSON object). */
    public static ToAgent decodeToAgent(String json) {
        Map<String, Object> o = object(json);
        String type = str(o, TYPE);
        switch (type) {
            case T_DRAIN: return new Drain();
            case T_ASSIGN: {
                List<Object> ps = list(o, "partitions");
                List<PartitionOffset> out = new ArrayList<>(ps.size());
                for (Object p : ps) {
                    if (!(p instanceof Map)) throw new ProtocolException("assign.partitions: expected objects");
                    @SuppressWarnings("unchecked") Map<String, Object> pm = (Map<String, Object>) p;
                    long off = lng(pm, "offset");
                    if (off < 0) throw new ProtocolException("assign.partitions.offset: negative");
                    int part = intv(pm, "partition");
                    if (part < 0) throw new ProtocolException("assign.partitions.partition: negative");
                    out.add(new PartitionOffset(part, off));
                }
                double rate = dbl(o, "rate");
                if (!(rate >= 0) || Double.isInfinite(rate)) throw new ProtocolException("assign.rate: must be >= 0");
                KafkaCluster k = o.containsKey("kafka") ? kafka(o.get("kafka"), "assign.kafka") : null;
                String group = o.get("group") instanceof String ? (String) o.get("group") : null;
                return new Assign(lng(o, "epoch"), str(o, "topic"), rate, lng(o, "originEpochMs"), out, k, group);
            }
            case T_OUTPUTS: {
                List<OutputTopic> out = new ArrayList<>();
                for (Object t : list(o, "topics")) {
                    if (!(t instanceof Map)) throw new ProtocolException("outputs.topics: expected objects");
                    @SuppressWarnings("unchecked") Map<String, Object> tm = (Map<String, Object>) t;
                    out.add(new OutputTopic(str(tm, "name"), kafka(tm.get("kafka"), "outputs.topics.kafka")));
                }
                return new Outputs(out);
            }
            case T_REVOKE: {
                List<Object> ps = list(o, "partitions");
                List<Integer> out = new ArrayList<>(ps.size());
                for (Object p : ps) {
                    if (!(p instanceof Long) || (Long) p < 0 || (Long) p > Integer.MAX_VALUE) {
                        throw new ProtocolException("revoke.partitions: expected partition numbers");
                    }
                    out.add((int) (long) (Long) p);
                }
                return new Revoke(lng(o, "epoch"), str(o, "topic"), out);
            }
            case ProtocolMessages.T_STANDBY: {
                List<Integer> out = new ArrayList<>();
                for (Object p : list(o, "partitions")) {
                    if (!(p instanceof Long) || (Long) p < 0 || (Long) p > Integer.MAX_VALUE) {
                        throw new ProtocolException("standby.partitions: expected partition numbers");
                    }
                    out.add((int) (long) (Long) p);
                }
                return new ProtocolMessages.Standby(lng(o, "epoch"), str(o, "topic"), out);
            }
            case ProtocolMessages.T_SUBSCRIBE: {
                List<String> ts = new ArrayList<>();
                for (Object t : list(o, "topics")) {
                    if (!(t instanceof String)) throw new ProtocolException("subscribe.topics: expected names");
                    ts.add((String) t);
                }
                String strategy = o.get("strategy") instanceof String ? (String) o.get("strategy") : null;
                String host = o.get("host") instanceof String ? (String) o.get("host") : null;
                return new ProtocolMessages.Subscribe(str(o, "group"), ts, kafka(o.get("kafka"), "subscribe.kafka"), strategy, host);
            }
            default: return new UnknownToAgent(type);
        }
    }

    private static KafkaCluster kafka(Object v, String where) {
        if (!(v instanceof Map)) throw new ProtocolException(where + ": expected an object");
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) v;
        Map<String, String> props = new java.util.LinkedHashMap<>();
        Object pv = m.get("properties");
        if (pv instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) pv).entrySet()) {
                if (!(e.getValue() instanceof String)) throw new ProtocolException(where + ".properties: expected string values");
                props.put((String) e.getKey(), (String) e.getValue());
            }
        }
        return new KafkaCluster(str(m, "cluster"), str(m, "bootstrapServers"), props);
    }

    private static Map<String, Object> object(String json) {
        try {
            return Json.parseObject(json);
        } catch (Json.ParseException e) {
            throw new ProtocolException("invalid JSON: " + e.getMessage(), e);
        }
    }

    private static double figure(Map<String, Object> o, String k) {
        Object v = o.get(k);
        if (!(v instanceof Number)) return 0;
        double d = ((Number) v).doubleValue();
        return Double.isFinite(d) && d > 0 ? Math.min(d, 9e15) : 0;
    }

    private static Object field(Map<String, Object> o, String k) {
        Object v = o.get(k);
        if (v == null) throw new ProtocolException("missing field '" + k + "'");
        return v;
    }

    private static String str(Map<String, Object> o, String k) {
        Object v = field(o, k);
        if (!(v instanceof String)) throw new ProtocolException("field '" + k + "': expected a string");
        return (String) v;
    }

    private static long lng(Map<String, Object> o, String k) {
        Object v = field(o, k);
        if (v instanceof Long) return (Long) v;
        if (v instanceof Double && (Double) v == Math.rint((Double) v) && Math.abs((Double) v) < 9e15) {
            return (long) (double) (Double) v;
        }
        throw new ProtocolException("field '" + k + "': expected an integer");
    }

    private static int intv(Map<String, Object> o, String k) {
        long v = lng(o, k);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new ProtocolException("field '" + k + "': out of range");
        return (int) v;
    }

    private static double dbl(Map<String, Object> o, String k) {
        Object v = field(o, k);
        if (v instanceof Number) return ((Number) v).doubleValue();
        throw new ProtocolException("field '" + k + "': expected a number");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> o, String k) {
        Object v = field(o, k);
        if (!(v instanceof List)) throw new ProtocolException("field '" + k + "': expected an array");
        return (List<Object>) v;
    }
}
