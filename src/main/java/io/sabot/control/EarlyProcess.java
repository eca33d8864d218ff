package io.sabot.control;

import java.io.IOException;
import java.util.List;

/**
 * A child process started before anyone asks for it, so that it comes up while the JVM goes on
 * starting: the CLI starts {@code ssh HOST sabot bridge} first thing for a {@code --host} command
 * ({@code io.sabot.cli.EarlySsh}), and the ssh handshake and the remote JVM's start overlap the
 * local CLI's own start (docs/benchmarks.md, "Remote command over SSH"). {@link MuxTransport}
 * takes it when it would start the very same command line; a different one, or none, ends it
 * (at the latest when the JVM exits), so a guess that turns out wrong costs a process, never a
 * wrong connection.
 */
public final class EarlyProcess {
    private static List<String> argv; // guarded by EarlyProcess.class
    private static Process process;
    private static boolean hooked;

    private EarlyProcess() {}

    /** Starts {@code cmd} now (at most one; a failure to start is left for the real start to report). */
    public static synchronized void start(List<String> cmd) {
        if (process != null) return;
        try {
            process = new ProcessBuilder(cmd).start();
            argv = List.copyOf(cmd);
        } catch (IOException | RuntimeException e) {
            return;
        }
        if (!hooked) {
            hooked = true;
            Runtime.getRuntime().addShutdownHook(new Thread(EarlyProcess::discard, "sabot-early-process"));
        }
    }

    /** The process started early for exactly {@code cmd}, or null (one started for another command line is ended). */
    static synchronized Process take(List<String> cmd) {
        Process p = process;
        if (p == null) return null;
        boolean same = argv.equals(cmd);
        process = null;
        argv = null;
        if (same) return p; // alive, or already ended: its exit and stderr say why, as for a process started now
        p.destroy();
        return null;
    }

    /** Ends a process nobody took. */
    static synchronized void discard() {
        Process p = process;
        process = null;
        argv = null;
        if (p != null) p.destroy();
    }
}
