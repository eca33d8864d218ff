package io.sabot.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bridge's framing: several control-socket conversations over one stdio pair (one ssh
 * session). Every line is {@code <channel> <payload>}: a control-protocol line, or, when it starts
 * with {@code !}, a frame of the bridge's own (JSON never starts with {@code !}).
 * <pre>
 * client -> bridge   N !open      connect channel N to control.sock
 *                    N !close     hang up channel N
 *                    N LINE       a request line for channel N
 * bridge -> client   {"sabotBridge":1,"protocol":P,"minProtocol":M,"version":V}   first line (the handshake)
 *                    N !ok        channel N is connected
 *                    N !error TEXT  channel N could not connect (TEXT says why: no engine on the home)
 *                    N !eof       the engine ended channel N
 *                    N LINE       a reply or stream line on channel N
 * </pre>
 */
final class Mux {
    static final String BANNER_KEY = "sabotBridge";
    /** The framing's own version (in the banner); a change in framing bumps it and {@link Protocol#VERSION}. */
    static final int FRAMING = 1;
    static final String OPEN = "!open", CLOSE = "!close", OK = "!ok", ERROR = "!error", EOF = "!eof";

    private Mux() {}

    /** Reads one line of at most {@code max} bytes (without the newline); null at end of input. */
    static String readLine(InputStream in, int max) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') return buf.toString(StandardCharsets.UTF_8);
            if (buf.size() >= max) throw new IOException("a line over " + max + " bytes");
            buf.write(b);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
    }

    /** The channel number of a frame, or -1 when it has none. */
    static long channelOf(String frame) {
        int sp = frame.indexOf(' ');
        if (sp <= 0 || sp > 18) return -1;
        long n = 0;
        for (int i = 0; i < sp; i++) {
            char c = frame.charAt(i);
            if (c < '0' || c > '9') return -1;
            n = n * 10 + (c - '0');
        }
        return n;
    }

    static String payloadOf(String frame) { return frame.substring(frame.indexOf(' ') + 1); }
}
