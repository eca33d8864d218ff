package io.sabot.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about a live process from /proc (Linux): start time (to tell a pid from a reused one), group, memory, CPU. */
public final class ProcStat {
    /** Clock ticks per second (USER_HZ): 100 on every Linux that matters. */
    public static final long HZ = 100;
    static final long PAGE = 4096;

    private ProcStat() {}

    /** sysconf(_SC_CLK_TCK): clock ticks per second of /proc's CPU times; {@code dflt} where it cannot be asked. */
    public static long clockTicksPerSecond(long dflt) { return sysconf(2, dflt); }

    /** sysconf(_SC_PAGESIZE): bytes per page of /proc's rss; {@code dflt} where it cannot be asked. */
    public static long pageSize(long dflt) { return sysconf(30, dflt); }

    private static long sysconf(int name, long dflt) {
        if (LinuxNative.problem() != null) return dflt;
        long v = LinuxNative.sysconf(name);
        return v > 0 ? v : dflt;
    }

    /** Fields of /proc/PID/stat after the command name (index 0 is field 3, the state), or null if it is gone. */
    static String[] fields(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The sum of the given fields (indexes as in {@link #fields}), or -1. */
    private static long sum(long pid, int... indexes) {
        String[] f = fields(pid);
        if (f == null) return -1;
        try {
            long total = 0;
            for (int i : indexes) total += Long.parseLong(f[i]);
            return total;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * The wall-clock time of a start in clock ticks since boot, computed as the JDK's
     * {@code ProcessHandle.Info.startInstant()} does on Linux (boot time from /proc/stat's btime in
     * whole seconds, plus ticks / HZ in milliseconds), so that the two compare equal; null if unknown.
     * ProcStatStartTest holds the equality.
     */
    public static java.time.Instant startInstant(long ticks) {
        long boot = bootTimeMs();
        return ticks < 0 || boot < 0 ? null : java.time.Instant.ofEpochMilli(boot + ticks * 1000 / TICKS);
    }

    private static final long TICKS = clockTicksPerSecond(HZ);
    private static volatile long bootMs = -1;

    /** /proc/stat's btime in milliseconds (read once: the boot time does not move), or -1. */
    static long bootTimeMs() {
        long b = bootMs;
        if (b >= 0) return b;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/stat"))) {
                if (l.startsWith("btime ")) return bootMs = Long.parseLong(l.substring(6).trim()) * 1000;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc
        }
        return -1;
    }

    /** Start time of {@code pid} in clock ticks since boot (field 22), or -1. Read on every spawn: parsed in place. */
    public static long startTicks(long pid) { return field(pid, 22); }

    /**
     * One numeric field of /proc/PID/stat (numbered as in proc(5): 1 is the pid) without building
     * strings, or -1. Fields after the command name only (from 3).
     */
    static long field(long pid, int number) {
        byte[] b = new byte[512];
        int n = 0;
        try (java.io.FileInputStream in = new java.io.FileInputStream("/proc/" + pid + "/stat")) {
            int r;
            while (n < b.length && (r = in.read(b, n, b.length - n)) > 0) n += r;
        } catch (IOException e) {
            return -1;
        }
        int i = n - 1;
        while (i >= 0 && b[i] != ')') i--; // the command name may hold spaces and parentheses
        if (i < 0) return -1;
        int f = 2;
        for (i++; i < n && f < number; i++) if (b[i] == ' ') f++;
        if (f != number) return -1;
        long v = 0;
        boolean any = false;
        for (; i < n && b[i] >= '0' && b[i] <= '9'; i++) {
            v = v * 10 + (b[i] - '0');
            any = true;
        }
        return any ? v : -1;
    }

    /** Process group of {@code pid} (field 5), or -1. */
    public static long pgid(long pid) { return sum(pid, 2); }

    /** Resident set size of {@code pid} in bytes (field 24, in pages), or -1. */
    public static long rssBytes(long pid) {
        long pages = sum(pid, 21);
        return pages < 0 ? -1 : pages * PAGE;
    }

    /** CPU time of {@code pid} (all its threads) in clock ticks: utime + stime (fields 14 and 15), or -1. */
    public static long cpuTicks(long pid) { return sum(pid, 11, 12); }

    /** True when {@code pid} runs and is the same process that started at {@code startTicks}. */
    public static boolean sameProcess(long pid, long startTicks) {
        return startTicks > 0 && startTicks(pid) == startTicks;
    }

    /**
     * Whether group {@code pgid} has a member that is not a zombie. kill(-pgid, 0) also counts
     * zombies, which a container's init may never reap, so the answer is checked against /proc.
     */
    public static boolean groupHasLiveMembers(long pgid) {
        if (!Signals.groupAlive(pgid)) return false;
        java.io.File[] procs = new java.io.File("/proc").listFiles();
        if (procs == null) return true;
        for (java.io.File f : procs) {
            String name = f.getName();
            if (name.isEmpty() || !Character.isDigit(name.charAt(0))) continue;
            String[] fl = fields(Long.parseLong(name)); // null: the process went away while we looked
            if (fl != null && Long.parseLong(fl[2]) == pgid && !fl[0].equals("Z") && !fl[0].equals("X")) return true;
        }
        return false;
    }
}
