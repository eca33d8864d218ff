package io.sabot.process;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A spawned agent process: pid, its process group, start time, its exit, and its protocol stdin.
 * Made by {@link ProcessLauncher}: natively on Linux (one reaper thread and one output thread for
 * all agents), else through {@link ProcessBuilder}.
 */
public abstract class AgentProcess {
    /** Most bytes queued for one agent's stdin; past this the agent is not reading and messages are refused. */
    public static final int MAX_QUEUED_BYTES = 8 * 1024 * 1024;

    private final long pgid;
    private final long startTicks;
    /** Completed with the exit value (the code, or 128 + the signal) once the process is reaped. */
    final CompletableFuture<Integer> exit = new CompletableFuture<>();

    AgentProcess(long pgid, long startTicks) {
        this.pgid = pgid;
        this.startTicks = startTicks;
    }

    public abstract long pid();

    /** The agent's own process group (its pid when started in its own session), or -1 if shared with the engine. */
    public final long pgid() { return pgid; }

    public final long startTicks() { return startTicks; }

    /** True until the process has exited and been reaped. */
    public final boolean isAlive() { return !exit.isDone(); }

    /**
     * Completes with the exit value (the code, or 128 + the signal) the moment the process is
     * reaped, on the reaper's thread: dependents that do real work must be async
     * ({@code thenRunAsync(..., executor)}), as the engine's are.
     */
    public final CompletableFuture<Integer> onExit() { return exit; }

    /** The exit value (the code, or 128 + the signal); throws IllegalThreadStateException while it runs. */
    public final int exitValue() {
        if (!exit.isDone()) throw new IllegalThreadStateException("process " + pid() + " has not exited");
        return exit.join();
    }

    /**
     * Queues one protocol message (a JSON object) for the agent's stdin and returns at once: it
     * never waits for the agent to read. False if stdin is closed or the agent has left
     * {@link #MAX_QUEUED_BYTES} unread.
     */
    public final boolean send(String json) {
        return sendBytes((json + "\n").getBytes(StandardCharsets.UTF_8));
    }

    abstract boolean sendBytes(byte[] line);

    /** True once, after the first message refused because the agent left too much unread (to report it once). */
    public abstract boolean firstRefusal();

    /**
     * Signals the whole tree (its group) when it has one, else the process alone. Never a stranger:
     * once the group's number belongs to another process, the group is gone (PidReuseTest).
     */
    public void signal(Signals.Sig sig) {
        if (pgid > 1) {
            if (!numberTakenByAnother()) Signals.group(pgid, sig);
        } else Signals.process(pid(), sig);
    }

    /**
     * Whether the leader's pid (the group's number) now names another process: Linux hands a number
     * out again only once no process and no group holds it, so then this tree is gone entirely and
     * a signal to the number would hit whoever has it now. Until the engine has reaped the leader,
     * the number is the engine's (even a zombie keeps it): no /proc read then, which a stop of
     * 1,000 agents did three times per agent (issue 13).
     */
    public boolean numberTakenByAnother() {
        if (startTicks <= 0 || isAlive()) return false;
        long now = ProcStat.startTicks(pgid > 1 ? pgid : pid());
        return now >= 0 && now != startTicks;
    }

    /** Whether anything of the tree is still alive. */
    public final boolean treeAlive() {
        return pgid > 1 ? ProcStat.groupHasLiveMembers(pgid) : isAlive();
    }

    public abstract void closeStdin();
}
