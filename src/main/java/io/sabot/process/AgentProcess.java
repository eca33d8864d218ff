package io.sabot.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** A spawned agent process: pid, its process group, start time, and its protocol stdin. */
public final class AgentProcess {
    private final Process process;
    private final long pgid;
    private final long startTicks;
    private final OutputStream stdin;

    AgentProcess(Process process, long pgid, long startTicks) {
        this.process = process;
        this.pgid = pgid;
        this.startTicks = startTicks;
        this.stdin = process.getOutputStream();
    }

    public long pid() { return process.pid(); }

    /** The agent's own process group (its pid when started in its own session), or -1 if shared with the engine. */
    public long pgid() { return pgid; }

    public long startTicks() { return startTicks; }

    public boolean isAlive() { return process.isAlive(); }

    /** Completes with the exit value the moment the process dies (the JDK's reaper, not polling). */
    public CompletableFuture<Process> onExit() { return process.onExit(); }

    public int exitValue() { return process.exitValue(); }

    /** Sends one protocol message (a JSON object) on the agent's stdin; false if it is gone. */
    public boolean send(String json) {
        synchronized (stdin) {
            try {
                stdin.write((json + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    /** Signals the whole tree (its group) when it has one, else the process alone. */
    public void signal(Signals.Sig sig) {
        if (pgid > 1) Signals.group(pgid, sig);
        else if (sig == Signals.Sig.KILL) process.destroyForcibly();
        else Signals.process(process.pid(), sig);
    }

    /** Whether anything of the tree is still alive. */
    public boolean treeAlive() {
        return pgid > 1 ? ProcStat.groupHasLiveMembers(pgid) : process.isAlive();
    }

    public void closeStdin() {
        synchronized (stdin) {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
