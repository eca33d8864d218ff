package io.sabot.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Connects to a home's control socket, or says clearly that no engine runs there. No JSON library involved. */
public final class Dial {
    private Dial() {}

    /** An open connection, or {@link NoEngineException} naming the home when no engine listens. */
    public static SocketChannel open(Path socket) {
        if (!Files.exists(socket)) {
            throw new NoEngineException("no engine running on home " + socket.getParent() + " (start one with `sabot daemon` or `sabot console`)");
        }
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            return ch;
        } catch (IOException e) {
            throw new NoEngineException("no engine running on home " + socket.getParent() + " (" + socket + ": " + e.getMessage()
                    + "; start one with `sabot daemon` or `sabot console`)");
        }
    }
}
