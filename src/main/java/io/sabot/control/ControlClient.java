package io.sabot.control;

import io.sabot.concurrent.Threads;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sabot.engine.Subscription;
import io.sabot.engine.UnknownTargetException;
import io.sabot.spec.SpecError;
import io.sabot.spec.SpecException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** A client of the control socket: request/reply on one connection, each stream on its own. */
public final class ControlClient implements AutoCloseable {
    private final Path socket;
    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;
    private final AtomicLong ids = new AtomicLong();
    private final List<String> notices = new ArrayList<>();

    private ControlClient(Path socket, SocketChannel channel) {
        this.socket = socket;
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
    }

    /** Connects, or throws {@link NoEngineException} naming the home when no engine listens. */
    public static ControlClient connect(Path socket) {
        return new ControlClient(socket, open(socket));
    }

    private static SocketChannel open(Path socket) { return Dial.open(socket); }

    /** One request, one reply; errors come back as the exceptions the engine threw. */
    public synchronized JsonNode call(String op, ObjectNode args) throws SpecException {
        ObjectNode req = args == null ? Wire.JSON.createObjectNode() : args.deepCopy();
        long id = ids.incrementAndGet();
        req.put("id", id);
        req.put("op", op);
        try {
            out.write((Wire.JSON.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line = in.readLine();
            if (line == null) throw new NoEngineException("the engine closed the connection (did it stop?)");
            JsonNode reply = Wire.JSON.readTree(line);
            for (JsonNode n : reply.path("notices")) notices.add(n.asText());
            if (reply.path("ok").asBoolean(false)) return reply.get("result");
            throw failure(reply.path("error"));
        } catch (IOException e) {
            throw new NoEngineException("lost the engine on " + socket + ": " + e.getMessage());
        }
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

    /** Notices the engine attached to replies since the last call (e.g. "not recorded durably: ..."), oldest first; clears them. */
    public synchronized List<String> takeNotices() {
        List<String> out = List.copyOf(notices);
        notices.clear();
        return out;
    }

    /** Opens a stream (op "subscribe" or "follow"); each line after the acknowledgement goes to {@code sink}. */
    public Subscription stream(String op, ObjectNode args, Consumer<JsonNode> sink, Runnable onEnd) {
        SocketChannel ch = open(socket);
        try {
            ObjectNode req = args == null ? Wire.JSON.createObjectNode() : args.deepCopy();
            req.put("id", 1);
            req.put("op", op);
            OutputStream o = Channels.newOutputStream(ch);
            o.write((Wire.JSON.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8));
            o.flush();
            BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            String ack = r.readLine();
            if (ack == null) throw new NoEngineException("the engine closed the stream");
            JsonNode a = Wire.JSON.readTree(ack);
            if (!a.path("ok").asBoolean(false)) {
                ch.close();
                throw failureOf(a.path("error"));
            }
            Threads.start("sabot-stream-" + op, () -> {
                try {
                    String line;
                    while ((line = r.readLine()) != null) {
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
                    if (onEnd != null) onEnd.run();
                }
            });
            return () -> {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            };
        } catch (IOException e) {
            throw new NoEngineException("lost the engine on " + socket + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
