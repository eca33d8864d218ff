package io.sabot.control;

import io.sabot.concurrent.Threads;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sabot.engine.Subscription;
import io.sabot.engine.UnknownTargetException;
import io.sabot.spec.SpecError;
import io.sabot.spec.SpecException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A client of the control protocol over a {@link Transport}. Requests go over pooled channels (a
 * channel carries one request at a time, so a long restart does not hold up a status read); each
 * stream gets a channel of its own. The first exchange is the {@link Protocol} handshake.
 */
public final class ControlClient implements AutoCloseable {
    /** Reads that may be sent again on a fresh channel when a pooled one turns out closed. */
    private static final Set<String> RETRYABLE = Set.of("hello", "ping", "info", "spec", "status", "history", "logs", "partitions",
            "traces", "metrics");
    private static final int MAX_IDLE = 4;
    private final Transport transport;
    private final Deque<Channel> idle = new ArrayDeque<>(); // guarded by itself
    private final AtomicLong ids = new AtomicLong();
    private volatile Protocol.Peer peer;
    private volatile boolean closed;
    private final List<String> notices = new ArrayList<>();

    private ControlClient(Transport transport) { this.transport = transport; }

    /** Connects to the engine of a local home, or throws {@link NoEngineException} naming the home when none listens. */
    public static ControlClient connect(Path socket) { return over(new UnixSocketTransport(socket)); }

    /** Connects over a transport and shakes hands; the transport is closed if that fails. */
    public static ControlClient over(Transport transport) { return over(transport, true); }

    /** As {@link #over(Transport)}; with {@code closeOnFailure} false a failed handshake leaves the transport open (to retry on it). */
    public static ControlClient over(Transport transport, boolean closeOnFailure) {
        ControlClient c = new ControlClient(transport);
        try {
            c.handshake();
            return c;
        } catch (RuntimeException e) {
            if (closeOnFailure) c.close();
            else c.release();
            throw e;
        }
    }

    public Transport transport() { return transport; }

    /** The engine's side of the handshake. */
    public Protocol.Peer peer() { return peer; }

    private void handshake() {
        try {
            peer = Protocol.Peer.of(call("hello", Protocol.helloRequest()));
        } catch (UnknownTargetException e) {
            if (!String.valueOf(e.getMessage()).contains("unknown op")) throw e;
            peer = new Protocol.Peer(1, 1, "older than the handshake"); // a round-1 engine: protocol 1
        } catch (SpecException e) {
            throw new IllegalStateException(e);
        }
        Protocol.check(peer, "engine", transport.where());
    }

    /** One request, one reply; errors come back as the exceptions the engine threw. */
    public JsonNode call(String op, ObjectNode args) throws SpecException {
        ObjectNode req = args == null ? Wire.JSON.createObjectNode() : args.deepCopy();
        req.put("id", ids.incrementAndGet());
        req.put("op", op);
        for (Map.Entry<String, String> h : TraceParent.current().entrySet()) req.put(h.getKey(), h.getValue());
        String line;
        try {
            line = Wire.JSON.writeValueAsString(req);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode the request: " + e.getMessage());
        }
        Channel pooled = takeIdle();
        if (pooled != null) {
            String reply = exchange(pooled, line, RETRYABLE.contains(op));
            if (reply != null) return parse(reply);
        }
        return parse(exchange(transport.open(), line, false));
    }

    /**
     * Sends and reads the reply. A channel that answered goes back to the pool. When {@code retry}
     * and the (pooled) channel turns out dead, returns null so the caller asks again on a new one.
     */
    private String exchange(Channel ch, String line, boolean retry) {
        boolean ok = false;
        try {
            ch.send(line);
            String reply = ch.receive();
            if (reply == null) {
                if (retry) return null;
                throw new NoEngineException("the engine on " + where() + " closed the connection (did it stop?)");
            }
            ok = true;
            return reply;
        } catch (IOException e) {
            if (retry) return null;
            throw new NoEngineException("lost the engine on " + where() + ": " + e.getMessage());
        } finally {
            if (ok) giveBack(ch);
            else ch.close();
        }
    }

    private String where() {
        String f = transport.failure();
        return transport.where() + (f == null ? "" : " (" + f + ")");
    }

    /** Notices the engine attached to replies so far (e.g. "not recorded durably: the disk holding ... is full"); clears them. */
    public List<String> takeNotices() {
        synchronized (notices) {
            List<String> out = List.copyOf(notices);
            notices.clear();
            return out;
        }
    }

    private JsonNode parse(String line) throws SpecException {
        JsonNode reply;
        try {
            reply = Wire.JSON.readTree(line);
        } catch (IOException e) {
            throw new RemoteException(Wire.KIND_INTERNAL, "the engine sent something that is not the control protocol: "
                    + line.substring(0, Math.min(120, line.length())));
        }
        synchronized (notices) {
            for (JsonNode n : reply.path("notices")) notices.add(n.asText());
        }
        if (reply.path("ok").asBoolean(false)) return reply.get("result");
        throw failure(reply.path("error"));
    }

    private Channel takeIdle() {
        synchronized (idle) {
            return idle.pollFirst();
        }
    }

    private void giveBack(Channel ch) {
        synchronized (idle) {
            if (!closed && idle.size() < MAX_IDLE) {
                idle.addFirst(ch);
                return;
            }
        }
        ch.close();
    }

    static RuntimeException failureOf(JsonNode e) {
        String kind = e.path("kind").asText(Wire.KIND_INTERNAL);
        String msg = e.path("message").asText("unknown error");
        if (kind.equals(Wire.KIND_BAD_INPUT)) return new UnknownTargetException(msg);
        if (kind.equals(Wire.KIND_UNSUPPORTED)) return new UnsupportedOperationException(msg);
        return new RemoteException(kind, msg);
    }

    private static RuntimeException failure(JsonNode e) throws SpecException {
        if (e.path("kind").asText().equals(Wire.KIND_SPEC)) {
            List<SpecError> errors = new ArrayList<>();
            for (JsonNode x : e.path("errors")) errors.add(new SpecError(x.path("path").asText(), x.path("message").asText()));
            throw new SpecException(e.path("source").asText("spec"), errors);
        }
        throw failureOf(e);
    }

    /** Opens a stream (op "subscribe" or "follow"); each line after the acknowledgement goes to {@code sink}. */
    public Subscription stream(String op, ObjectNode args, Consumer<JsonNode> sink, Runnable onEnd) {
        Channel ch = transport.open();
        try {
            ObjectNode req = args == null ? Wire.JSON.createObjectNode() : args.deepCopy();
            req.put("id", 1);
            req.put("op", op);
            ch.send(Wire.JSON.writeValueAsString(req));
            String ack = ch.receive();
            if (ack == null) throw new NoEngineException("the engine on " + where() + " closed the stream");
            JsonNode a = Wire.JSON.readTree(ack);
            if (!a.path("ok").asBoolean(false)) throw failureOf(a.path("error"));
        } catch (IOException e) {
            ch.close();
            throw new NoEngineException("lost the engine on " + where() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            ch.close();
            throw e;
        }
        Threads.start("sabot-stream-" + op, () -> {
            try {
                String line;
                while ((line = ch.receive()) != null) {
                    try {
                        sink.accept(Wire.JSON.readTree(line));
                    } catch (IOException | RuntimeException bad) {
                        // one bad line or one failing listener call must not end the stream
                        System.getLogger("io.sabot.control").log(System.Logger.Level.WARNING, "skipped an event: " + bad.getMessage());
                    }
                }
            } catch (IOException ignored) {
                // closed by either side
            } finally {
                ch.close();
                if (onEnd != null) onEnd.run();
            }
        });
        return ch::close;
    }

    /** Closes the pooled channels but not the transport (a reconnect over the same ssh session). */
    public void release() {
        List<Channel> all;
        synchronized (idle) {
            closed = true;
            all = new ArrayList<>(idle);
            idle.clear();
        }
        for (Channel c : all) c.close();
    }

    /** Closes the channels and the transport (an ssh session ends; a local daemon runs on). */
    @Override
    public void close() {
        List<Channel> all;
        synchronized (idle) {
            closed = true;
            all = new ArrayList<>(idle);
            idle.clear();
        }
        for (Channel c : all) c.close();
        transport.close();
    }
}
