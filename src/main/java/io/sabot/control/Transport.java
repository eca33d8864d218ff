package io.sabot.control;

/**
 * How a {@link ControlClient} reaches an engine's control socket: directly ({@link UnixSocketTransport})
 * or through a child process's stdio ({@link MuxTransport}: {@code ssh HOST sabot bridge}). Above it
 * the control protocol, {@link RemoteEngine} and everything built on them are the same.
 */
public interface Transport extends AutoCloseable {
    /** A new conversation with the engine; {@link NoEngineException} (exit 3) naming where, when none answers. */
    Channel open();

    /** Where the engine is, for messages: "home /srv/sabot" or "alice@web1". */
    String where();

    /** Whether new channels can still be opened (a dead ssh session cannot). */
    default boolean alive() { return true; }

    /** Why the transport died (the ssh error, mapped to one line), or null while it lives. */
    default String failure() { return null; }

    /** Ends every channel and whatever carries them. */
    @Override
    void close();
}
