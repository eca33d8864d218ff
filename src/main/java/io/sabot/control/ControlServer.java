package io.sabot.control;

import io.sabot.concurrent.Threads;
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
import java.nio.ByteBuffer;
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
    private static final System.Logger LOG = System.getLogger("io.sabot.control");
    public static final int MAX_CLIENTS = 256;
    /** Events queued for one subscriber before it is judged too slow and dropped. */
    static final int STREAM_QUEUE = 20_000;

    private final Engine engine;
    private final Path socket;
    private final ServerSocketChannel server;
    /** Connected clients and what they are doing (for choosing whom to drop when full). */
    private final java.util.Map<SocketChannel, Client> clients = new ConcurrentHashMap<>();
    private final Thread acceptor;
    private final String owner = System.getProperty("user.name");
    private volatile boolean closed;

    /** A client idle this long may be dropped to make room when {@link #MAX_CLIENTS} are connected. */
    static final long IDLE_EVICT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final class Client {
        volatile long lastActiveNanos = System.nanoTime();
        volatile boolean streaming;
    }

    /** A request line longer than {@link Wire#MAX_LINE}. */
    private static final class LineTooLongException extends IOException {
        private static final long serialVersionUID = 1L;

        LineTooLongException() { super("request line over " + Wire.MAX_LINE + " bytes"); }
    }

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
                pauseAfterAcceptError(); // e.g. out of file descriptors: retry without spinning a core
                continue;
            }
            if (!sameUser(c)) {
                closeQuietly(c);
                continue;
            }
            if (clients.size() >= MAX_CLIENTS && !evictIdleClient()) {
                try (OutputStream out = Channels.newOutputStream(c)) {
                    out.write(("{\"ok\":false,\"error\":{\"kind\":\"internal\",\"message\":\"too many clients\"}}\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // it goes away either way
                }
                closeQuietly(c);
                continue;
            }
            Client client = new Client();
            clients.put(c, client);
            Thread t = new Thread(null, () -> serve(c, client), "sabot-control-client", 512 * 1024);
            t.setDaemon(true);
            t.start();
        }
    }

    private static void pauseAfterAcceptError() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * When every slot is taken, drops the request/reply client that has been silent longest (at
     * least {@link #IDLE_EVICT_NANOS}), so leaked or stalled connections cannot lock the CLI out.
     * Streams (subscribers, log followers) are kept. False if no client qualifies.
     */
    private boolean evictIdleClient() {
        long now = System.nanoTime();
        SocketChannel oldest = null;
        long oldestAt = Long.MAX_VALUE;
        for (java.util.Map.Entry<SocketChannel, Client> e : clients.entrySet()) {
            Client cl = e.getValue();
            if (cl.streaming || now - cl.lastActiveNanos < IDLE_EVICT_NANOS) continue;
            if (cl.lastActiveNanos < oldestAt) {
                oldestAt = cl.lastActiveNanos;
                oldest = e.getKey();
            }
        }
        if (oldest == null) return false;
        clients.remove(oldest);
        closeQuietly(oldest); // its thread, blocked reading, ends
        return true;
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

    private void serve(SocketChannel c, Client client) {
        // buffered: a line is read byte by byte, and unbuffered that was a system call per byte (a 16 MB line took 13 s)
        try (InputStream in = new java.io.BufferedInputStream(Channels.newInputStream(c), 64 * 1024); OutputStream out = Channels.newOutputStream(c)) {
            while (!closed) {
                String line;
                try {
                    line = readLine(in, client);
                } catch (LineTooLongException e) {
                    write(out, error(null, Wire.KIND_BAD_INPUT, e.getMessage() + "; connection closed"));
                    return;
                }
                if (line == null) return;
                client.lastActiveNanos = System.nanoTime();
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
                    client.streaming = true;
                    stream(c, out, id, null, skipped(req));
                    return;
                }
                if (op.equals("follow")) {
                    if (!req.path("instance").isTextual()) {
                        write(out, error(id, Wire.KIND_BAD_INPUT, "follow needs \"instance\""));
                        continue;
                    }
                    client.streaming = true;
                    stream(c, out, id, req.get("instance").asText(), Set.of());
                    return;
                }
                write(out, handle(id, op, req));
                client.lastActiveNanos = System.nanoTime();
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            clients.remove(c);
            closeQuietly(c);
        }
    }

    /** Reads one line of at most MAX_LINE bytes; null at EOF; a longer line is an error. */
    private static String readLine(InputStream in, Client client) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') return buf.toString(StandardCharsets.UTF_8);
            if (buf.size() >= Wire.MAX_LINE) throw new LineTooLongException();
            if ((buf.size() & 0xFFF) == 0) client.lastActiveNanos = System.nanoTime();
            buf.write(b);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
    }

    private static void write(OutputStream out, ObjectNode reply) throws IOException {
        out.write((Wire.JSON.writeValueAsString(reply) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Operations whose effect must survive a restart: while the store fails, their replies carry its notice. */
    static final Set<String> DURABLE_OPS = Set.of("deploy", "remove", "start", "stop", "restart", "rebalance");

    private ObjectNode handle(JsonNode id, String op, JsonNode req) {
        // a caller's trace context (W3C traceparent) becomes the parent of the operation's root span
        io.opentelemetry.context.Context caller = TraceParent.extract(req.path("traceparent").asText(null), req.path("tracestate").asText(null));
        try (io.opentelemetry.context.Scope scope = caller.makeCurrent()) {
            Object result = dispatch(op, req);
            ObjectNode r = Wire.JSON.createObjectNode();
            r.set("id", id);
            r.put("ok", true);
            r.set("result", Wire.JSON.valueToTree(result));
            if (DURABLE_OPS.contains(op)) addStoreNotice(r);
            return r;
        } catch (SpecException e) {
            ObjectNode r = error(id, Wire.KIND_SPEC, e.getMessage());
            ((ObjectNode) r.get("error")).set("errors", Wire.JSON.valueToTree(e.errors()));
            ((ObjectNode) r.get("error")).put("source", e.source());
            return r;
        } catch (IllegalArgumentException e) {
            return error(id, Wire.KIND_BAD_INPUT, io.sabot.errors.UserMessages.describe(e));
        } catch (UnsupportedOperationException e) {
            return error(id, Wire.KIND_UNSUPPORTED, io.sabot.errors.UserMessages.describe(e));
        } catch (RuntimeException e) {
            // in words for the client; a bug's stack trace goes to the engine's log
            if (io.sabot.errors.UserMessages.isBug(e)) {
                LOG.log(System.Logger.Level.ERROR, "internal error while handling \"" + op + "\"", e);
            }
            return error(id, Wire.KIND_INTERNAL, io.sabot.errors.UserMessages.describe(e));
        }
    }

    /** While the store cannot record durably, a reply to an operation that needed it says so ({@code "notices"}). */
    private void addStoreNotice(ObjectNode reply) {
        try {
            io.sabot.engine.StoreHealth h = engine.info().store();
            if (h != null && h.replyNotice() != null) reply.putArray("notices").add(h.replyNotice());
        } catch (RuntimeException ignored) {
            // the reply itself is what matters
        }
    }

    /** Extra operations wired in by the host (e.g. {@code store-check}); each gets the request and returns a JSON-able result. */
    private final java.util.Map<String, java.util.function.Function<JsonNode, Object>> extraOps = new ConcurrentHashMap<>();

    /** Adds an operation this server answers, beside the engine's own. */
    public void addOp(String op, java.util.function.Function<JsonNode, Object> handler) { extraOps.put(op, handler); }

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
            case "spec": return q.path("reveal").asBoolean(false) ? engine.spec() : maskSecrets(engine.spec());
            case "deploy": {
                JsonNode spec = q.get("spec");
                if (spec == null || !spec.isObject()) throw new IllegalArgumentException("deploy needs \"spec\", an object");
                // the same validation as a spec file: a client other than the CLI must not get an
                // unchecked spec in (names become file paths, numbers become timeouts and counts)
                FleetSpec f = io.sabot.spec.SpecParser.fromTree(spec, "deploy", null);
                return engine.deploy(keepMaskedSecrets(f, engine.spec()));
            }
            case "remove": return engine.remove(names(q));
            case "start": return engine.start(targets(q), concurrency(q), timeout(q));
            case "stop": return engine.stop(targets(q), q.path("force").asBoolean(false), timeout(q));
            case "restart": return engine.restart(targets(q), q.path("rolling").asBoolean(false), timeout(q));
            case "status": return q.path("rows").asBoolean(false) ? StatusRows.of(engine.status(selection(q))) : engine.status(selection(q));
            case "history": return engine.history(text(q, "instance"));
            case "logs": return engine.logs(text(q, "instance"), q.path("lines").asInt(100));
            case "partitions": return engine.partitions(q.hasNonNull("topic") ? q.get("topic").asText() : null);
            case "rebalance": return engine.rebalance(q.hasNonNull("topic") ? q.get("topic").asText() : null,
                    q.hasNonNull("strategy") ? q.get("strategy").asText() : null, q.path("reason").asText("operator"));
            case "traces": {
                int limit = intIn(q, "limit", 20, 1, 10_000);
                if (!q.hasNonNull("agent") && !q.hasNonNull("operation") && !q.hasNonNull("status") && !q.hasNonNull("minMs") && !q.hasNonNull("maxMs")) {
                    return engine.traces(limit);
                }
                return engine.traces(new io.sabot.telemetry.TraceQuery(optText(q, "agent"), optText(q, "operation"), optText(q, "status"),
                        q.hasNonNull("minMs") ? (long) intIn(q, "minMs", 0, 0, Integer.MAX_VALUE) : null,
                        q.hasNonNull("maxMs") ? (long) intIn(q, "maxMs", 0, 0, Integer.MAX_VALUE) : null, limit));
            }
            case "metrics": return engine.metricsHistory(text(q, "instance"), q.path("from").asLong(0), q.path("to").asLong(Long.MAX_VALUE));
            case "groups": return engine.groups();
            case "state": return engine.stateStores(q.hasNonNull("agent") ? text(q, "agent") : null);
            case "state-reset": return engine.resetState(text(q, "agent"), q.hasNonNull("store") ? text(q, "store") : null);
            case "alerts": return engine.alerts(intIn(q, "limit", 50, 1, 10_000));
            case "alert-test": return engine.testAlert(text(q, "name"));
            case "why": return engine.why(selection(q));
            case "usage": return engine.usageHistory(text(q, "subject"), q.path("range").asText("1h"));
            case "metrics-text": return engine.metricsText();
            case "ping": return "pong";
            case "hello": return Protocol.helloReply();
            default:
                java.util.function.Function<JsonNode, Object> extra = extraOps.get(op);
                if (extra != null) return extra.apply(q);
                throw new IllegalArgumentException("unknown op \"" + op + "\"");
        }
    }

    private static String optText(JsonNode q, String f) {
        if (!q.hasNonNull(f)) return null;
        if (!q.get(f).isTextual() || q.get(f).asText().length() > 200) throw new IllegalArgumentException("\"" + f + "\" must be a string of at most 200 characters");
        return q.get(f).asText();
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

    /**
     * Targets of a lifecycle operation: {@code "all": true} or a non-empty {@code "names"} list of
     * strings. A request with neither (or a malformed list) is refused; it must not mean "every agent".
     */
    private static Selection targets(JsonNode q) {
        JsonNode n = q.get("names");
        boolean all = q.path("all").asBoolean(false);
        boolean hasNames = n != null && !n.isNull() && !(n.isArray() && n.isEmpty());
        if (hasNames && (!n.isArray() || !allText(n))) throw new IllegalArgumentException("\"names\" must be a list of agent or instance names");
        if (all && hasNames) throw new IllegalArgumentException("give \"names\" or \"all\", not both");
        if (!all && !hasNames) throw new IllegalArgumentException("give \"names\" (agents or instances) or \"all\": true");
        return selection(q);
    }

    private static boolean allText(JsonNode n) {
        for (JsonNode x : n) if (!x.isTextual()) return false;
        return true;
    }

    private static Integer concurrency(JsonNode q) {
        if (!q.hasNonNull("concurrency")) return null;
        JsonNode c = q.get("concurrency");
        if (!c.isIntegralNumber() || !c.canConvertToInt()) throw new IllegalArgumentException("\"concurrency\" must be a whole number, was " + c);
        return c.asInt();
    }

    /** Timeouts from 1 ms to a day; anything else (0, negative, huge, not a number) is bad input. */
    private static Long timeout(JsonNode q) {
        if (!q.hasNonNull("timeoutMs")) return null;
        JsonNode t = q.get("timeoutMs");
        if (!t.isIntegralNumber() || !t.canConvertToLong() || t.asLong() < 1 || t.asLong() > 86_400_000L) {
            throw new IllegalArgumentException("\"timeoutMs\" must be a whole number of milliseconds from 1 to 86400000, was " + t);
        }
        return t.asLong();
    }

    private static int intIn(JsonNode q, String f, int dflt, int min, int max) {
        if (!q.hasNonNull(f)) return dflt;
        JsonNode v = q.get(f);
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw new IllegalArgumentException("\"" + f + "\" must be a whole number from " + min + " to " + max + ", was " + v);
        }
        return v.asInt();
    }

    /**
     * Turns the connection into a stream of events (or of one instance's log lines). A bounded
     * queue sits between the engine and the client, so a client that never reads costs a fixed
     * amount of memory and is dropped; the engine never waits for it.
     */
    /** A subscribe's {@code "skip": ["offset", ...]}: event types the client does not want (none when absent). */
    static Set<String> skipped(JsonNode req) {
        JsonNode s = req.path("skip");
        if (!s.isArray() || s.isEmpty()) return Set.of();
        Set<String> out = new java.util.HashSet<>();
        for (JsonNode t : s) if (t.isTextual()) out.add(t.asText());
        return out;
    }

    private void stream(SocketChannel c, OutputStream out, JsonNode id, String instance, Set<String> skip) throws IOException {
        BlockingQueue<String> q = new ArrayBlockingQueue<>(STREAM_QUEUE);
        final java.util.concurrent.atomic.AtomicBoolean overflow = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.atomic.AtomicLong skipped = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong progress = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        Subscription sub;
        try {
            if (instance == null) {
                // skipped types are never turned into JSON: the console skips offsets, 160 a second with the demo fleet
                Subscription events = engine.subscribe(e -> {
                    if (skip.isEmpty() || !skip.contains(e.type())) offer(c, q, overflow, eventLine(e));
                });
                Subscription watch = engine.watchFigures(); // a viewer: live figures at full rate while it streams
                sub = () -> {
                    watch.close();
                    events.close();
                };
            } else {
                sub = engine.followLogs(instance, line -> {
                    ObjectNode n = Wire.JSON.createObjectNode();
                    n.put("line", line);
                    offerLine(c, q, overflow, skipped, progress, n.toString());
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
            // a separate reader notices the client hanging up even while nothing is sent. It reads the
            // channel itself: a Channels stream holds the channel's blocking lock while it waits in
            // read, and the writer below (through a Channels stream too) could then never write.
            Threads.start("sabot-control-watch", () -> {
                try {
                    ByteBuffer sink = ByteBuffer.allocate(256);
                    while (c.read(sink) >= 0) sink.clear(); // clients send nothing more
                } catch (IOException ignored) {
                    // gone
                }
                overflow.set(true);
            });
            StringBuilder batch = new StringBuilder();
            while (!closed && !overflow.get()) {
                String first = q.poll(200, TimeUnit.MILLISECONDS);
                progress.set(System.nanoTime()); // this client keeps up (a write below that blocks stops the clock)
                if (first == null) continue;
                batch.setLength(0);
                batch.append(first).append('\n');
                String more;
                while (batch.length() < 256 * 1024 && (more = q.poll()) != null) batch.append(more).append('\n');
                ByteBuffer bytes = ByteBuffer.wrap(batch.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) c.write(bytes); // the channel's own write lock, independent of the watcher's read
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sub.close();
        }
    }

    /**
     * Queues a line for a streaming client. A full queue means the client does not read: it is
     * dropped, and its connection closed here, because the thread sending to it may be blocked in
     * a write that only a close ends.
     */
    private static void offer(SocketChannel c, BlockingQueue<String> q, java.util.concurrent.atomic.AtomicBoolean overflow, String line) {
        if (line == null || overflow.get() || q.offer(line)) return;
        if (overflow.compareAndSet(false, true)) closeQuietly(c);
    }

    /** How long a log follower's queue may stay full while nothing reaches the client before it is dropped. */
    static final long FOLLOW_STALL_NANOS = 10_000_000_000L;

    /**
     * Queues a log line for a follower. A follower that reads, only slower than the agent writes
     * (a terminal under a flood), stays connected: lines that do not fit are counted and a
     * {@code [sabot] skipped N lines} line takes their place once there is room. One whose queue
     * stays full while nothing is written to it for {@link #FOLLOW_STALL_NANOS} does not read: it
     * is dropped as {@link #offer} drops an event subscriber.
     */
    private static void offerLine(SocketChannel c, BlockingQueue<String> q, java.util.concurrent.atomic.AtomicBoolean overflow,
                                  java.util.concurrent.atomic.AtomicLong skipped, java.util.concurrent.atomic.AtomicLong progress, String line) {
        if (overflow.get()) return;
        long s = skipped.get();
        if (s > 0 && q.remainingCapacity() > 1) {
            ObjectNode n = Wire.JSON.createObjectNode();
            n.put("line", "[sabot] skipped " + s + " lines: this follower read slower than the agent wrote (the log file has them)");
            if (q.offer(n.toString())) skipped.addAndGet(-s);
        }
        if (q.offer(line)) return;
        skipped.incrementAndGet();
        if (System.nanoTime() - progress.get() > FOLLOW_STALL_NANOS && overflow.compareAndSet(false, true)) closeQuietly(c);
    }

    private static String eventLine(EngineEvent e) {
        try {
            if (e instanceof EngineEvent.SpecEvent s) e = new EngineEvent.SpecEvent(maskSecrets(s.spec()));
            return "{\"event\":" + Wire.eventJson(e) + "}";
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException ex) {
            return null;
        }
    }

    /** The spec with secret-looking env values ({@link io.sabot.telemetry.Secrets}) masked: what remote clients see. */
    static FleetSpec maskSecrets(FleetSpec f) {
        List<io.sabot.spec.AgentSpec> agents = new ArrayList<>();
        for (io.sabot.spec.AgentSpec a : f.agents()) agents.add(withEnv(a, io.sabot.telemetry.Secrets.mask(a.env())));
        return new FleetSpec(agents, f.topics(), f.groups(), f.alerts().stream().map(io.sabot.spec.AlertSpec::masked).toList(), f.withMaskedClusters().clusters(), f.consumerGroups());
    }

    /**
     * A client that shows the masked spec and sends it back (an edit form) must not replace a
     * secret with the mask: a secret env value equal to the mask keeps the value deployed now.
     */
    static FleetSpec keepMaskedSecrets(FleetSpec incoming, FleetSpec current) {
        java.util.Map<String, io.sabot.spec.AgentSpec> now = new java.util.HashMap<>();
        for (io.sabot.spec.AgentSpec a : current.agents()) now.put(a.name(), a);
        List<io.sabot.spec.AgentSpec> agents = new ArrayList<>();
        for (io.sabot.spec.AgentSpec a : incoming.agents()) {
            io.sabot.spec.AgentSpec old = now.get(a.name());
            java.util.Map<String, String> env = new java.util.LinkedHashMap<>(a.env());
            boolean changed = false;
            for (java.util.Map.Entry<String, String> e : env.entrySet()) {
                if (old != null && io.sabot.telemetry.Secrets.MASK.equals(e.getValue()) && io.sabot.telemetry.Secrets.isSecretName(e.getKey())
                        && old.env().containsKey(e.getKey())) {
                    e.setValue(old.env().get(e.getKey()));
                    changed = true;
                }
            }
            agents.add(changed ? withEnv(a, env) : a);
        }
        java.util.Map<String, io.sabot.spec.AlertSpec> alertsNow = new java.util.HashMap<>();
        for (io.sabot.spec.AlertSpec a : current.alerts()) alertsNow.put(a.name(), a);
        // secret cluster properties equal to the mask keep the value deployed now, as env values do
        java.util.Map<String, io.sabot.spec.ClusterSpec> clustersNow = new java.util.HashMap<>();
        for (io.sabot.spec.ClusterSpec c : current.clusters()) clustersNow.put(c.name(), c);
        List<io.sabot.spec.ClusterSpec> clusters = new ArrayList<>();
        for (io.sabot.spec.ClusterSpec c : incoming.clusters()) clusters.add(c.unmasked(clustersNow.get(c.name())));
        return new FleetSpec(agents, incoming.topics(), incoming.groups(),
                incoming.alerts().stream().map(a -> a.keepMaskedFrom(alertsNow.get(a.name()))).toList(), clusters, incoming.consumerGroups());
    }

    private static io.sabot.spec.AgentSpec withEnv(io.sabot.spec.AgentSpec a, java.util.Map<String, String> env) {
        return a.withEnv(env);
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
        for (SocketChannel c : clients.keySet()) closeQuietly(c);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // a stale file is handled by the next engine
        }
    }
}
