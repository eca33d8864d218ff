package io.sabot.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The JVM-wide native process layer: one {@link Reaper} and one {@link OutputLoop}, started on
 * first use and shared by every engine in this JVM (tests run several).
 */
final class NativeLayer {
    private static volatile NativeLayer instance;

    final Reaper reaper;
    final OutputLoop output;

    private NativeLayer() throws IOException {
        this.reaper = new Reaper();
        this.output = new OutputLoop();
    }

    static boolean available() { return LinuxNative.problem() == null; }

    static NativeLayer get() {
        NativeLayer l = instance;
        if (l != null) return l;
        synchronized (NativeLayer.class) {
            if (instance == null) {
                try {
                    instance = new NativeLayer();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start the process layer: " + e.getMessage(), e);
                }
            }
            return instance;
        }
    }

    AgentProcess launch(LaunchRequest req, Map<String, String> env) throws IOException {
        NativeSpawner.Child c = NativeSpawner.spawn(req.argv(), req.workdir(), env,
                req.protocol() ? NativeSpawner.Stdin.PIPE_NONBLOCKING : NativeSpawner.Stdin.NULL, true);
        NativeAgentProcess p = new NativeAgentProcess(c.pid(), ProcStat.startTicks(c.pid()),
                c.stdinFd() >= 0 ? output.stdin(c.stdinFd()) : null);
        try {
            reaper.watch(c.pid(), p::exited);
        } catch (IOException e) {
            p.closeStdin();
            LinuxNative.close(c.stdoutFd());
            LinuxNative.close(c.stderrFd());
            abandon(c.pid());
            throw e;
        }
        // as before: "@sabot " lines on stdout are protocol for every agent (stdin is a pipe only for protocol agents)
        output.read(c.stdoutFd(), req.log(), req.protocolLines());
        output.read(c.stderrFd(), req.log(), null);
        return p;
    }

    /** Reaps {@code pid} (a child spawned here) through the reaper; if it cannot be watched, it is killed and waited for at once. */
    void watch(int pid, IntConsumer onExit) throws IOException {
        try {
            reaper.watch(pid, onExit);
        } catch (IOException e) {
            abandon(pid);
            throw e;
        }
    }

    /** A child nobody could watch: never leave it running or unreaped. */
    private static void abandon(int pid) {
        Signals.process(pid, Signals.Sig.KILL);
        LinuxNative.waitpid(pid, new int[1], 0);
    }
}
