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
            // /proc/thread-self links to PID/task/TID: the thread id without a per-architecture gettid number
            int tid = Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
            int now = currentNice(tid);
            if (now >= nice) return now;
            if (LinuxNative.setpriority(PRIO_PROCESS, tid, nice) != 0) return now;
            return currentNice(tid);
        } catch (java.io.IOException | RuntimeException | UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** The calling thread's nice value, or null where it cannot be read. */
    public static Integer ofCurrentThread() {
        try {
            return currentNice(Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString()));
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** The nice value of thread {@code tid} of this process (field 19 of its stat line). */
    static int currentNice(int tid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[16]); // fields after the name start at 3 (state); nice is field 19
    }
}
