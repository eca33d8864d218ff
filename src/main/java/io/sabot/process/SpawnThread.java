package io.sabot.process;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads every agent is spawned from ({@link #THREADS} of them, {@code sabot-spawn}): each with a
 * file descriptor table of its own, nearly empty.
 *
 * <p>Why: {@code posix_spawn}'s child starts with a copy of the spawning thread's descriptor table
 * and closes every entry but 0-2 before {@code exec} ({@code closefrom(3)}). The engine holds three
 * descriptors per running agent (two output pipes and a pidfd), so at 1,000 agents each spawn
 * closed ~3,000 of them: 1.4 ms of the child's time before exec (0.24 ms at 100 agents), and 17 % of
 * all CPU samples in a restart of all 1,000 ({@code perf record -g}: filp_flush, dnotify_flush;
 * docs/benchmarks.md, "Session 4"). Each thread calls {@code unshare(CLONE_FILES)} once and closes
 * its copy of everything but the socket, so the table a child copies holds 0-2, the socket and the
 * child's own three descriptors, whatever the fleet's size. More than one: posix_spawn holds its
 * thread until the child execs (about 1 ms for a shell), and one thread made a cold start of 100
 * agents 0.15 s slower than spawning in place on the operation threads.
 *
 * <p>How: a caller makes the child's pipes as before (in the engine's table, where the output loop
 * and the reaper need the parent's ends), passes the child's ends over a Unix socket
 * ({@code SCM_RIGHTS}, which installs them in the receiving thread's table) with a job number, and
 * waits; that thread spawns with them on 0-2, closes its copies and completes the job. A job's other inputs
 * (argv, envp, attributes) are native memory, shared by every thread.
 *
 * <p>Guarantees, held by {@code SpawnThreadTest}: each thread's table holds 0-2 and the socket
 * however many descriptors the engine holds, so that is all a child copies; a child's
 * stdin/stdout/stderr are the caller's pipes (or {@code /dev/null}); an exec failure comes back as
 * the caller's error; the engine's table never sees these threads' descriptors, and they never hold
 * the engine's (no socket of a closed connection kept alive here). A thread runs only code it ran
 * once before closing its table (a warm-up spawn of {@code true} through every branch), so the JVM
 * never loads a class on it afterwards, which would read the jar through a descriptor number of the
 * engine's table.
 */
final class SpawnThread {
    private static final System.Logger LOG = System.getLogger("io.sabot.process");
    private static final int MSGHDR = 56, IOVEC = 16, CMSG_HDR = 16, CMSG_SPACE_3 = 32;

    /** One spawn asked of the thread: the child's 0-2 ({@code -1}: /dev/null), what to run, where. */
    private record Job(int present, String exe, boolean search, Pointer argv, Pointer envp, String workdir, CompletableFuture<Integer> pid) {}

    /** Threads serving the socket: a spawn blocks its thread until the child execs, so one thread would queue a bulk start. */
    static final int THREADS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final int sender;   // the engine's end
    private final int receiver; // the threads' end (the same number in every table)
    private final Map<Long, Job> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger serving = new java.util.concurrent.atomic.AtomicInteger();
    private volatile String dead;

    private static volatile SpawnThread instance;
    private static boolean tried;

    private SpawnThread(int sender, int receiver) {
        this.sender = sender;
        this.receiver = receiver;
    }

    /** The spawning threads, started on first use; null where they cannot run (callers then spawn in place). */
    static SpawnThread get() {
        SpawnThread t = instance;
        if (t != null || tried) return t != null && t.dead == null ? t : null;
        synchronized (SpawnThread.class) {
            if (!tried) {
                tried = true;
                instance = start();
            }
            return instance;
        }
    }

    /** New spawning threads ({@link #THREADS}), or null where they cannot run (tests use their own; the engine uses {@link #get}). */
    static SpawnThread start() {
        if (Boolean.getBoolean("sabot.spawn.inPlace")) return null;
        int[] sv = new int[2];
        if (LinuxNative.socketpair(LinuxNative.AF_UNIX, LinuxNative.SOCK_SEQPACKET | LinuxNative.SOCK_CLOEXEC, 0, sv) != 0) {
            LOG.log(System.Logger.Level.INFO, "spawning in place: socketpair: " + LinuxNative.describe(LinuxNative.errno()));
            return null;
        }
        SpawnThread s = new SpawnThread(sv[0], sv[1]);
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            CompletableFuture<Void> r = new CompletableFuture<>();
            ready.add(r);
            Thread t = new Thread(null, () -> s.serve(r), "sabot-spawn", 256 * 1024);
            t.setDaemon(true);
            t.start();
        }
        try {
            for (CompletableFuture<Void> r : ready) r.join();
            return s;
        } catch (RuntimeException e) {
            // closing our end ends the threads that did start: their recvmsg sees the end of the socket
            LinuxNative.close(s.sender);
            LOG.log(System.Logger.Level.INFO, "spawning in place: " + e.getCause());
            return null;
        }
    }

    /**
     * Spawns on one of the threads; {@code childFds} are the caller's descriptors for the child's 0, 1
     * and 2 ({@code -1}: /dev/null), which the caller still closes afterwards. Returns the pid.
     */
    int spawn(int[] childFds, String exe, boolean search, Pointer argv, Pointer envp, String workdir) throws IOException {
        Job job;
        try {
            job = submit(sender, childFds, exe, search, argv, envp, workdir);
        } catch (IOException e) {
            throw new IOException("handing the spawn to sabot-spawn: " + e.getMessage(), e);
        }
        String gone = dead;
        if (gone != null && pending.values().remove(job)) throw new IOException(gone);
        try {
            return job.pid.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException(String.valueOf(e.getCause() == null ? e : e.getCause().getMessage()), e.getCause());
        }
    }

    /** Registers a job and sends its number with the child's descriptors on {@code socket}. */
    private Job submit(int socket, int[] childFds, String exe, boolean search, Pointer argv, Pointer envp, String workdir) throws IOException {
        int present = 0;
        for (int i = 0; i < 3; i++) if (childFds[i] >= 0) present |= 1 << i;
        Job job = new Job(present, exe, search, argv, envp, workdir, new CompletableFuture<>());
        long id = ids.incrementAndGet();
        pending.put(id, job);
        try {
            send(socket, id, childFds);
        } catch (IOException e) {
            pending.remove(id);
            throw e;
        }
        return job;
    }

    /** One thread: warm up on a socket of its own, take a table of its own, then serve the shared socket. */
    private void serve(CompletableFuture<Void> ready) {
        NativeBuf msg = NativeBuf.zeroed(MSGHDR + IOVEC + 8 + CMSG_SPACE_3);
        try {
            warmUp(msg);
            if (LinuxNative.unshare(LinuxNative.CLONE_FILES) != 0) throw new IOException("unshare(CLONE_FILES): " + LinuxNative.describe(LinuxNative.errno()));
            // from here on this thread's table is its own: keep 0-2 (the agents get their own) and the socket
            LinuxNative.close_range(3, receiver - 1, 0);
            LinuxNative.close_range(receiver + 1, -1, 0);
            serving.incrementAndGet();
            ready.complete(null);
        } catch (Throwable t) {
            ready.completeExceptionally(t);
            return;
        }
        while (true) {
            if (!serveOne(msg, receiver)) break;
        }
        if (serving.decrementAndGet() > 0) return; // the others go on serving
        dead = "the spawning threads (sabot-spawn) stopped";
        for (Long id : pending.keySet()) {
            Job j = pending.remove(id);
            if (j != null) j.pid.completeExceptionally(new IOException(dead));
        }
    }

    /** Receives one job and runs it; false when the socket failed (the thread then ends). */
    private boolean serveOne(NativeBuf msg, int socket) {
        msg.setMemory(0, msg.size, (byte) 0);
        frame(msg, true);
        long n = LinuxNative.recvmsg(socket, msg, LinuxNative.MSG_CMSG_CLOEXEC);
        if (n < 0) return LinuxNative.errno() == LinuxNative.EINTR;
        if (n == 0) return false;
        int[] fds = {-1, -1, -1};
        int got = 0;
        long clen = msg.getLong(40);
        if (clen >= CMSG_HDR + 4 && msg.getInt(MSGHDR + IOVEC + 8 + 8) == LinuxNative.SOL_SOCKET
                && msg.getInt(MSGHDR + IOVEC + 8 + 12) == LinuxNative.SCM_RIGHTS) {
            got = (int) Math.min(3, (msg.getLong(MSGHDR + IOVEC + 8) - CMSG_HDR) / 4);
        }
        int[] received = new int[got];
        for (int k = 0; k < got; k++) received[k] = msg.getInt(MSGHDR + IOVEC + 8 + CMSG_HDR + 4L * k);
        Job job = pending.remove(msg.getLong(MSGHDR + IOVEC));
        try {
            if (job == null) return true; // its caller gave up: nothing to spawn
            int k = 0;
            for (int i = 0; i < 3; i++) if ((job.present & (1 << i)) != 0 && k < got) fds[i] = received[k++];
            try {
                job.pid.complete(spawnHere(fds, job.exe, job.search, job.argv, job.envp, job.workdir));
            } catch (Throwable t) {
                job.pid.completeExceptionally(t);
            }
            return true;
        } finally {
            for (int fd : received) LinuxNative.close(fd);
        }
    }

    /**
     * posix_spawn from the calling thread's table with {@code fds} on 0-2 ({@code -1}: /dev/null), in a
     * new session, signals at their defaults and unblocked, every other descriptor closed.
     */
    static int spawnHere(int[] fds, String exe, boolean search, Pointer argv, Pointer envp, String workdir) throws IOException {
        NativeBuf fa = NativeBuf.zeroed(LinuxNative.FILE_ACTIONS_SIZE);
        LinuxNative.posix_spawn_file_actions_init(fa);
        try {
            for (int i = 0; i < 3; i++) {
                if (fds[i] >= 0) LinuxNative.posix_spawn_file_actions_adddup2(fa, fds[i], i);
                else LinuxNative.posix_spawn_file_actions_addopen(fa, i, "/dev/null", i == 0 ? LinuxNative.O_RDONLY : LinuxNative.O_WRONLY, 0);
            }
            if (workdir != null) LinuxNative.posix_spawn_file_actions_addchdir_np(fa, workdir);
            LinuxNative.posix_spawn_file_actions_addclosefrom_np(fa, 3);
            int[] pid = new int[1];
            int rc = search
                    ? LinuxNative.posix_spawnp(pid, exe, fa, NativeSpawner.attributes(), argv, envp)
                    : LinuxNative.posix_spawn(pid, exe, fa, NativeSpawner.attributes(), argv, envp);
            if (rc != 0) throw new IOException(LinuxNative.describe(rc));
            return pid[0];
        } finally {
            LinuxNative.posix_spawn_file_actions_destroy(fa);
            fa.close();
        }
    }

    /**
     * Runs every branch of {@link #serveOne} and {@link #spawnHere} once while this thread still shares
     * the engine's table: descriptors on 0-2 and /dev/null, a working folder, a PATH search, an exec
     * failure, a job nobody waits for. After this nothing on the thread loads a class.
     */
    private void warmUp(NativeBuf msg) throws IOException {
        int[] own = new int[2]; // its own socket: the shared one may already be served by a thread that warmed up
        if (LinuxNative.socketpair(LinuxNative.AF_UNIX, LinuxNative.SOCK_SEQPACKET | LinuxNative.SOCK_CLOEXEC, 0, own) != 0) {
            throw new IOException("socketpair: " + LinuxNative.describe(LinuxNative.errno()));
        }
        int[] p = {-1, -1};
        if (LinuxNative.pipe2(p, LinuxNative.O_CLOEXEC) != 0) {
            LinuxNative.close(own[0]);
            LinuxNative.close(own[1]);
            throw new IOException("pipe2: " + LinuxNative.describe(LinuxNative.errno()));
        }
        try (NativeBuf av = CStrings.of(java.util.List.of("true")); NativeBuf ev = CStrings.of(java.util.List.of("PATH=/usr/bin:/bin"))) {
            Object[][] runs = {
                {new int[] {p[0], p[1], p[1]}, "/bin/true", false, null},
                {new int[] {-1, -1, -1}, "true", true, "/"},
                {new int[] {-1, p[1], -1}, "/nonexistent/sabot-warm-up", false, null},
            };
            for (Object[] r : runs) {
                Job job = submit(own[0], (int[]) r[0], (String) r[1], (Boolean) r[2], av, ev, (String) r[3]);
                if (!serveOne(msg, own[1])) throw new IOException("the spawn socket failed while warming up");
                try {
                    int pid = job.pid.join();
                    LinuxNative.waitpid(pid, new int[1], 0);
                } catch (java.util.concurrent.CompletionException expected) {
                    LinuxNative.describe(LinuxNative.ENOSYS); // the failure's words, loaded now
                }
            }
            send(own[0], ids.incrementAndGet(), new int[] {p[0], -1, -1}); // a job nobody waits for
            if (!serveOne(msg, own[1])) throw new IOException("the spawn socket failed while warming up");
        } finally {
            LinuxNative.close(p[0]);
            LinuxNative.close(p[1]);
            LinuxNative.close(own[0]);
            LinuxNative.close(own[1]);
        }
        new IOException("warm").getStackTrace();
    }

    /**
     * Lays out a message buffer (struct msghdr, then its one iovec, the 8-byte job number it points
     * to, then room for a control message of three descriptors): the iovec, and the control room
     * when {@code control}.
     */
    private static void frame(NativeBuf msg, boolean control) {
        long iov = Pointer.nativeValue(msg) + MSGHDR, data = iov + IOVEC;
        msg.setLong(MSGHDR, data);       // iov_base
        msg.setLong(MSGHDR + 8, 8);      // iov_len
        msg.setLong(16, iov);            // msg_iov
        msg.setLong(24, 1);              // msg_iovlen
        if (control) {
            msg.setLong(32, data + 8);   // msg_control
            msg.setLong(40, CMSG_SPACE_3); // msg_controllen
        }
    }

    /** The job number and the child's descriptors, in one message (SOCK_SEQPACKET: one job, one message). */
    private static void send(int socket, long id, int[] childFds) throws IOException {
        int count = 0;
        try (NativeBuf msg = NativeBuf.zeroed(MSGHDR + IOVEC + 8 + CMSG_SPACE_3)) {
            msg.setLong(MSGHDR + IOVEC, id);
            long c = MSGHDR + IOVEC + 8;
            for (int i = 0; i < 3; i++) if (childFds[i] >= 0) msg.setInt(c + CMSG_HDR + 4L * count++, childFds[i]);
            frame(msg, count > 0);
            if (count > 0) {
                msg.setLong(c, CMSG_HDR + 4L * count);
                msg.setInt(c + 8, LinuxNative.SOL_SOCKET);
                msg.setInt(c + 12, LinuxNative.SCM_RIGHTS);
            }
            long sent;
            do {
                sent = LinuxNative.sendmsg(socket, msg, 0);
            } while (sent < 0 && LinuxNative.errno() == LinuxNative.EINTR);
            if (sent < 0) throw new IOException(LinuxNative.describe(LinuxNative.errno()));
        }
    }
}
