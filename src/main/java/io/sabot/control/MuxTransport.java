package io.sabot.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The control protocol through a child process's stdio: {@code ssh ... sabot bridge}. One process
 * (one ssh session) carries every channel ({@link Mux}); opening a channel is one line and one
 * answer, not a new session. The process's stderr is kept (its last 16 KiB) so that when it fails
 * the {@link Explainer} can turn it into one clear line.
 *
 * <p>Guarantees, held by {@code BridgeTest} and {@code SshRemoteTest}: nothing is sent before the
 * bridge's banner passed the {@link Protocol} check; a process that ends or never answers becomes a
 * {@link NoEngineException} with the explainer's message; when it dies later, every open channel
 * ends (receive returns null) and {@link #failure()} says why; one channel whose reader falls
 * {@link #INBOX} lines behind is closed alone, never blocking the others.
 */
public final class MuxTransport implements Transport {
    /** Lines queued for one channel before it is judged stuck and closed. */
    static final int INBOX = 100_000;
    private static final String END = new String("end");

    /** Turns how the process ended into one line for people. */
    @FunctionalInterface
    public interface Explainer {
        /**
         * @param connected whether the banner had come (the session was up and then ended)
         * @param exitCode the process's exit code, or null when it still runs (no banner in time)
         * @param stderr   the tail of what it wrote on stderr
         * @param stdout   lines it printed on stdout instead of the banner
         */
        String explain(boolean connected, Integer exitCode, String stderr, List<String> stdout);
    }

    private final Process process;
    private final String where;
    private final Explainer explainer;
    private final OutputStream stdin;
    private final StringBuilder stderr = new StringBuilder(); // guarded by itself
    private final Map<Long, MuxChannel> channels = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile String failure;
    private volatile Thread stderrThread;
    private volatile boolean closed;
    private Protocol.Peer peer;

    private MuxTransport(Process process, String where, Explainer explainer) {
        this.process = process;
        this.where = where;
        this.explainer = explainer;
        this.stdin = process.getOutputStream();
    }

    /**
     * Starts {@code argv}, waits for the bridge's banner (at most {@code bannerTimeout}) and checks
     * the protocol. Throws {@link NoEngineException} with the explainer's line when that fails.
     */
    public static MuxTransport start(List<String> argv, Map<String, String> env, String where, Explainer explainer, Duration bannerTimeout) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (env != null) pb.environment().putAll(env);
        Process p = env == null ? EarlyProcess.take(argv) : null; // started early for this very command line (the CLI)
        try {
            if (p == null) p = pb.start();
        } catch (IOException e) {
            throw new NoEngineException("cannot reach " + where + ": cannot run " + argv.get(0) + " (" + e.getMessage() + ")");
        }
        MuxTransport t = new MuxTransport(p, where, explainer);
        try {
            t.begin(bannerTimeout);
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    private void begin(Duration bannerTimeout) {
        Thread err = new Thread(this::drainStderr, "sabot-mux-stderr");
        err.setDaemon(true);
        err.start();
        stderrThread = err;
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 64 * 1024);
        List<String> junk = new ArrayList<>();
        CompletableFuture<JsonNode> banner = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (!banner.isDone()) {
                        JsonNode b = bannerOf(line);
                        if (b != null) {
                            banner.complete(b);
                            continue;
                        }
                        synchronized (junk) {
                            if (junk.size() < 20) junk.add(line.length() > 200 ? line.substring(0, 200) + "\u2026" : line);
                        }
                        continue;
                    }
                    dispatch(line);
                }
            } catch (IOException ignored) {
                // the process went away
            }
            banner.complete(null);
            died();
        }, "sabot-mux-read");
        reader.setDaemon(true);
        reader.start();
        JsonNode b;
        try {
            b = banner.get(bannerTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            List<String> j;
            synchronized (junk) { j = new ArrayList<>(junk); }
            throw new NoEngineException(explainer.explain(false, null, stderrTail(), j));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NoEngineException("interrupted while connecting to " + where);
        } catch (ExecutionException e) {
            throw new NoEngineException("cannot reach " + where + ": " + e.getCause());
        }
        if (b == null) {
            List<String> j;
            synchronized (junk) { j = new ArrayList<>(junk); }
            throw new NoEngineException(explainer.explain(false, exitCode(), stderrTail(), j));
        }
        peer = Protocol.Peer.of(b);
        Protocol.check(peer, "sabot", where);
    }

    private static JsonNode bannerOf(String line) {
        if (!line.startsWith("{") || !line.contains(Mux.BANNER_KEY)) return null;
        try {
            JsonNode n = Wire.JSON.readTree(line);
            return n.has(Mux.BANNER_KEY) ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The bridge's side of the handshake (its sabot version and protocol). */
    public Protocol.Peer peer() { return peer; }

    public Process process() { return process; }

    private Integer exitCode() {
        try {
            if (process.waitFor(5, TimeUnit.SECONDS)) return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private void drainStderr() {
        byte[] buf = new byte[4096];
        try (InputStream in = process.getErrorStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (stderr) {
                    stderr.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    if (stderr.length() > 16 * 1024) stderr.delete(0, stderr.length() - 16 * 1024);
                }
            }
        } catch (IOException ignored) {
            // the process went away
        }
    }

    private String stderrTail() {
        // what ssh said may still be on its way when the process has just ended
        if (!process.isAlive() && stderrThread != null) {
            try {
                stderrThread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    private void dispatch(String frame) {
        long id = Mux.channelOf(frame);
        MuxChannel ch = id < 0 ? null : channels.get(id);
        if (ch == null) return; // closed here already, or not a frame
        String payload = Mux.payloadOf(frame);
        if (payload.startsWith("!")) {
            if (payload.equals(Mux.OK)) ch.opened.complete(null);
            else if (payload.startsWith(Mux.ERROR)) {
                String why = payload.length() > Mux.ERROR.length() ? payload.substring(Mux.ERROR.length() + 1) : "refused";
                ch.opened.completeExceptionally(new NoEngineException(where + ": " + why));
                ch.end();
            } else if (payload.equals(Mux.EOF)) ch.end();
            return;
        }
        ch.deliver(payload);
    }

    /** The process ended (or its stdout closed): every channel ends, and we say why once. */
    private void died() {
        if (failure == null) {
            if (closed) failure = "closed";
            else {
                Integer code = exitCode();
                String why = explainer.explain(true, code, stderrTail(), List.of());
                failure = why == null || why.isBlank() ? "the connection to " + where + " ended" : why;
            }
        }
        for (MuxChannel c : channels.values()) {
            c.opened.completeExceptionally(new NoEngineException(failure));
            c.end();
        }
    }

    @Override
    public String where() { return where; }

    @Override
    public boolean alive() { return failure == null && process.isAlive(); }

    @Override
    public String failure() { return failure; }

    @Override
    public Channel open() {
        if (!alive()) throw new NoEngineException(failure != null ? failure : "the connection to " + where + " ended");
        long id = ids.incrementAndGet();
        MuxChannel ch = new MuxChannel(id);
        channels.put(id, ch);
        try {
            write(id + " " + Mux.OPEN);
            ch.opened.get(60, TimeUnit.SECONDS);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw new NoEngineException(failure != null ? failure : "lost the connection to " + where + ": " + e.getMessage());
        } catch (ExecutionException e) {
            ch.close();
            throw e.getCause() instanceof RuntimeException r ? r : new NoEngineException(String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            ch.close();
            throw new NoEngineException("no answer from " + where + " within 60 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ch.close();
            throw new NoEngineException("interrupted while talking to " + where);
        }
    }

    private void write(String line) throws IOException {
        byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (stdin) {
            stdin.write(b);
            stdin.flush();
        }
    }

    /** Ends the session: stdin closes, so the bridge and then ssh exit; a process that lingers is ended. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (MuxChannel c : channels.values()) c.end();
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(3, TimeUnit.SECONDS)) process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private final class MuxChannel implements Channel {
        final long id;
        final CompletableFuture<Void> opened = new CompletableFuture<>();
        private final LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>(INBOX);
        private volatile boolean ended;

        MuxChannel(long id) { this.id = id; }

        void deliver(String line) {
            if (ended) return;
            if (!inbox.offer(line)) {
                // its reader is stuck: drop this channel, never the session
                close();
            }
        }

        /** No more lines: the reader gets null after what is queued. */
        void end() {
            if (ended) return;
            ended = true;
            channels.remove(id, this);
            if (!inbox.offer(END)) {
                inbox.clear();
                inbox.offer(END);
            }
        }

        @Override
        public void send(String line) throws IOException {
            if (ended) throw new IOException(failure != null ? failure : "the channel is closed");
            write(id + " " + line);
        }

        @Override
        public String receive() throws IOException {
            if (ended && inbox.isEmpty()) return null;
            try {
                String l = inbox.take();
                if (l == END) {
                    inbox.offer(END); // later calls return null too
                    return null;
                }
                return l;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }

        @Override
        public void close() {
            boolean was = ended;
            end();
            inbox.clear(); // hung up here: nobody reads what was queued
            inbox.offer(END);
            if (!was && alive()) {
                try {
                    write(id + " " + Mux.CLOSE);
                } catch (IOException | UncheckedIOException ignored) {
                    // the session is gone; nothing to hang up
                }
            }
        }
    }
}
