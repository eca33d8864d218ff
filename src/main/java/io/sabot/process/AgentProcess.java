package io.sabot.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A spawned agent process: pid, its process group, start time, and its protocol stdin. */
public final class AgentProcess {
    /** Most bytes queued for one agent's stdin; past this the agent is not reading and messages are refused. */
    public static final int MAX_QUEUED_BYTES = 8 * 1024 * 1024;
    /**
     * Writes to agents' stdin pipes. A pipe write blocks while the agent does not read, so it never
     * happens on the caller's thread: a thread of this pool drains one agent's queue and returns,
     * and only an agent that stops reading keeps one (until it reads again or dies).
     */
    private static final ExecutorService STDIN_WRITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(null, r, "sabot-stdin", 128 * 1024);
        t.setDaemon(true);
        return t;
    });

    private final Process process;
    private final long pgid;
    private final long startTicks;
    private final OutputStream stdin;
    // guarded by queue
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean writing;
    private boolean stdinClosed;
    private boolean refused;
    private boolean refusalReported;

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

    /**
     * Queues one protocol message (a JSON object) for the agent's stdin and returns at once: it
     * never waits for the agent to read. False if stdin is closed or the agent has left
     * {@link #MAX_QUEUED_BYTES} unread.
     */
    public boolean send(String json) {
        byte[] b = (json + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (queue) {
            if (stdinClosed) return false;
            if (queuedBytes + b.length > MAX_QUEUED_BYTES) {
                refused = true;
                return false;
            }
            queue.add(b);
            queuedBytes += b.length;
            if (writing) return true;
            writing = true;
        }
        STDIN_WRITERS.execute(this::drainQueue);
        return true;
    }

    /** True once, after the first message refused because the agent left too much unread (to report it once). */
    public boolean firstRefusal() {
        synchronized (queue) {
            if (!refused || refusalReported) return false;
            refusalReported = true;
            return true;
        }
    }

    private void drainQueue() {
        while (true) {
            byte[] b;
            synchronized (queue) {
                b = queue.poll();
                if (b == null) {
                    writing = false;
                    return;
                }
            }
            try {
                stdin.write(b);
                stdin.flush();
            } catch (IOException e) {
                synchronized (queue) { // the agent is gone (or closed its stdin)
                    stdinClosed = true;
                    queue.clear();
                    queuedBytes = 0;
                    writing = false;
                }
                return;
            }
            synchronized (queue) { queuedBytes -= b.length; }
        }
    }

    /**
     * Signals the whole tree (its group) when it has one, else the process alone. Never a stranger:
     * once the group's number belongs to another process, the group is gone (PidReuseTest).
     */
    public void signal(Signals.Sig sig) {
        if (pgid > 1) {
            if (!numberTakenByAnother()) Signals.group(pgid, sig);
        } else if (sig == Signals.Sig.KILL) process.destroyForcibly();
        else Signals.process(process.pid(), sig);
    }

    /**
     * Whether the leader's pid (the group's number) now names another process: Linux hands a number
     * out again only once no process and no group holds it, so then this tree is gone entirely and
     * a signal to the number would hit whoever has it now.
     */
    public boolean numberTakenByAnother() {
        if (startTicks <= 0) return false;
        long now = ProcStat.startTicks(pgid > 1 ? pgid : process.pid());
        return now >= 0 && now != startTicks;
    }

    /** Whether anything of the tree is still alive. */
    public boolean treeAlive() {
        return pgid > 1 ? ProcStat.groupHasLiveMembers(pgid) : process.isAlive();
    }

    public void closeStdin() {
        synchronized (queue) {
            stdinClosed = true;
            queue.clear();
            queuedBytes = 0;
        }
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
