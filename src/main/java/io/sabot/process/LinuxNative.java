package io.sabot.process;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few libc calls the process layer makes on Linux, bound with JNA's direct mapping (a static
 * native method per function: no proxy, no reflection per call). Only 64-bit Linux on x86-64 and
 * aarch64 is supported (the epoll_event layout differs); {@link #problem()} says why not elsewhere,
 * and the launcher then falls back to {@link ProcessBuilder}.
 *
 * <p>Guarantee: if {@link #problem()} is null, every function below was found, pidfd_open works on
 * this kernel, and posix_spawn supports closefrom and chdir file actions (glibc 2.34+).
 */
final class LinuxNative {
    // fcntl / open flags (asm-generic, same on x86-64 and aarch64)
    static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    static final int F_GETFD = 1, F_SETFD = 2, FD_CLOEXEC = 1;
    static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    static final int EPOLLIN = 0x1, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10;
    static final int EINTR = 4, EAGAIN = 11, ECHILD = 10, EPIPE = 32, ENOSYS = 38, ESRCH = 3, EMFILE = 24, ENFILE = 23;
    static final int WNOHANG = 1;
    static final int EFD_CLOEXEC = 0x80000, EFD_NONBLOCK = 0x800;
    static final long SYS_PIDFD_OPEN = 434; // the same number on every architecture since Linux 5.3
    // posix_spawnattr flags (glibc)
    static final short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08, POSIX_SPAWN_SETSID = 0x80;
    static final int SIG_SETMASK = 2;
    /** sizeof(epoll_event): packed on x86-64 (12 bytes), naturally aligned elsewhere (16). */
    static final int EPOLL_EVENT_SIZE = Platform.isIntel() ? 12 : 16;
    static final int EPOLL_DATA_OFFSET = Platform.isIntel() ? 4 : 8;
    /** Generous sizes for opaque glibc types (actual: file actions 80, attr 336, sigset 128 bytes). */
    static final int FILE_ACTIONS_SIZE = 256, SPAWNATTR_SIZE = 512, SIGSET_SIZE = 128;

    private static final String PROBLEM = probe();

    private LinuxNative() {}

    /** Null when the native process layer can be used here, else why not (for the log). */
    static String problem() { return PROBLEM; }

    /**
     * JNA's NativeLibrary runs {@code ldconfig -p} in its static initializer on Linux (a process at
     * every daemon start, and a JDK reaper thread that lingers for a minute) unless this property
     * names the system's library folders; we load libc by its soname anyway. Call before JNA loads.
     */
    static void avoidLdconfig() {
        if (System.getProperty("jna.platform.library.path") != null || !Platform.isLinux()) return;
        String triple = (Platform.isIntel() ? "x86_64" : Platform.isARM() ? "aarch64" : Platform.ARCH) + "-linux-gnu";
        System.setProperty("jna.platform.library.path",
                "/usr/lib/" + triple + ":/lib/" + triple + ":/usr/lib64:/lib64:/usr/lib:/lib");
    }

    private static String probe() {
        try {
            avoidLdconfig();
            if (!Platform.isLinux() || !Platform.is64Bit() || !(Platform.isIntel() || Platform.isARM())) {
                return "native process layer needs 64-bit Linux on x86-64 or aarch64 (this is " + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")";
            }
            NativeLibrary c = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
            Native.register(LinuxNative.class, c);
            // glibc 2.34+ / 2.29+ file actions: without closefrom the agents would inherit every descriptor of the JVM
            c.getFunction("posix_spawn_file_actions_addclosefrom_np");
            c.getFunction("posix_spawn_file_actions_addchdir_np");
            long fd = syscall(SYS_PIDFD_OPEN, getpid(), 0);
            if (fd < 0) return "pidfd_open is not available on this kernel (errno " + Native.getLastError() + ")";
            close((int) fd);
            return null;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "native process layer unavailable: " + e.getMessage();
        }
    }

    // ---- descriptors ---------------------------------------------------------------------------
    static native int pipe2(int[] fds, int flags);
    static native int close(int fd);
    static native long read(int fd, Pointer buf, long count);
    static native long write(int fd, Pointer buf, long count);
    static native int fcntl(int fd, int cmd, int arg);
    static native int eventfd(int initval, int flags);

    // ---- epoll ---------------------------------------------------------------------------------
    static native int epoll_create1(int flags);
    static native int epoll_ctl(int epfd, int op, int fd, Pointer event);
    static native int epoll_wait(int epfd, Pointer events, int maxevents, int timeout);

    // ---- processes -----------------------------------------------------------------------------
    static native int getpid();
    static native long sysconf(int name);
    static native long syscall(long number, long a1, long a2);
    static native int waitpid(int pid, int[] status, int options);
    static native int execve(String path, Pointer argv, Pointer envp);
    static native int sigprocmask(int how, Pointer set, Pointer old);
    static native int setpriority(int which, int who, int prio);
    static native String strerror(int errnum);

    // a spawning thread with a descriptor table of its own (SpawnThread)
    static final int CLONE_FILES = 0x400;
    static final int AF_UNIX = 1, SOCK_SEQPACKET = 5, SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1, SCM_RIGHTS = 1, MSG_CMSG_CLOEXEC = 0x40000000;
    static native int unshare(int flags);
    static native int close_range(int first, int last, int flags);
    static native int socketpair(int domain, int type, int protocol, int[] sv);
    static native long sendmsg(int fd, Pointer msg, int flags);
    static native long recvmsg(int fd, Pointer msg, int flags);

    static native int posix_spawn(int[] pid, String path, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp);
    static native int posix_spawnp(int[] pid, String file, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp);
    static native int posix_spawn_file_actions_init(Pointer fa);
    static native int posix_spawn_file_actions_destroy(Pointer fa);
    static native int posix_spawn_file_actions_adddup2(Pointer fa, int fd, int newfd);
    static native int posix_spawn_file_actions_addopen(Pointer fa, int fd, String path, int oflag, int mode);
    static native int posix_spawn_file_actions_addchdir_np(Pointer fa, String path);
    static native int posix_spawn_file_actions_addclosefrom_np(Pointer fa, int from);
    static native int posix_spawnattr_init(Pointer attr);
    static native int posix_spawnattr_destroy(Pointer attr);
    static native int posix_spawnattr_setflags(Pointer attr, short flags);
    static native int posix_spawnattr_setsigmask(Pointer attr, Pointer set);
    static native int posix_spawnattr_setsigdefault(Pointer attr, Pointer set);
    static native int sigemptyset(Pointer set);
    static native int sigaddset(Pointer set, int sig);

    /** errno of the last native call on this thread. */
    static int errno() { return Native.getLastError(); }

    /** "No such file or directory" for ENOENT, and so on. */
    static String describe(int errnum) {
        try {
            String s = strerror(errnum);
            return s == null ? "errno " + errnum : s;
        } catch (RuntimeException e) {
            return "errno " + errnum;
        }
    }

    /** The exit value as Java's Process reports it: the exit code, or 128 + the signal that ended it. */
    static int exitValue(int waitStatus) {
        int sig = waitStatus & 0x7f;
        return sig == 0 ? (waitStatus >> 8) & 0xff : 128 + sig;
    }

    /** A sigset with every catchable signal 1..31 (the ones a child should see at their defaults). */
    static NativeBuf allCatchableSignals() {
        NativeBuf set = NativeBuf.zeroed(SIGSET_SIZE);
        sigemptyset(set);
        for (int s = 1; s < 32; s++) if (s != 9 && s != 19) sigaddset(set, s);
        return set;
    }

    static NativeBuf emptySignals() {
        NativeBuf set = NativeBuf.zeroed(SIGSET_SIZE);
        sigemptyset(set);
        return set;
    }
}
