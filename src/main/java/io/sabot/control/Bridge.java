package io.sabot.control;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code sabot bridge}: the remote end of {@code --host}. Run by ssh on the remote host, it joins
 * its stdin/stdout to the home's {@code control.sock}, several conversations at once ({@link Mux}).
 * It opens no port and keeps no state: authentication and encryption are ssh's, and what it
 * forwards is the same control protocol the engine already checks (same user only: the socket is
 * 0600 and the peer's credentials are checked).
 * Guarantees, held by {@code BridgeTest}: the banner is the first line; a channel's lines reach
 * the socket in order and back; a channel the engine ends is reported ({@code !eof}); a missing
 * engine is an {@code !error} naming the home, not the end of the bridge; end of stdin closes every
 * connection and returns.
 */
public final class Bridge {
    private final Path socket;
    private final OutputStream out;
    private final Map<Long, SocketChannel> open = new ConcurrentHashMap<>();

    private Bridge(Path socket, OutputStream out) {
        this.socket = socket;
        this.out = out;
    }

    /** Serves until stdin ends; returns the exit code (0). */
    public static int run(Path socket, InputStream in, OutputStream out) throws IOException {
        return new Bridge(socket, out).serve(new BufferedInputStream(in, 64 * 1024));
    }

    private int serve(InputStream in) throws IOException {
        emit((banner() + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            String frame;
            while ((frame = Mux.readLine(in, Wire.MAX_LINE + 64)) != null) {
                long ch = Mux.channelOf(frame);
                if (ch < 0) continue; // not a frame: nothing to answer it on
                String payload = Mux.payloadOf(frame);
                if (payload.equals(Mux.OPEN)) openChannel(ch);
                else if (payload.equals(Mux.CLOSE)) closeChannel(ch);
                else forward(ch, payload);
            }
        } finally {
            for (Long ch : open.keySet()) closeChannel(ch);
        }
        return 0;
    }

    /**
     * {@code {"sabotBridge":1,"protocol":P,"minProtocol":M,"version":V}}: the hello reply's facts
     * ({@link Protocol#helloReply}), written by hand: a bridge is a JVM started per ssh session, and
     * it loads no JSON library, so it is up sooner (docs/benchmarks.md, "Remote command over SSH").
     */
    static String banner() {
        String v = Bridge.class.getPackage().getImplementationVersion(); // Protocol.sabotVersion(): the same jar
        StringBuilder b = new StringBuilder(96).append("{\"").append(Mux.BANNER_KEY).append("\":").append(Mux.FRAMING)
                .append(",\"protocol\":").append(Protocol.VERSION).append(",\"minProtocol\":").append(Protocol.MIN_VERSION)
                .append(",\"version\":");
        return io.sabot.protocol.Json.quote(b, v == null ? "dev" : v).append('}').toString();
    }

    private void openChannel(long ch) {
        SocketChannel s;
        try {
            s = UnixSocketTransport.connect(socket);
        } catch (NoEngineException e) {
            frame(ch, Mux.ERROR + " " + e.getMessage());
            return;
        }
        SocketChannel before = open.put(ch, s);
        if (before != null) closeQuietly(before);
        frame(ch, Mux.OK);
        Thread t = new Thread(() -> pump(ch, s), "sabot-bridge-" + ch);
        t.setDaemon(true);
        t.start();
    }

    private void closeChannel(long ch) {
        SocketChannel s = open.remove(ch);
        if (s != null) closeQuietly(s); // its pump ends and reports nothing more
    }

    private void forward(long ch, String payload) {
        SocketChannel s = open.get(ch);
        if (s == null) return; // closed meanwhile: the client learns it from !eof
        ByteBuffer b = ByteBuffer.wrap((payload + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (b.hasRemaining()) s.write(b);
        } catch (IOException e) {
            if (open.remove(ch, s)) {
                closeQuietly(s);
                frame(ch, Mux.EOF);
            }
        }
    }

    /** Socket to stdout: each read's complete lines go out as one write, prefixed with the channel. */
    private void pump(long ch, SocketChannel s) {
        byte[] prefix = (ch + " ").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        ByteArrayOutputStream frames = new ByteArrayOutputStream(64 * 1024);
        try {
            while (s.read(buf) >= 0) {
                buf.flip();
                frames.reset();
                while (buf.hasRemaining()) {
                    byte c = buf.get();
                    if (c == '\n') {
                        frames.write(prefix);
                        partial.writeTo(frames);
                        frames.write('\n');
                        partial.reset();
                    } else {
                        partial.write(c);
                    }
                }
                buf.clear();
                if (frames.size() > 0) emit(frames.toByteArray());
            }
        } catch (IOException ignored) {
            // the engine or the client hung up
        }
        if (open.remove(ch, s)) {
            closeQuietly(s);
            frame(ch, Mux.EOF);
        }
    }

    private void frame(long ch, String payload) {
        try {
            emit((ch + " " + payload.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // stdout is gone: ssh ended; stdin ends too, and serve() returns
        }
    }

    private void emit(byte[] bytes) throws IOException {
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    private static void closeQuietly(SocketChannel s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
