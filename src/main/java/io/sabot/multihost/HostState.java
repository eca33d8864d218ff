package io.sabot.multihost;

/**
 * How a host's engine can be reached right now, with the reason when it cannot.
 *
 * @param state    what the connection does
 * @param reason   why it is not connected (the ssh or engine error, one line), or null
 * @param version  the engine's sabot version once connected (kept while reconnecting), or null
 * @param sinceMs  when this state began
 * @param attempts failed reconnect attempts so far
 */
public record HostState(Kind state, String reason, String version, long sinceMs, int attempts) {
    public enum Kind {
        CONNECTING("connecting"), CONNECTED("connected"), RECONNECTING("reconnecting"), UNREACHABLE("unreachable"), CLOSED("closed");

        public final String label;

        Kind(String label) { this.label = label; }
    }

    public boolean connected() { return state == Kind.CONNECTED; }

    /** "connected", "reconnecting (attempt 2): connection refused…", "unreachable: …". */
    public String describe() {
        if (state == Kind.RECONNECTING) return "reconnecting" + (attempts > 0 ? " (attempt " + (attempts + 1) + ")" : "") + (reason == null ? "" : ": " + reason);
        return state.label + (reason == null || state == Kind.CONNECTED ? "" : ": " + reason);
    }
}
