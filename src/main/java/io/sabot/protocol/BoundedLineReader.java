package io.sabot.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads '\n'-terminated UTF-8 lines from a stream without ever holding more than
 * {@code maxLineBytes} of one line in memory. A longer line is returned once, cut to its first
 * {@code maxLineBytes} bytes and marked {@link Line#truncated()}; the rest of it is skipped.
 * A trailing '\r' is removed. Not thread-safe: one reader thread per stream.
 */
public final class BoundedLineReader {
    /** One line. {@code bytes} is the full length of the line as sent (without the newline). */
    public record Line(String text, boolean truncated, long bytes) {}

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buf = new byte[8192];
    private int bufPos;
    private int bufLen;
    private byte[] line = new byte[256];
    private int lineLen;

    public BoundedLineReader(InputStream in, int maxLineBytes) {
        if (maxLineBytes <= 0) throw new IllegalArgumentException("maxLineBytes must be > 0");
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    public BoundedLineReader(InputStream in) {
        this(in, ProtocolMessages.MAX_LINE_BYTES);
    }

    /** The next line, or null at end of stream. Blocks like {@link InputStream#read(byte[])}. */
    public Line readLine() throws IOException {
        lineLen = 0;
        long total = 0;
        boolean truncated = false;
        while (true) {
            if (bufPos == bufLen) {
                int n = in.read(buf, 0, buf.length);
                if (n < 0) {
                    if (total == 0) return null;
                    return finish(truncated, total);
                }
                bufPos = 0;
                bufLen = n;
                continue;
            }
            int start = bufPos;
            int nl = -1;
            for (int i = start; i < bufLen; i++) {
                if (buf[i] == '\n') { nl = i; break; }
            }
            int end = nl >= 0 ? nl : bufLen;
            int chunk = end - start;
            total += chunk;
            if (!truncated) {
                int room = maxLineBytes - lineLen;
                if (chunk > room) {
                    append(start, room);
                    truncated = true;
                } else {
                    append(start, chunk);
                }
            }
            if (nl >= 0) {
                bufPos = nl + 1;
                return finish(truncated, total);
            }
            bufPos = bufLen;
        }
    }

    private void append(int from, int len) {
        if (len <= 0) return;
        if (lineLen + len > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, lineLen + len)));
        }
        System.arraycopy(buf, from, line, lineLen, len);
        lineLen += len;
    }

    private Line finish(boolean truncated, long total) {
        int len = lineLen;
        if (!truncated && len > 0 && line[len - 1] == '\r') {
            len--;
            total--;
        }
        String text = new String(line, 0, len, StandardCharsets.UTF_8);
        if (line.length > 4096) line = new byte[256]; // do not keep a big buffer after one long line
        return new Line(text, truncated, total);
    }
}
