package io.sabot.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about a live process from /proc (Linux): its start time, to tell a pid from a reused one. */
public final class ProcStat {
    private ProcStat() {}

    /** Start time of {@code pid} in clock ticks since boot (field 22 of /proc/PID/stat), or -1. */
    public static long startTicks(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident set size of {@code pid} in bytes (field 24 of /proc/PID/stat, in pages), or -1. */
    public static long rssBytes(long pid) {
        long pages = field(pid, 21);
        return pages < 0 ? -1 : pages * PAGE;
    }

    /** CPU time of {@code pid} (all its threads) in clock ticks: utime + stime, or -1. */
    public static long cpuTicks(long pid) {
        String[] f = fields(pid);
        try {
            return f == null ? -1 : Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Clock ticks per second (USER_HZ): 100 on every Linux that matters. */
    public static final long HZ = 100;
    static final long PAGE = 4096;

    /** Process group of {@code pid} (field 5), or -1. */
    public static long pgid(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[2]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

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
