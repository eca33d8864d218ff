package io.sabot.process;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * Waits for every child the native launcher spawned, on one thread ({@code sabot-reaper}),
 * whatever their number: each child gets a pidfd ({@code pidfd_open}) in one epoll set; a pidfd
 * becomes readable when its process exits, and the thread then reaps exactly that pid with
 * {@code waitpid(pid, WNOHANG)} and hands the exit value to the child's callback. The JDK instead
 * parks one "process reaper" thread per live child.
 *
 * <p>Guarantees: a callback runs once, on the reaper thread, right after the child is reaped
 * (held by {@code NativeProcessTest.exitIsReportedOnceWithItsStatus}); only pids registered here are
 * ever waited for, so children of {@link ProcessBuilder} in the same JVM are left to the JDK.
 * Callbacks complete futures whose dependents run elsewhere, except for an exit found alone
 * ({@link LoneExit}): the engine handles that one here, and may hold this thread for a respawn.
 */
final class Reaper implements Runnable {
    private static final System.Logger LOG = System.getLogger("io.sabot.process");
    private static final int MAX_EVENTS = 64;

    private record Child(int pid, int pidfd, IntConsumer onExit) {}

    private final int epfd;
    private final Map<Integer, Child> byPidfd = new ConcurrentHashMap<>();
    private final NativeBuf events = new NativeBuf((long) LinuxNative.EPOLL_EVENT_SIZE * MAX_EVENTS);
    private final NativeBuf event = NativeBuf.zeroed(LinuxNative.EPOLL_EVENT_SIZE);

    Reaper() throws IOException {
        epfd = LinuxNative.epoll_create1(LinuxNative.O_CLOEXEC);
        if (epfd < 0) throw new IOException("epoll_create1: " + LinuxNative.describe(LinuxNative.errno()));
        Thread t = new Thread(null, this, "sabot-reaper", 256 * 1024);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Watches {@code pid} (a child of this JVM, not yet reaped: it may already have exited) and
     * calls {@code onExit} with its exit value (the code, or 128 + signal) once it is reaped.
     */
    void watch(int pid, IntConsumer onExit) throws IOException {
        long fd = LinuxNative.syscall(LinuxNative.SYS_PIDFD_OPEN, pid, 0);
        if (fd < 0) throw new IOException("pidfd_open(" + pid + "): " + LinuxNative.describe(LinuxNative.errno()));
        int pidfd = (int) fd;
        LinuxNative.fcntl(pidfd, LinuxNative.F_SETFD, LinuxNative.FD_CLOEXEC);
        byPidfd.put(pidfd, new Child(pid, pidfd, onExit));
        synchronized (event) {
            event.setInt(0, LinuxNative.EPOLLIN);
            event.setLong(LinuxNative.EPOLL_DATA_OFFSET, pidfd);
            if (LinuxNative.epoll_ctl(epfd, LinuxNative.EPOLL_CTL_ADD, pidfd, event) != 0) {
                int err = LinuxNative.errno();
                byPidfd.remove(pidfd);
                LinuxNative.close(pidfd);
                throw new IOException("epoll_ctl(pidfd): " + LinuxNative.describe(err));
            }
        }
    }

    /** Children being watched (for tests and diagnostics). */
    int watching() { return byPidfd.size(); }

    @Override
    public void run() {
        int[] status = new int[1];
        while (true) {
            int n = LinuxNative.epoll_wait(epfd, events, MAX_EVENTS, -1);
            if (n < 0) {
                if (LinuxNative.errno() == LinuxNative.EINTR) continue;
                LOG.log(System.Logger.Level.WARNING, "reaper: epoll_wait failed: " + LinuxNative.describe(LinuxNative.errno()));
                return;
            }
            for (int i = 0; i < n; i++) {
                int pidfd = (int) events.getLong((long) i * LinuxNative.EPOLL_EVENT_SIZE + LinuxNative.EPOLL_DATA_OFFSET);
                Child c = byPidfd.get(pidfd);
                if (c == null) continue;
                int r = LinuxNative.waitpid(c.pid, status, LinuxNative.WNOHANG);
                if (r == 0) continue; // not yet (cannot happen once the pidfd is readable, but harmless)
                int exit = r == c.pid ? LinuxNative.exitValue(status[0]) : 128 + 9; // ECHILD: someone else reaped it; report a kill
                byPidfd.remove(pidfd);
                LinuxNative.epoll_ctl(epfd, LinuxNative.EPOLL_CTL_DEL, pidfd, null);
                LinuxNative.close(pidfd);
                try {
                    if (n == 1) LoneExit.handOver(() -> c.onExit.accept(exit));
                    else c.onExit.accept(exit);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "reaper: exit callback of pid " + c.pid + " failed: " + e);
                }
            }
        }
    }
}
