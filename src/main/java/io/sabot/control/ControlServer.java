package io.sabot.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sabot.engine.Engine;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.Selection;
import io.sabot.engine.Subscription;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.SpecError;
import io.sabot.spec.SpecException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The engine's control socket: a Unix domain socket, owner-only, JSON lines, a thread per client.
 * No TCP. The socket is bound inside a private (0700) folder, set to 0600, and only then moved to
 * {@code control.sock}, so no other user can ever connect, not even in the instant after bind.
 */
public final class ControlServer implements AutoCloseable {
    public static final int MAX_CLIENTS = 256;
    /** Events queued for one subscriber before it is judged too slow and dropped. */
    static final int STREAM_QUEUE = 20_000;

    private final Engine engine;
    private final Path socket;
    private final ServerSocketChannel server;
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final String owner = System.getProperty("user.name");
    private volatile boolean closed;

    private ControlServer(Engine engine, Path socket, ServerSocketChannel server) {
        this.engine = engine;
        this.socket = socket;
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "sabot-control-accept");
        acceptor.setDaemon(true);
    }

    /** Binds {@code socket} (replacing a stale file: the caller holds the home lock) and starts serving. */
    public static ControlServer start(Engine engine, Path socket) throws IOException {
        Path home = socket.getParent();
        Path tmpDir = Files.createTempDirectory(home, ".sock-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tmp = tmpDir.resolve("s");
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(tmp));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, socket, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot open control socket " + socket + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(tmpDir);
        }
        ControlServer s = new ControlServer(engine, socket, ch);
        s.acceptor.start();
        return s;
    }

    public Path socket() { return socket; }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (closed) return;
                continue;
            }
            if (!sameUser(c)) {
                closeQuietly(c);
                continue;
            }
            if (clients.size() >= MAX_CLIENTS) {
                try (OutputStream out = Channels.newOutputStream(c)) {
                    out.write(("{\"ok\":false,\"error\":{\"kind\":\"internal\",\"message\":\"too many clients\"}}\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // it goes away either way
                }
                closeQuietly(c);
                continue;
            }
            clients.add(c);
            Thread t = new Thread(null, () -> serve(c), "sabot-control-client", 512 * 1024);
            t.setDaemon(true);
            t.start();
        }
    }

    /** The file mode already keeps others out; the peer's credentials are checked as well. */
    private boolean sameUser(SocketChannel c) {
        try {
            jdk.net.UnixDomainPrincipal p = c.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED);
            return p == null || p.user().getName().equals(owner);
        } catch (IOException | UnsupportedOperationException e) {
            return true;
        }
    }

    private void serve(SocketChannel c) {
        try (InputStream in = Channels.newInputStream(c); OutputStream out = Channels.newOutputStream(c)) {
            while (!closed) {
                String line = readLine(in);
                if (line == null) return;
                if (line.isBlank()) continue;
                JsonNode req;
                try {
                    req = Wire.JSON.readTree(line);
                    if (req == null || !req.isObject()) throw new IOException("a request is a JSON object");
                } catch (IOException e) {
                    write(out, error(null, Wire.KIND_BAD_INPUT, "invalid request (not a JSON object): " + e.getMessage().split("\n")[0]));
                    return;
                }
                JsonNode id = req.get("id");
                String op = req.path("op").asText("");
                if (op.equals("subscribe")) {
                    stream(c, out, id, null);
                    return;
                }
                if (op.equals("follow")) {
                    if (!req.path("instance").isTextual()) {
                        write(out, error(id, Wire.KIND_BAD_INPUT, "follow needs \"instance\""));
                        continue;
                    }
                    stream(c, out, id, req.get("instance").asText());
                    return;
                }
                write(out, handle(id, op, req));
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            clients.remove(c);
            closeQuietly(c);
        }
    }

    /** Reads one line of at most MAX_LINE bytes; null at EOF; a longer line is an error. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') return buf.toString(StandardCharsets.UTF_8);
            if (buf.size() >= Wire.MAX_LINE) throw new IOException("request line over " + Wire.MAX_LINE + " bytes");
            buf.write(b);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
    }

    private static void write(OutputStream out, ObjectNode reply) throws IOException {
        out.write((Wire.JSON.writeValueAsString(reply) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private ObjectNode handle(JsonNode id, String op, JsonNode req) {
        try {
            Object result = dispatch(op, req);
            ObjectNode r = Wire.JSON.createObjectNode();
            r.set("id", id);
            r.put("ok", true);
            r.set("result", Wire.JSON.valueToTree(result));
            return r;
        } catch (SpecException e) {
            ObjectNode r = error(id, Wire.KIND_SPEC, e.getMessage());
            ((ObjectNode) r.get("error")).set("errors", Wire.JSON.valueToTree(e.errors()));
            ((ObjectNode) r.get("error")).put("source", e.source());
            return r;
        } catch (IllegalArgumentException e) {
            return error(id, Wire.KIND_BAD_INPUT, e.getMessage());
        } catch (UnsupportedOperationException e) {
            return error(id, Wire.KIND_UNSUPPORTED, e.getMessage());
        } catch (RuntimeException e) {
            return error(id, Wire.KIND_INTERNAL, e.toString());
        }
    }

    private static ObjectNode error(JsonNode id, String kind, String message) {
        ObjectNode r = Wire.JSON.createObjectNode();
        r.set("id", id);
        r.put("ok", false);
        ObjectNode e = r.putObject("error");
        e.put("kind", kind);
        e.put("message", message);
        return r;
    }

    private Object dispatch(String op, JsonNode q) throws SpecException {
        switch (op) {
            case "info": return engine.info();
            case "spec": return engine.spec();
            case "deploy": {
                JsonNode spec = q.get("spec");
                if (spec == null || !spec.isObject()) throw new IllegalArgumentException("deploy needs \"spec\", an object");
                FleetSpec f;
                try {
                    f = Wire.JSON.treeToValue(spec, FleetSpec.class);
                } catch (IOException e) {
                    throw new IllegalArgumentException("deploy: spec does not match the spec format: " + e.getMessage().split("\n")[0]);
                }
                return engine.deploy(f);
            }
            case "remove": return engine.remove(names(q));
            case "start": return engine.start(selection(q), q.hasNonNull("concurrency") ? q.get("concurrency").asInt() : null, timeout(q));
            case "stop": return engine.stop(selection(q), q.path("force").asBoolean(false), timeout(q));
            case "restart": return engine.restart(selection(q), q.path("rolling").asBoolean(false), timeout(q));
            case "status": return engine.status(selection(q));
            case "history": return engine.history(text(q, "instance"));
            case "logs": return engine.logs(text(q, "instance"), q.path("lines").asInt(100));
            case "partitions": return engine.partitions(q.hasNonNull("topic") ? q.get("topic").asText() : null);
            case "rebalance": return engine.rebalance(q.hasNonNull("topic") ? q.get("topic").asText() : null,
                    q.hasNonNull("strategy") ? q.get("strategy").asText() : null, q.path("reason").asText("operator"));
            case "traces": return engine.traces(q.path("limit").asInt(20));
            case "metrics": return engine.metricsHistory(text(q, "instance"), q.path("from").asLong(0), q.path("to").asLong(Long.MAX_VALUE));
            case "ping": return "pong";
            default: throw new IllegalArgumentException("unknown op \"" + op + "\"");
        }
    }

    private static String text(JsonNode q, String f) {
        if (!q.path(f).isTextual()) throw new IllegalArgumentException("\"" + f + "\" is required (a string)");
        return q.get(f).asText();
    }

    private static List<String> names(JsonNode q) {
        List<String> out = new ArrayList<>();
        JsonNode n = q.get("names");
        if (n != null && n.isArray()) n.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static Selection selection(JsonNode q) {
        return new Selection(names(q), q.path("all").asBoolean(false));
    }

    private static Long timeout(JsonNode q) {
        return q.hasNonNull("timeoutMs") ? q.get("timeoutMs").asLong() : null;
    }

    /**
     * Turns the connection into a stream of events (or of one instance's log lines). A bounded
     * queue sits between the engine and the client, so a client that never reads costs a fixed
     * amount of memory and is dropped; the engine never waits for it.
     */
    private void stream(SocketChannel c, OutputStream out, JsonNode id, String instance) throws IOException {
        BlockingQueue<String> q = new ArrayBlockingQueue<>(STREAM_QUEUE);
        final boolean[] overflow = {false};
        Subscription sub;
        try {
            if (instance == null) {
                sub = engine.subscribe(e -> offer(q, overflow, eventLine(e)));
            } else {
                sub = engine.followLogs(instance, line -> {
                    ObjectNode n = Wire.JSON.createObjectNode();
                    n.put("line", line);
                    offer(q, overflow, n.toString());
                });
            }
        } catch (RuntimeException e) {
            write(out, error(id, Wire.KIND_BAD_INPUT, e.getMessage()));
            return;
        }
        try {
            ObjectNode ok = Wire.JSON.createObjectNode();
            ok.set("id", id);
            ok.put("ok", true);
            write(out, ok);
            // a separate reader notices the client hanging up even while nothing is sent
            // (reading the channel itself: a Channels.newInputStream reader would hold the
            // channel's blocking lock while it waits, and starve the writer below)
            Thread watcher = new Thread(() -> {
                java.nio.ByteBuffer sink = java.nio.ByteBuffer.allocate(256);
                try {
                    while (c.read(sink) >= 0) sink.clear(); // clients send nothing more
                } catch (IOException ignored) {
                    // gone
                }
                overflow[0] = true;
            }, "sabot-control-watch");
            watcher.setDaemon(true);
            watcher.start();
            StringBuilder batch = new StringBuilder();
            while (!closed && !overflow[0]) {
                String first = q.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.setLength(0);
                batch.append(first).append('\n');
                String more;
                while (batch.length() < 256 * 1024 && (more = q.poll()) != null) batch.append(more).append('\n');
                out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sub.close();
        }
    }

    private static void offer(BlockingQueue<String> q, boolean[] overflow, String line) {
        // a subscriber too slow for STREAM_QUEUE pending lines is dropped, never waited for
        if (line != null && !q.offer(line)) overflow[0] = true;
    }

    private static String eventLine(EngineEvent e) {
        try {
            ObjectNode n = Wire.JSON.createObjectNode();
            n.set("event", Wire.JSON.valueToTree(e));
            return n.toString();
        } catch (IllegalArgumentException ex) {
            return null;
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (SocketChannel c : clients) closeQuietly(c);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // a stale file is handled by the next engine
        }
    }
}
