package io.sabot.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Drains an agent's stdout on its own small thread so the agent never blocks on a full pipe.
 * Lines starting with {@code @sabot } are protocol messages; the rest go to the log. A line
 * longer than {@link #MAX_LINE} is cut (its head logged, never parsed).
 */
final class OutputPump implements Runnable {
    static final int MAX_LINE = 64 * 1024;
    static final String PREFIX = "@sabot ";
    private final InputStream in;
    private final InstanceLog log;
    private final Consumer<String> protocol;

    OutputPump(InputStream in, InstanceLog log, Consumer<String> protocol) {
        this.in = in;
        this.log = log;
        this.protocol = protocol;
    }

    static Thread start(String name, InputStream in, InstanceLog log, Consumer<String> protocol) {
        Thread t = new Thread(null, new OutputPump(in, log, protocol), "sabot-out-" + name, 128 * 1024);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void run() {
        byte[] buf = new byte[8192];
        byte[] line = new byte[1024];
        int len = 0;
        long dropped = 0;
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        emit(line, len, dropped);
                        len = 0;
                        dropped = 0;
                    } else if (len < MAX_LINE) {
                        if (len == line.length) line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE, line.length * 2));
                        line[len++] = b;
                    } else {
                        dropped++;
                    }
                }
            }
            if (len > 0) emit(line, len, dropped);
        } catch (IOException e) {
            // the process is gone and its pipe with it
        } finally {
            try {
                in.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private void emit(byte[] line, int len, long dropped) {
        int end = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
        String s = new String(line, 0, end, StandardCharsets.UTF_8);
        if (dropped > 0) {
            log.line(s.substring(0, Math.min(s.length(), 200)) + "... [line of " + (len + dropped) + " bytes cut]");
            return;
        }
        if (s.startsWith(PREFIX) && protocol != null) {
            try {
                protocol.accept(s.substring(PREFIX.length()));
            } catch (RuntimeException e) {
                log.line("[sabot] bad protocol line ignored: " + e.getMessage());
            }
        } else {
            log.line(s);
        }
    }
}
