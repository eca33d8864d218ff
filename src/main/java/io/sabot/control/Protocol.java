package io.sabot.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The version handshake: the first exchange of every {@link ControlClient} is {@code hello}, and
 * the first line of a {@link Bridge} is its banner; both carry the control protocol version, the
 * oldest version the side still talks to, and the sabot version. Two sides talk when each one's
 * protocol is at least the other's minimum; otherwise the client fails with a message naming both
 * versions and what to do. An engine older than the handshake answers {@code hello} with
 * "unknown op": that is protocol 1, the wire format this handshake started with.
 * Held by {@code HandshakeTest} and {@code SshRemoteTest.aRemoteSabotTooNewOrTooOldIsNamed}.
 */
public final class Protocol {
    /** The control protocol this build speaks (JSON lines: requests, replies, streams). */
    public static final int VERSION = 1;
    /** The oldest peer protocol this build still talks to. */
    public static final int MIN_VERSION = 1;

    private Protocol() {}

    /** This build's version ("dev" when run from classes, not the jar). */
    public static String sabotVersion() {
        String v = Protocol.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** What an engine answers to {@code hello}. */
    public static Map<String, Object> helloReply() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", VERSION);
        m.put("minProtocol", MIN_VERSION);
        m.put("version", sabotVersion());
        return m;
    }

    static ObjectNode helloRequest() {
        ObjectNode a = Wire.JSON.createObjectNode();
        a.put("protocol", VERSION);
        a.put("minProtocol", MIN_VERSION);
        a.put("version", sabotVersion());
        return a;
    }

    /** The peer's protocol, minimum and version, as one record. */
    public record Peer(int protocol, int minProtocol, String version) {
        static Peer of(JsonNode n) {
            return new Peer(n.path("protocol").asInt(1), n.path("minProtocol").asInt(1), n.path("version").asText("unknown"));
        }
    }

    /** Throws {@link NoEngineException} (exit 3) when this build and {@code peer} cannot talk. */
    public static void check(Peer peer, String what, String where) {
        if (peer.protocol() >= MIN_VERSION && VERSION >= peer.minProtocol()) return;
        boolean peerOlder = peer.protocol() < MIN_VERSION;
        throw new NoEngineException("the " + what + " on " + where + " (sabot " + peer.version() + ", control protocol " + peer.protocol()
                + ") cannot talk to this sabot (" + sabotVersion() + ", protocol " + VERSION + "): "
                + (peerOlder ? "it is too old; install sabot " + sabotVersion() + " there"
                        : "it is too new; install sabot " + peer.version() + " here")
                + " (both sides need the same protocol)");
    }
}
