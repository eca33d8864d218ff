package io.sabot.protocol;

import io.sabot.protocol.ProtocolMessages.ToAgent;
import io.sabot.protocol.ProtocolMessages.ToEngine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes protocol lines atomically: each message is encoded to one byte array (prefix, JSON,
 * newline) and written and flushed under a lock on the stream, so concurrent writers (and other
 * code printing whole lines to the same {@link java.io.PrintStream}, which locks itself) never
 * interleave inside a line.
 *
 * <p>Agent side: {@link #toEngine(OutputStream)} over {@code System.out}. Engine side:
 * {@link #toAgent(OutputStream)} over the child's stdin. A broken pipe (peer gone) is not an
 * error for the caller: {@link #write} returns false and later writes are dropped.
 */
public final class ProtocolWriter {
    private final OutputStream out;
    private final String prefix;
    private volatile boolean broken;

    private ProtocolWriter(OutputStream out, String prefix) {
        this.out = out;
        this.prefix = prefix;
    }

    /** Agent side: lines {@code "@sabot {json}\n"} to the agent's stdout. */
    public static ProtocolWriter toEngine(OutputStream stdout) {
        return new ProtocolWriter(stdout, ProtocolMessages.PREFIX);
    }

    /** Engine side: lines {@code "{json}\n"} to an agent's stdin. */
    public static ProtocolWriter toAgent(OutputStream agentStdin) {
        return new ProtocolWriter(agentStdin, "");
    }

    public boolean write(ToEngine m) {
        return writeJson(ProtocolCodec.encode(m));
    }

    public boolean write(ToAgent m) {
        return writeJson(ProtocolCodec.encode(m));
    }

    /** Writes one raw JSON object as a line. The caller guarantees it holds no newline. */
    public boolean writeJson(String json) {
        if (broken) return false;
        byte[] bytes = prefix.concat(json).concat("\n").getBytes(StandardCharsets.UTF_8); // no indy concat: startup path
        synchronized (out) {
            try {
                out.write(bytes, 0, bytes.length);
                out.flush();
            } catch (IOException e) {
                broken = true;
                return false;
            }
            if (out instanceof java.io.PrintStream && ((java.io.PrintStream) out).checkError()) {
                broken = true;
                return false;
            }
        }
        return true;
    }

    /** True once a write failed (the peer closed the pipe). */
    public boolean isBroken() {
        return broken;
    }
}
