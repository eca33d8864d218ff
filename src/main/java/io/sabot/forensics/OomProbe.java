package io.sabot.forensics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the kernel says about its OOM killer: the system-wide {@code oom_kill} counter in
 * {@code /proc/vmstat}, and a process's cgroup v2 {@code memory.events} {@code oom_kill} counter.
 * Each answers -1 where the kernel does not tell (older kernels, cgroup v1, no permission).
 */
final class OomProbe {
    private final Path proc;
    private final Path cgroupRoot;

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
                    return Files.isRegularFile(p.resolve("memory.events")) ? p : null;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone already, or no cgroup v2
        }
        return null;
    }

    /** {@code oom_kill} of a cgroup's memory.events, or -1. */
    long cgroupOomKills(Path cgroup) {
        return cgroup == null ? -1 : counter(cgroup.resolve("memory.events"), "oom_kill");
    }

    /** The value of a {@code name value} line of a kernel counter file, or -1. */
    static long counter(Path file, String name) {
        try {
            return parse(Files.readAllLines(file), name);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long parse(List<String> lines, String name) {
        for (String l : lines) {
            int sp = l.indexOf(' ');
            if (sp > 0 && l.substring(0, sp).equals(name)) {
                try {
                    return Long.parseLong(l.substring(sp + 1).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
