package io.sabot.control;

import java.io.IOException;

/**
 * One conversation with an engine's control socket, a line at a time: a Unix socket connection,
 * or one channel multiplexed over an ssh session ({@link MuxTransport}). Lines carry no newline.
 */
public interface Channel extends AutoCloseable {
    /** Sends one line (a JSON object of the control protocol). */
    void send(String line) throws IOException;

    /** The next line from the engine; null when the conversation ended. Blocks until one comes. */
    String receive() throws IOException;

    /** Ends the conversation; a thread blocked in {@link #receive} returns null or throws. */
    @Override
    void close();
}
