package io.sabot.protocol;

import io.sabot.protocol.ProtocolMessages.ToAgent;
import io.sabot.protocol.ProtocolMessages.UnknownToAgent;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.Set;

/**
 * Agent side: reads engine-to-agent messages from stdin, one JSON object per line, and hands each
 * valid one to a handler. Tolerant by design: blank lines are skipped; invalid JSON, invalid
 * messages and lines over {@link ProtocolMessages#MAX_LINE_BYTES} are logged to {@code log}
 * (rate-limited) and ignored; an unknown type is logged once per type and ignored. Returns from
 * {@link #run()} at end of stream (the engine is gone) or on a read error.
 */
public final class ProtocolReader implements Runnable {
    /** Receives valid messages, on the reader thread. */
    public interface Handler {
        void onMessage(ToAgent message);

        /** stdin reached end of stream or failed: the engine is gone. */
        void onEof();
    }

    private static final int MAX_LOGGED_PROBLEMS = 100;

    private final BoundedLineReader lines;
    private final Handler handler;
    private final PrintStream log;
    private final Set<String> unknownLogged = new HashSet<>();
    private long problems;
    private long ignoredLines;

    public ProtocolReader(InputStream in, Handler handler, PrintStream log) {
        this.lines = new BoundedLineReader(in, ProtocolMessages.MAX_LINE_BYTES);
        this.handler = handler;
        this.log = log;
    }

    @Override
    public void run() {
        try {
            BoundedLineReader.Line line;
            while ((line = lines.readLine()) != null) {
                handleLine(line);
            }
        } catch (java.nio.channels.ClosedChannelException e) {
            // closed on purpose while exiting
        } catch (IOException e) {
            log.println("sabot-agent: stdin read failed: " + e);
        } finally {
            handler.onEof();
        }
    }

    private void handleLine(BoundedLineReader.Line line) {
        if (line.truncated()) {
            problem("dropped a stdin line of " + line.bytes() + " bytes (limit " + ProtocolMessages.MAX_LINE_BYTES + ")");
            return;
        }
        String text = line.text().strip();
        if (text.isEmpty()) return;
        ToAgent m;
        try {
            m = ProtocolCodec.decodeToAgent(text);
        } catch (ProtocolCodec.ProtocolException e) {
            problem("ignored a stdin line: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            problem("ignored a stdin line: " + e);
            return;
        }
        if (m instanceof UnknownToAgent) {
            ignoredLines++;
            String t = ((UnknownToAgent) m).type();
            if (unknownLogged.size() < MAX_LOGGED_PROBLEMS && unknownLogged.add(t)) {
                log.println("sabot-agent: ignoring unknown message type '" + abbreviate(t) + "' (logged once)");
            }
            return;
        }
        handler.onMessage(m);
    }

    private void problem(String msg) {
        ignoredLines++;
        problems++;
        if (problems <= MAX_LOGGED_PROBLEMS) {
            log.println("sabot-agent: " + abbreviate(msg));
        } else if (problems % 10_000 == 0) {
            log.println("sabot-agent: " + problems + " bad stdin lines so far");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** Lines that were not handed to the handler (bad or unknown). */
    public long ignoredLines() {
        return ignoredLines;
    }
}
