package io.sabot.process;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The fallback where the native layer is unavailable (not 64-bit Linux, glibc before 2.34, a
 * kernel without pidfd): {@link ProcessBuilder}, util-linux {@code setsid} for the session, a pump
 * thread per output pipe and the JDK's reaper thread per process. Same behaviour, more threads.
 */
final class JdkAgentProcess extends AgentProcess {
    private static final File DEV_NULL = new File("/dev/null");
    private static final String SETSID = OrphanWatchdog.setsidPath();
    /** Writes to agents' stdin pipes, which block while the agent does not read: never on the caller's thread. */
    private static final ExecutorService STDIN_WRITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(null, r, "sabot-stdin", 128 * 1024);
        t.setDaemon(true);
        return t;
    });

    private final Process process;
    private final OutputStream stdin;
    // guarded by queue
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean writing;
    private boolean stdinClosed;
    private boolean refused;
    private boolean refusalReported;

    JdkAgentProcess(Process process, long pgid, long startTicks) { // package-private: AgentProcessPidReuseTest wraps a stranger
        super(pgid, startTicks);
        this.process = process;
        this.stdin = process.getOutputStream();
        process.onExit().whenComplete((p, t) -> exit.complete(p.exitValue()));
    }

    static AgentProcess launch(LaunchRequest req, Map<String, String> env) throws IOException {
        List<String> argv = new ArrayList<>();
        if (SETSID != null) argv.add(SETSID);
        argv.addAll(req.argv());
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (req.workdir() != null) pb.directory(req.workdir().toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(req.protocol() ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(DEV_NULL));
        Process p = pb.start();
        OutputPump.start(req.instanceId(), p.getInputStream(), req.log(), req.protocolLines());
        OutputPump.start(req.instanceId() + "-err", p.getErrorStream(), req.log(), null);
        return new JdkAgentProcess(p, SETSID != null ? p.pid() : -1, ProcStat.startTicks(p.pid()));
    }

    @Override
    public long pid() { return process.pid(); }

    @Override
    public void signal(Signals.Sig sig) {
        if (pgid() <= 1 && sig == Signals.Sig.KILL) process.destroyForcibly();
        else super.signal(sig);
    }

    @Override
    boolean sendBytes(byte[] b) {
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

    @Override
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

    @Override
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
