package io.sabot.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The engine's control socket on this machine: a connection per {@link Channel}. */
public final class UnixSocketTransport implements Transport {
    private final Path socket;

    public UnixSocketTransport(Path socket) { this.socket = socket; }

    public Path socket() { return socket; }

    @Override
    public String where() { return "home " + socket.getParent(); }

    @Override
    public Channel open() { return new SocketLines(connect(socket)); }

    /** Connects, or throws {@link NoEngineException} naming the home. */
    public static SocketChannel connect(Path socket) { return Dial.open(socket); }

    @Override
    public void close() {
        // nothing shared: each channel is its own connection
    }

    private static final class SocketLines implements Channel {
        private final SocketChannel ch;
        private final BufferedReader in;
        private final OutputStream out;

        SocketLines(SocketChannel ch) {
            this.ch = ch;
            this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            this.out = Channels.newOutputStream(ch);
        }

        @Override
        public void send(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public String receive() throws IOException { return in.readLine(); }

        @Override
        public void close() {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
