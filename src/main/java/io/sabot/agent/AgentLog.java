package io.sabot.agent;

import java.io.PrintStream;

/**
 * Agent log output. Diagnostics go to stderr; {@link #output} lines (e.g. alerts) go to stdout
 * as ordinary, non-protocol lines. Both streams lock per line, so lines never interleave with
 * protocol lines.
 */
public final class AgentLog {
    private final PrintStream err;
    private final PrintStream out;
    private final String prefix;

    public AgentLog(PrintStream err, PrintStream out, String instance) {
        this.err = err;
        this.out = out;
        this.prefix = instance == null || instance.isEmpty() ? "" : "[".concat(instance).concat("] ");
    }

    public void info(String msg) {
        err.println(prefix.concat(msg));
    }

    /** An output line of the agent (stdout, not a protocol line). */
    public void output(String line) {
        out.println(line);
    }
}
