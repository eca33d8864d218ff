package io.sabot.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One {@code posix_spawn} per agent: a new session (POSIX_SPAWN_SETSID, so the pid is the session
 * and process-group leader and a signal to the group reaches the whole tree), signals at their
 * defaults and unblocked, stdin/stdout/stderr from pipes or {@code /dev/null}, the working folder,
 * and every other descriptor of the JVM closed ({@code closefrom(3)}: the JDK does not open files
 * close-on-exec, and an inherited copy of, say, the watchdog's pipe would keep it from ever seeing
 * EOF). glibc spawns with {@code clone(CLONE_VM|CLONE_VFORK)}: no copy of the JVM's page tables,
 * and an exec failure comes back as the return value. What it replaces: ProcessBuilder, which
 * execs {@code jspawnhelper}, which execs util-linux {@code setsid}, which execs the agent.
 * The spawn itself runs on {@link SpawnThread}, whose descriptor table holds four entries rather
 * than the engine's thousands (in place where that thread cannot run, or with
 * {@code -Dsabot.spawn.inPlace=true}).
 */
final class NativeSpawner {
    /** The spawned child and the parent's ends of its pipes (-1 where there is none). */
    record Child(int pid, int stdinFd, int stdoutFd, int stderrFd) {}

    /** How the child's stdin is set up. */
    enum Stdin { NULL, PIPE_NONBLOCKING, PIPE_BLOCKING }

    private static final int F_SETFL = 4;
    private static final NativeBuf ATTR = spawnAttributes();

    private NativeSpawner() {}

    /** The spawn attributes every agent gets (read-only native memory, shared by every spawning thread). */
    static NativeBuf attributes() { return ATTR; }

    private static NativeBuf spawnAttributes() {
        if (LinuxNative.problem() != null) return null;
        NativeBuf attr = NativeBuf.zeroed(LinuxNative.SPAWNATTR_SIZE);
        LinuxNative.posix_spawnattr_init(attr);
        LinuxNative.posix_spawnattr_setflags(attr,
                (short) (LinuxNative.POSIX_SPAWN_SETSID | LinuxNative.POSIX_SPAWN_SETSIGMASK | LinuxNative.POSIX_SPAWN_SETSIGDEF));
        LinuxNative.posix_spawnattr_setsigmask(attr, LinuxNative.emptySignals());
        LinuxNative.posix_spawnattr_setsigdefault(attr, LinuxNative.allCatchableSignals());
        return attr; // read-only from here on: shared by concurrent spawns
    }

    /**
     * Spawns {@code argv} (argv[0] without a slash is looked up on the engine's PATH, as
     * ProcessBuilder does) with exactly {@code env} as its environment.
     *
     * @param captureOutput stdout and stderr to pipes (else /dev/null)
     */
    static Child spawn(List<String> argv, Path workdir, Map<String, String> env, Stdin stdin, boolean captureOutput) throws IOException {
        int[] in = {-1, -1}, out = {-1, -1}, err = {-1, -1};
        boolean ok = false;
        try {
            if (stdin != Stdin.NULL) {
                pipe(in);
                if (stdin == Stdin.PIPE_NONBLOCKING) nonBlocking(in[1]);
            }
            if (captureOutput) {
                pipe(out);
                pipe(err);
                nonBlocking(out[0]);
                nonBlocking(err[0]);
            }
            String exe = argv.get(0);
            boolean search = exe.indexOf('/') < 0;
            String dir = workdir == null ? null : workdir.toString();
            int[] childFds = {in[0], out[1], err[1]};
            int pid;
            try (NativeBuf av = CStrings.of(argv); NativeBuf ev = CStrings.environment(env)) {
                SpawnThread t = SpawnThread.get();
                pid = t != null ? t.spawn(childFds, exe, search, av, ev, dir) : SpawnThread.spawnHere(childFds, exe, search, av, ev, dir);
            }
            ok = true;
            return new Child(pid, in[1], out[0], err[0]);
        } finally {
            // the child's ends always; ours too when the spawn failed
            closeQuietly(in[0]);
            closeQuietly(out[1]);
            closeQuietly(err[1]);
            if (!ok) {
                closeQuietly(in[1]);
                closeQuietly(out[0]);
                closeQuietly(err[0]);
            }
        }
    }

    private static void pipe(int[] fds) throws IOException {
        if (LinuxNative.pipe2(fds, LinuxNative.O_CLOEXEC) != 0) {
            int e = LinuxNative.errno();
            fds[0] = fds[1] = -1;
            String why = LinuxNative.describe(e);
            throw new IOException(e == LinuxNative.EMFILE || e == LinuxNative.ENFILE
                    ? "no file descriptors left for its pipes (" + why + ")" : "pipe2: " + why);
        }
    }

    private static void nonBlocking(int fd) {
        LinuxNative.fcntl(fd, F_SETFL, LinuxNative.O_NONBLOCK);
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) LinuxNative.close(fd);
    }
}
