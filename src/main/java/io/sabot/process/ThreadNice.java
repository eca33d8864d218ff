package io.sabot.process;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A thread's own scheduling priority. On Linux the nice value is per thread, and any thread may
 * lower its own priority (raise its nice) without privileges; only raising it back needs them. The
 * console's event-stream thread parses the engine's events beside the FX thread; in a bulk restart
 * of 1,000 both wait for the same two cores, and the frames are what the user sees
 * (docs/benchmarks.md, "Console frames and the collector"). Held by {@code ThreadNiceTest}.
 */
public final class ThreadNice {
    private static final int PRIO_PROCESS = 0;

    private ThreadNice() {}

    /**
     * Raises the calling thread's nice value to {@code nice} (lower priority) if it is below it.
     * Returns the thread's nice value after the call, or null where it cannot be read or set (not
     * Linux, no native layer).
     */
    public static Integer lowerCurrentThread(int nice) {
        if (LinuxNative.problem() != null) return null;
        try {
            int tid = currentTid();
            Integer now = niceOf(tid);
            if (now == null || now >= nice) return now;
            if (LinuxNative.setpriority(PRIO_PROCESS, tid, nice) != 0) return now;
            return niceOf(tid);
        } catch (java.io.IOException | RuntimeException | UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** The calling thread's nice value, or null where it cannot be read. */
    public static Integer ofCurrentThread() {
        try {
            return niceOf(currentTid());
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** The calling thread's id: /proc/thread-self links to PID/task/TID (no per-architecture gettid number). */
    private static int currentTid() throws java.io.IOException {
        return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    }

    /** The nice value of thread {@code tid} (field 19 of /proc/TID/stat, which a thread id opens too), or null. */
    private static Integer niceOf(int tid) {
        String[] f = ProcStat.fields(tid);
        return f == null ? null : Integer.valueOf(f[16]); // ProcStat.fields starts at field 3
    }
}
