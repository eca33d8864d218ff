package io.sabot.metrics;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Samples CPU, RSS and thread count of processes, and host CPU and memory.
 *
 * <p>On Linux each process costs one read of {@code /proc/<pid>/stat} (utime, stime, num_threads
 * and rss are all there) into a reused buffer, parsed without allocating strings; the host costs
 * one read each of {@code /proc/stat} and {@code /proc/meminfo}. Elsewhere it falls back to OSHI.
 * CPU percentages come from the difference with the previous sample of the same pid, which the
 * sampler keeps; pids not passed to {@link #sampleAll} are forgotten.
 *
 * <p>Meant for one sampling thread; the methods are synchronized so other threads may call them too.
 */
public final class ProcSampler {
    private static final Path PROC = Path.of("/proc");

    private static final class Prev {
        long cpuTicks;
        long nanos;
        long starttime;
        long tick;
        final CpuWindow window = new CpuWindow();
    }

    private final boolean linux;
    private final long clockTicksPerSec;
    private final long pageSize;
    private final int cores = Runtime.getRuntime().availableProcessors();
    private final byte[] buf = new byte[4096];
    private final Map<Long, Prev> prev = new HashMap<>();
    private final Map<Long, String> statPaths = new HashMap<>();
    private long tick;
    private long hostPrevTotal = -1;
    private long hostPrevIdle;
    private OshiFallback oshi;

    public ProcSampler() {
        this.linux = Files.isReadable(PROC.resolve("self/stat"));
        // from libc (no getconf process, whose JDK reaper thread would linger for a minute)
        this.clockTicksPerSec = linux ? io.sabot.process.ProcStat.clockTicksPerSecond(100) : 100;
        this.pageSize = linux ? io.sabot.process.ProcStat.pageSize(4096) : 4096;
    }

    /** Whether samples come from /proc directly (true on Linux) or from OSHI. */
    public boolean usesProcfs() {
        return linux;
    }

    /**
     * Samples each pid. Pids that do not exist (or cannot be read) are absent from the result.
     * State kept for pids not in {@code pids} is dropped.
     */
    public synchronized Map<Long, ProcessSample> sampleAll(Collection<Long> pids) {
        Map<Long, ProcessSample> out = new HashMap<>(Math.max(16, pids.size() * 2));
        if (!linux) {
            if (oshi == null) oshi = new OshiFallback();
            oshi.sampleAll(pids, out);
            return out;
        }
        long now = System.currentTimeMillis();
        tick++;
        for (Long pid : pids) {
            ProcessSample s = sampleLinux(pid, now);
            if (s != null) out.put(pid, s);
        }
        if (prev.size() > out.size()) { // forget pids that were not asked for this time
            Iterator<Map.Entry<Long, Prev>> it = prev.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Long, Prev> e = it.next();
                if (e.getValue().tick != tick) {
                    it.remove();
                    statPaths.remove(e.getKey());
                }
            }
        }
        return out;
    }

    /** Drops what is kept about {@code pid} (its previous sample), e.g. once its process is gone. */
    public synchronized void forget(long pid) {
        prev.remove(pid);
        statPaths.remove(pid);
    }

    /** Samples one pid; null if it does not exist. */
    public synchronized ProcessSample sample(long pid) {
        if (!linux) {
            if (oshi == null) oshi = new OshiFallback();
            Map<Long, ProcessSample> out = new HashMap<>();
            oshi.sampleAll(java.util.List.of(pid), out);
            return out.get(pid);
        }
        return sampleLinux(pid, System.currentTimeMillis());
    }

    private ProcessSample sampleLinux(long pid, long nowMs) {
        String path = statPaths.computeIfAbsent(pid, p -> "/proc/" + p + "/stat");
        int n = readFile(path);
        if (n <= 0) {
            prev.remove(pid);
            statPaths.remove(pid);
            return null;
        }
        long nanos = System.nanoTime();
        // comm may contain spaces and parentheses: fields start after the last ')'
        int i = n - 1;
        while (i >= 0 && buf[i] != ')') i--;
        if (i < 0) return null;
        i += 2; // ") " -> field 3 (state)
        // field numbers (1-based, man 5 proc): 14 utime, 15 stime, 20 num_threads, 22 starttime, 24 rss
        int field = 3;
        long utime = 0, stime = 0, threads = 0, starttime = 0, rssPages = 0;
        while (i < n && field <= 24) {
            if (field == 14 || field == 15 || field == 20 || field == 22 || field == 24) {
                long v = 0;
                boolean neg = false;
                if (buf[i] == '-') { neg = true; i++; }
                while (i < n && buf[i] >= '0' && buf[i] <= '9') v = v * 10 + (buf[i++] - '0');
                if (neg) v = -v;
                switch (field) {
                    case 14: utime = v; break;
                    case 15: stime = v; break;
                    case 20: threads = v; break;
                    case 22: starttime = v; break;
                    default: rssPages = v; break;
                }
            } else {
                while (i < n && buf[i] != ' ') i++;
            }
            while (i < n && buf[i] == ' ') i++;
            field++;
        }
        if (field <= 24) return null; // truncated
        long ticks = utime + stime;
        Prev p = prev.get(pid);
        double cpu = 0;
        if (p == null || p.starttime != starttime) { // new, or the pid was reused
            p = new Prev();
            prev.put(pid, p);
        }
        // over a sliding 10 s window: 10 ms ticks make a 1 s difference flicker between 0 and 1-2 %
        cpu = p.window.add(nanos, ticks * (1_000_000_000L / clockTicksPerSec));
        p.cpuTicks = ticks;
        p.nanos = nanos;
        p.starttime = starttime;
        p.tick = tick;
        return new ProcessSample(pid, cpu, rssPages * pageSize, (int) threads, nowMs);
    }

    /** Host CPU (since the previous call) and memory. */
    public synchronized HostSample sampleHost() {
        long now = System.currentTimeMillis();
        if (!linux) {
            if (oshi == null) oshi = new OshiFallback();
            return oshi.host(now);
        }
        double cpu = 0;
        int n = readFile("/proc/stat");
        if (n > 0) {
            // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
            int i = 3;
            long total = 0, idle = 0;
            for (int f = 0; f < 8 && i < n; f++) {
                while (i < n && buf[i] == ' ') i++;
                long v = 0;
                while (i < n && buf[i] >= '0' && buf[i] <= '9') v = v * 10 + (buf[i++] - '0');
                total += v;
                if (f == 3 || f == 4) idle += v; // idle + iowait
            }
            if (hostPrevTotal >= 0 && total > hostPrevTotal) {
                cpu = 100.0 * ((total - hostPrevTotal) - (idle - hostPrevIdle)) / (total - hostPrevTotal);
            }
            hostPrevTotal = total;
            hostPrevIdle = idle;
        }
        long memTotal = 0, memAvail = 0;
        n = readFile("/proc/meminfo");
        if (n > 0) {
            memTotal = meminfo(n, "MemTotal:") * 1024;
            memAvail = meminfo(n, "MemAvailable:") * 1024;
        }
        return new HostSample(Math.max(0, Math.min(100, cpu)), cores, memTotal, memAvail, now);
    }

    private long meminfo(int n, String key) {
        int k = key.length();
        outer:
        for (int i = 0; i + k < n; i++) {
            if (i > 0 && buf[i - 1] != '\n') continue;
            for (int j = 0; j < k; j++) if (buf[i + j] != key.charAt(j)) continue outer;
            int p = i + k;
            while (p < n && buf[p] == ' ') p++;
            long v = 0;
            while (p < n && buf[p] >= '0' && buf[p] <= '9') v = v * 10 + (buf[p++] - '0');
            return v;
        }
        return 0;
    }

    /** Reads up to buf.length bytes of a file into buf; -1 if it cannot be read. */
    private int readFile(String path) {
        try (InputStream in = new FileInputStream(path)) {
            int total = 0;
            int r;
            while (total < buf.length && (r = in.read(buf, total, buf.length - total)) > 0) total += r;
            return total;
        } catch (IOException e) {
            return -1;
        }
    }

    /** OSHI-backed sampling for platforms without procfs. Loaded only there. */
    private static final class OshiFallback {
        private final oshi.SystemInfo si = new oshi.SystemInfo();
        private final oshi.software.os.OperatingSystem os = si.getOperatingSystem();
        private final oshi.hardware.CentralProcessor cpu = si.getHardware().getProcessor();
        private final oshi.hardware.GlobalMemory mem = si.getHardware().getMemory();
        private final Map<Long, oshi.software.os.OSProcess> last = new HashMap<>();
        private long[] lastTicks;

        void sampleAll(Collection<Long> pids, Map<Long, ProcessSample> out) {
            long now = System.currentTimeMillis();
            Map<Long, oshi.software.os.OSProcess> next = new HashMap<>();
            for (Long pid : pids) {
                oshi.software.os.OSProcess p = os.getProcess(pid.intValue());
                if (p == null) continue;
                oshi.software.os.OSProcess before = last.get(pid);
                double load = before == null ? 0 : p.getProcessCpuLoadBetweenTicks(before);
                next.put(pid, p);
                out.put(pid, new ProcessSample(pid, load * 100.0, p.getResidentSetSize(), p.getThreadCount(), now));
            }
            last.clear();
            last.putAll(next);
        }

        HostSample host(long now) {
            double load = 0;
            if (lastTicks != null) load = cpu.getSystemCpuLoadBetweenTicks(lastTicks) * 100.0;
            lastTicks = cpu.getSystemCpuLoadTicks();
            return new HostSample(load, cpu.getLogicalProcessorCount(), mem.getTotal(), mem.getAvailable(), now);
        }
    }
}
