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

    private Path own;
    private long ownReadNanos;
    private boolean ownKnown;

    /** The engine's own cgroup folder ({@link #cgroupOf} of this process), read at most once every 10 s. */
    Path ownCgroup() {
        long now = System.nanoTime();
        if (!ownKnown || now - ownReadNanos > 10_000_000_000L) {
            own = cgroupOf(ProcessHandle.current().pid());
            ownReadNanos = now;
            ownKnown = true;
        }
        return own;
    }

    /** Reused for /proc/PID/cgroup: the forensics thread reads one per spawn (see {@link #seen}). */
    private final byte[] buf = new byte[4096];

    /**
     * The cgroup v2 folder of a live process (from the {@code 0::/path} line of /proc/PID/cgroup), or
     * null. Read into one reused buffer: a line reader per spawn was a tenth of what a restart of
     * 1,000 agents allocated (16 KB of buffers for a 13-line file; issue 13).
     */
    Path cgroupOf(long pid) {
        int n = 0;
        try (java.io.FileInputStream in = new java.io.FileInputStream(proc.resolve(Long.toString(pid)).resolve("cgroup").toFile())) {
            for (int r; n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0; ) n += r;
        } catch (IOException | RuntimeException e) {
            return null; // gone already, or no /proc
        }
        for (int at = 0; at < n; ) {
            int end = at;
            while (end < n && buf[end] != '\n') end++;
            if (end - at >= 3 && buf[at] == '0' && buf[at + 1] == ':' && buf[at + 2] == ':') {
                String rel = new String(buf, at + 3, end - at - 3, java.nio.charset.StandardCharsets.UTF_8);
                return folder(rel);
            }
            at = end + 1;
        }
        return null; // no cgroup v2 line
    }

    private Path folder(String rel) {
        try {
            Path p = cgroupRoot.resolve(rel.startsWith("/") ? rel.substring(1) : rel);
            long[] known = seen.get(p);
            if (known != null) return p;
            if (!Files.isRegularFile(p.resolve("memory.events"))) return null;
            if (seen.size() > 10_000) seen.clear(); // agents in cgroups of their own, many gone since
            seen.put(p, new long[] {-1, 0});
            return p;
        } catch (RuntimeException e) {
            return null;
        }
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
