package io.sabot.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Guarantees no agent outlives the engine, even after {@code kill -9} of the JVM.
 *
 * <p>Java has no pre-exec hook (no PR_SET_PDEATHSIG for children, and pdeathsig would follow
 * the spawning thread, not the JVM). Instead one tiny {@code sh} process, in its own session and
 * deaf to INT/TERM/HUP, holds a pipe from the JVM. The engine writes {@code +PGID} when an agent
 * starts and {@code -PGID} when it is gone (queued, and written together within {@link #LINGER_MS}
 * by a thread of its own, in order; OrphanWatchdogQueueTest). When the JVM dies, however it dies, the kernel closes
 * the pipe; the watchdog reads EOF, sends SIGTERM to every group it still holds, and SIGKILL one
 * second later. Protocol agents also exit on stdin EOF, a second line of defence.
 *
 * <p>An agent spawned in the instant before the engine died may not have been announced yet.
 * So every agent also carries this engine's random token in its environment
 * ({@value #ENV_TOKEN}), and on EOF the watchdog also ends every process whose
 * {@code /proc/PID/environ} holds it (looked up twice: before SIGTERM and before SIGKILL).
 * After a normal close (the engine stopped its agents) it skips the search.
 */
public final class OrphanWatchdog implements AutoCloseable {
    /** Environment variable every agent gets: this engine's token, which the watchdog looks for when the engine is gone. */
    public static final String ENV_TOKEN = "SABOT_ENGINE";

    static final String SCRIPT = String.join("\n",
            "trap '' INT TERM HUP",
            "g=' '",
            "while IFS= read -r l; do",
            "  case \"$l\" in",
            "    +*) g=\"$g${l#+} \" ;;",
            "    =clean) SABOT_WATCHDOG_CLEAN=1 ;;",
            "    -*) p=\"${l#-}\"; case \"$g\" in *\" $p \"*) g=\"${g%% $p *} ${g#* $p }\" ;; esac ;;",
            "  esac",
            "done",
            // a normal shutdown (the engine stopped every agent) ends here
            "[ \"$SABOT_WATCHDOG_CLEAN\" = 1 ] && [ -z \"${g# }\" ] && exit 0",
            // processes carrying this engine's token: one spawned in the instant before the engine died,
            // before it could tell us its group, is found this way
            "f=''",
            "scan() { f=''; for e in $(grep -lzxF \"SABOT_ENGINE=$SABOT_WATCHDOG_TOKEN\" /proc/[0-9]*/environ 2>/dev/null); do p=${e#/proc/}; f=\"$f ${p%/environ}\"; done; }",
            "scan",
            "for p in $g; do kill -s TERM -- -$p 2>/dev/null; kill -s CONT -- -$p 2>/dev/null; done",
            "for p in $f; do kill -s TERM -- -$p 2>/dev/null; kill -s TERM $p 2>/dev/null; kill -s CONT $p 2>/dev/null; done",
            "sleep 1",
            "scan",
            "for p in $g; do kill -s KILL -- -$p 2>/dev/null; done",
            "for p in $f; do kill -s KILL -- -$p 2>/dev/null; kill -s KILL $p 2>/dev/null; done",
            "");

    /** The watchdog process and the engine's end of its pipe: native where the native layer works, else ProcessBuilder. */
    private interface Pipe {
        long pid();
        boolean isAlive();
        void write(byte[] line) throws IOException;
        void close();
    }

    private final Pipe pipe;
    private final String token;

    private OrphanWatchdog(Pipe pipe, String token) {
        this.pipe = pipe;
        this.token = token;
    }

    /** This engine's token, set as {@value #ENV_TOKEN} in every agent's environment. */
    public String token() { return token; }

    /** Starts the watchdog. */
    public static OrphanWatchdog start() throws IOException {
        byte[] r = new byte[12];
        new java.security.SecureRandom().nextBytes(r);
        String token = ProcessHandle.current().pid() + "-" + java.util.HexFormat.of().formatHex(r);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove(ENV_TOKEN);
        env.put("SABOT_WATCHDOG_TOKEN", token);
        return new OrphanWatchdog(NativeLayer.available() ? nativePipe(env) : jdkPipe(env), token);
    }

    /** posix_spawn in a session of its own; the engine's end of the pipe is close-on-exec, so no agent holds it. */
    private static Pipe nativePipe(Map<String, String> env) throws IOException {
        NativeSpawner.Child c = NativeSpawner.spawn(List.of("/bin/sh", "-c", SCRIPT), null, env, NativeSpawner.Stdin.PIPE_BLOCKING, false);
        java.util.concurrent.atomic.AtomicBoolean alive = new java.util.concurrent.atomic.AtomicBoolean(true);
        NativeLayer.get().watch(c.pid(), v -> alive.set(false));
        return new Pipe() {
            private boolean closed;

            @Override
            public long pid() { return c.pid(); }

            @Override
            public boolean isAlive() { return alive.get(); }

            @Override
            public synchronized void write(byte[] line) throws IOException {
                if (closed) throw new IOException("closed");
                try (NativeBuf m = new NativeBuf(line.length)) {
                    m.write(0, line, 0, line.length);
                    long off = 0;
                    while (off < line.length) {
                        long w = LinuxNative.write(c.stdinFd(), m.share(off), line.length - off);
                        if (w > 0) off += w;
                        else if (LinuxNative.errno() != LinuxNative.EINTR) throw new IOException(LinuxNative.describe(LinuxNative.errno()));
                    }
                }
            }

            @Override
            public synchronized void close() {
                if (closed) return;
                closed = true;
                LinuxNative.close(c.stdinFd());
            }
        };
    }

    private static Pipe jdkPipe(Map<String, String> env) throws IOException {
        List<String> argv = new ArrayList<>();
        String setsid = setsidPath();
        if (setsid != null) argv.add(setsid);
        argv.add("/bin/sh");
        argv.add("-c");
        argv.add(SCRIPT);
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        OutputStream out = p.getOutputStream();
        return new Pipe() {
            @Override
            public long pid() { return p.pid(); }

            @Override
            public boolean isAlive() { return p.isAlive(); }

            @Override
            public void write(byte[] line) throws IOException {
                out.write(line);
                out.flush();
            }

            @Override
            public void close() {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // closing is all we wanted
                }
            }
        };
    }

    /** Path of util-linux setsid, or null where there is none. */
    static String setsidPath() {
        for (String p : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            if (Files.isExecutable(Path.of(p))) return p;
        }
        return null;
    }

    public long pid() { return pipe.pid(); }

    public boolean isAlive() { return pipe.isAlive(); }

    /** The group of a newly started agent. */
    public void watch(long pgid) { send("+" + pgid); }

    /** The group is gone (or was stopped by the engine); forget it so a reused number is never hit. */
    public void forget(long pgid) { send("-" + pgid); }

    /**
     * How long a line waits for others before the pipe is written. The watchdog is a shell that wakes
     * for every write: written at once, the {@code +} of a respawned agent and the {@code -} of the
     * dead one woke it twice in a crash's first milliseconds, on the cores the new agent was starting
     * on, and a restart of 1,000 woke it 2,000 times (issue 13). An agent not yet announced when the
     * engine dies is found by its token (above), so the wait loses nothing.
     */
    static final long LINGER_MS = 10;

    private final StringBuilder queued = new StringBuilder(); // guarded by itself
    private Thread writer; // guarded by queued
    private boolean closing; // guarded by queued

    /** Queues a line; never waits for the pipe (it may be full while the shell is busy). */
    private void send(String line) {
        synchronized (queued) {
            if (closing) return;
            boolean first = queued.length() == 0;
            queued.append(line).append('\n');
            if (writer == null) writer = io.sabot.concurrent.Threads.start("sabot-watchdog", this::writeLoop);
            else if (first) queued.notifyAll();
        }
    }

    private void writeLoop() {
        while (true) {
            synchronized (queued) {
                while (queued.length() == 0 && !closing) {
                    try {
                        queued.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closing) return; // close() writes what is left (a lingering write may still run: it writes in order too)
            }
            java.util.concurrent.locks.LockSupport.parkNanos(LINGER_MS * 1_000_000L);
            flush();
        }
    }

    /** Writes every queued line in one write (in order: the pipe's lock is taken before the queue is emptied). */
    private void flush() {
        synchronized (pipe) {
            byte[] out;
            synchronized (queued) {
                if (queued.length() == 0) return;
                out = queued.toString().getBytes(StandardCharsets.US_ASCII);
                queued.setLength(0);
            }
            try {
                pipe.write(out);
            } catch (IOException e) {
                // the watchdog is gone: nothing left to tell it
            }
        }
    }

    /** Normal shutdown: the engine has stopped every agent; closing the pipe ends the watchdog. */
    @Override
    public void close() {
        synchronized (queued) {
            if (closing) return;
            queued.append("=clean\n");
            closing = true;
            queued.notifyAll();
        }
        flush();
        synchronized (pipe) {
            pipe.close();
        }
    }
}
