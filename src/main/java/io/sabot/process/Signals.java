package io.sabot.process;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Signals to processes and process groups through libc's kill(2) (JNA comes with OSHI). Java's
 * ProcessHandle can only signal one process, not a group, and only TERM/KILL.
 */
public final class Signals {
    public enum Sig {
        TERM(15, 15), KILL(9, 9), STOP(19, 17), CONT(18, 19), INT(2, 2);
        final int linux, bsd;
        Sig(int linux, int bsd) { this.linux = linux; this.bsd = bsd; }
        int number() { return Platform.isLinux() ? linux : bsd; }
    }

    private interface LibC extends Library {
        int kill(int pid, int sig);
    }

    // by its soname (libc.so.6), and without JNA's ldconfig -p (see LinuxNative.avoidLdconfig)
    private static final LibC C = load();

    private static LibC load() {
        LinuxNative.avoidLdconfig();
        return Native.load(Platform.C_LIBRARY_NAME, LibC.class);
    }
    private static final int ESRCH = 3;

    private Signals() {}

    /** Sends {@code sig} to one process; false if it does not exist. */
    public static boolean process(long pid, Sig sig) {
        return C.kill((int) pid, sig.number()) == 0;
    }

    /** Sends {@code sig} to every process of group {@code pgid}; false if the group is empty. */
    public static boolean group(long pgid, Sig sig) {
        if (pgid <= 1) throw new IllegalArgumentException("refusing to signal process group " + pgid);
        return C.kill((int) -pgid, sig.number()) == 0;
    }

    /** Whether any process (zombies included) is still in group {@code pgid}. */
    public static boolean groupAlive(long pgid) {
        if (pgid <= 1) return false;
        if (C.kill((int) -pgid, 0) == 0) return true;
        return Native.getLastError() != ESRCH;
    }

    /** Human name for a signal number as reported by Java's exit value (128 + n). */
    public static String name(int number) {
        switch (number) {
            case 1: return "SIGHUP";
            case 2: return "SIGINT";
            case 3: return "SIGQUIT";
            case 4: return "SIGILL";
            case 6: return "SIGABRT";
            case 7: return "SIGBUS";
            case 8: return "SIGFPE";
            case 9: return "SIGKILL";
            case 11: return "SIGSEGV";
            case 13: return "SIGPIPE";
            case 14: return "SIGALRM";
            case 15: return "SIGTERM";
            default: return "SIG" + number;
        }
    }
}
