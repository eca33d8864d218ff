package io.sabot.forensics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel says about its OOM killer: the system-wide {@code oom_kill} counter in
 * {@code /proc/vmstat}, and a process's cgroup v2 {@code memory.events} {@code oom_kill} counter.
 * Each answers -1 where the kernel does not tell (older kernels, cgroup v1, no permission).
 */
final class OomProbe {
    private final Path proc;
    private final Path cgroupRoot;
    /**
     * Per cgroup folder: whether it has memory.events, and its last oom_kill reading with when it was
     * read. A bulk start of 1,000 agents in one cgroup read the same two files 1,000 times (issue 13);
     * a reading 100 ms old is as good a "before" for a death seconds or days later. Used by the
     * forensics thread only.
     */
    private final java.util.Map<Path, long[]> seen = new java.util.HashMap<>();
    private static final long FRESH_NANOS = 100_000_000L;

    OomProbe() { this(Path.of("/proc"), Path.of("/sys/fs/cgroup")); }

    OomProbe(Path proc, Path cgroupRoot) {
        this.proc = proc;
        this.cgroupRoot = cgroupRoot;
    }

    /** {@code oom_kill} of /proc/vmstat: OOM kills since boot, or -1. */
    long systemOomKills() {
        return counter(proc.resolve("vmstat"), "oom_kill");
    }

    /** The cgroup v2 folder of a live process (from the {@code 0::/path} line of /proc/PID/cgroup), or null. */
    Path cgroupOf(long pid) {
        try {
            for (String l : Files.readAllLines(proc.resolve(Long.toString(pid)).resolve("cgroup"))) {
                if (l.startsWith("0::")) {
                    String rel = l.substring(3);
                    Path p = cgroupRoot.resolve(rel.startsWith("/") ? rel.substring(1) : rel);
                    long[] known = seen.get(p);
                    if (known != null) return p;
                    if (!Files.isRegularFile(p.resolve("memory.events"))) return null;
                    if (seen.size() > 10_000) seen.clear(); // agents in cgroups of their own, many gone since
                    seen.put(p, new long[] {-1, 0});
                    return p;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone already, or no cgroup v2
        }
        return null;
    }

    /** {@code oom_kill} of a cgroup's memory.events, or -1. */
    long cgroupOomKills(Path cgroup) {
        if (cgroup == null) return -1;
        long[] known = seen.get(cgroup);
        long now = System.nanoTime();
        if (known != null && known[0] >= 0 && now - known[1] < FRESH_NANOS) return known[0];
        long v = counter(cgroup.resolve("memory.events"), "oom_kill");
        if (known != null) {
            known[0] = v;
            known[1] = now;
        }
        return v;
    }

    /** {@code oom_kill} of a cgroup's memory.events read now (at a death: never the cached "before"). */
    long cgroupOomKillsNow(Path cgroup) {
        return cgroup == null ? -1 : counter(cgroup.resolve("memory.events"), "oom_kill");
    }

    /** The value of a {@code name value} line of a kernel counter file, or -1. */
    static long counter(Path file, String name) {
        try {
            return find(Files.readAllBytes(file), name);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The value of the line {@code NAME VALUE} in {@code text}, or -1: found in the bytes, without a
     * String per line. /proc/vmstat has ~180 lines and is read every second (the counter before a
     * death); split into lines it was the forensics thread's whole idle cost (issue 13).
     */
    static long find(byte[] text, String name) {
        byte[] key = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int at = 0; at < text.length; ) {
            int end = at;
            while (end < text.length && text[end] != '\n') end++;
            if (end - at > key.length && text[at + key.length] == ' ' && java.util.Arrays.equals(text, at, at + key.length, key, 0, key.length)) {
                long v = 0;
                int i = at + key.length + 1, digits = 0;
                while (i < end && text[i] == ' ') i++;
                for (; i < end && text[i] >= '0' && text[i] <= '9'; i++, digits++) v = v * 10 + (text[i] - '0');
                return digits == 0 || digits > 18 ? -1 : v;
            }
            at = end + 1;
        }
        return -1;
    }
}
