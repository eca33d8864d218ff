package io.sabot.host;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Where an engine's start spends its time: wall and this thread's CPU per phase, one line through
 * the logger at the end, only with {@code SABOT_DEBUG} set. Under load the two differ a lot: CPU is
 * the work on the path, wall minus CPU is waiting (for a core, a lock, a disk).
 */
final class StartupClock {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final boolean on = System.getenv("SABOT_DEBUG") != null;
    private final StringBuilder phases = new StringBuilder();
    private final long start = System.nanoTime();
    private long wall = start;
    private long cpu = on ? THREADS.getCurrentThreadCpuTime() : 0;
    // the JVM's start, re-exec, CLI parsing and class loading up to here
    private final String before = on ? "jvm=" + ManagementFactory.getRuntimeMXBean().getUptime() + "ms/cpu" + cpu / 1_000_000 : "";

    /** Ends the phase called {@code name}. */
    void lap(String name) {
        if (!on) return;
        long w = System.nanoTime(), c = THREADS.getCurrentThreadCpuTime();
        phases.append(' ').append(name).append('=').append((w - wall) / 1_000_000).append("ms/cpu").append((c - cpu) / 1_000_000);
        wall = w;
        cpu = c;
    }

    void print(String role) {
        if (on) System.getLogger("io.sabot.host").log(System.Logger.Level.INFO, role + ": start phases (wall/cpu ms): " + before + phases + " total=" + (System.nanoTime() - start) / 1_000_000 + "ms");
    }
}
