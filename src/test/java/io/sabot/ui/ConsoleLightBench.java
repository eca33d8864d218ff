package io.sabot.ui;

import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import io.sabot.testing.Procs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's console benchmark, with real processes: the packaged console ({@code java -jar
 * target/sabot.jar console}, which starts its tuned JVM) on a private Xvfb display,
 * <ol>
 *   <li>with the demo fleet (hosting the engine), idle: CPU over a window after a settle time, RSS;</li>
 *   <li>attached to a daemon running 1,000 {@code sleep} instances: the same figures;</li>
 *   <li>during {@code sabot agents restart --all} of those 1,000: the console's frames (the FX thread
 *       probed every 20 ms; any frame or task longer than 50 ms shows as a late probe).</li>
 * </ol>
 * CPU is the console process's own (all its threads, from /proc/PID/schedstat in ns, checked
 * against /proc/PID/stat), so other load on the machine does not inflate it; the load average is
 * printed beside. Run (see docs/benchmarks.md):
 * {@code mvn -q -B -o package -DskipTests && mvn -q -B -o -Pbench test -Dtest=ConsoleLightBench -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.settle=120 -Dbench.window=60} are the defaults; {@code -Dbench.instances=1000}).
 */
@Tag("bench")
class ConsoleLightBench {
    static final long SETTLE_S = Long.getLong("bench.settle", 120);
    static final long WINDOW_S = Long.getLong("bench.window", 60);
    static final int INSTANCES = Integer.getInteger("bench.instances", 1000);
    @TempDir
    Path dir;

    @Test
    void idleDemoAttachedThousandAndBulkRestartFrames() throws Exception {
        Path jar = Path.of(System.getProperty("sabot.jar", "target/sabot.jar"));
        if (!Files.isRegularFile(jar)) throw new IllegalStateException(jar + " is missing: run mvn -q -B -o package -DskipTests first");
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "console benchmark: settle %d s, window %d s, %d cores, load average at start %.1f",
                SETTLE_S, WINDOW_S, Runtime.getRuntime().availableProcessors(), load()));
        Process xvfb = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "1600x1000x24", "-nolisten", "tcp")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String display = ":" + new BufferedReader(new InputStreamReader(xvfb.getInputStream())).readLine().trim();
            // 1. the demo fleet, the console hosting the engine
            Path demoHome = dir.resolve("demo");
            Files.createDirectories(demoHome);
            Console demo = Console.start(jar, display, demoHome, dir.resolve("demo-frames.txt"), "--demo");
            try {
                Thread.sleep(SETTLE_S * 1000);
                report.add(demo.measure("demo fleet, idle", WINDOW_S));
            } finally {
                demo.close();
            }
            // 2. attached to a daemon running 1,000 sleep instances
            Path home = dir.resolve("daemon");
            Files.createDirectories(home);
            try (Daemon d = new Daemon(home)) {
                Path spec = dir.resolve("sleepers.json");
                int agents = Math.max(1, INSTANCES / 100);
                StringBuilder sb = new StringBuilder("{\"agents\":[");
                for (int i = 0; i < agents; i++) {
                    sb.append(i > 0 ? "," : "").append("{\"name\":\"sleeper").append(i).append("\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":")
                            .append(INSTANCES / agents).append(",\"stopGraceMs\":2000}");
                }
                Files.writeString(spec, sb.append("]}").toString());
                check(d.run("agents", "deploy", spec.toString()));
                check(d.run("agents", "start", "--all", "--timeout", "120"));
                Console attached = Console.start(jar, display, home, dir.resolve("attached-frames.txt"));
                try {
                    Thread.sleep(SETTLE_S * 1000);
                    report.add(attached.measure("attached to " + INSTANCES + " sleep instances, idle", WINDOW_S));
                    // 3. a bulk restart of all of them, watched by the console
                    Path probe = Path.of(attached.frames + ".run");
                    Files.writeString(probe, "");
                    Thread.sleep(2000);
                    long t0 = System.currentTimeMillis();
                    check(d.run("agents", "restart", "--all", "--timeout", "300"));
                    long t1 = System.currentTimeMillis();
                    Thread.sleep(5000); // the console catches up after the last result
                    Files.deleteIfExists(probe);
                    report.add(attached.frames(String.format(Locale.ROOT, "bulk restart of %d (took %.1f s)", INSTANCES, (t1 - t0) / 1000.0), t0, t1 + 5000));
                } finally {
                    attached.close();
                }
            }
        } finally {
            xvfb.destroy();
        }
        report.add("command: mvn -q -B -o package -DskipTests && mvn -q -B -o -Pbench test -Dtest=ConsoleLightBench -Dsurefire.failIfNoSpecifiedTests=false");
        System.out.println(String.join("\n", report));
        Files.writeString(Path.of("target", "console-bench.txt"), String.join("\n", report) + "\n");
    }

    private static void check(Daemon.Result r) {
        if (r.code != 0) throw new AssertionError(r.toString());
    }

    static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The console as a user starts it: java -jar, which starts the tuned child JVM that shows the window. */
    static final class Console implements AutoCloseable {
        final Process launcher;
        final Path frames;
        final long pid;

        private Console(Process launcher, Path frames, long pid) {
            this.launcher = launcher;
            this.frames = frames;
            this.pid = pid;
        }

        static Console start(Path jar, String display, Path home, Path frames, String... extra) throws Exception {
            String java = ProcessHandle.current().info().command().orElseThrow();
            List<String> cmd = new ArrayList<>(List.of(java, "-Dsabot.console.stats=" + frames, "-jar", jar.toString(), "console", "--home", home.toString()));
            cmd.addAll(List.of(extra));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(home.resolveSibling(home.getFileName() + "-console.log").toFile());
            pb.environment().put("DISPLAY", display);
            pb.environment().remove("SABOT_CONSOLE_JVM");
            Process p = pb.start();
            // the window lives in the child JVM (or in this process when the relaunch is off)
            Await.until(Duration.ofSeconds(90), () -> Files.exists(frames), "console window up (frame stats written)");
            Optional<ProcessHandle> child = p.children().filter(c -> c.info().commandLine().orElse("").contains("sabot.console.jvm")).findFirst();
            return new Console(p, frames, child.map(ProcessHandle::pid).orElse(p.pid()));
        }

        String measure(String what, long seconds) throws Exception {
            long s0 = schedNanos(pid), t0j = statTicks(pid), w0 = System.nanoTime();
            Map<String, Long> th0 = threadTicks(pid);
            Thread.sleep(seconds * 1000);
            long s1 = schedNanos(pid), t1j = statTicks(pid), w1 = System.nanoTime();
            Map<String, Long> th1 = threadTicks(pid);
            double wall = (w1 - w0) / 1e9;
            double cpu = (s1 - s0) / 1e9 / wall * 100, cpuStat = (t1j - t0j) / 100.0 / wall * 100;
            List<Map.Entry<String, Long>> top = new ArrayList<>();
            th1.forEach((k, v) -> top.add(Map.entry(k, v - th0.getOrDefault(k, 0L))));
            top.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
            StringBuilder threads = new StringBuilder();
            for (int i = 0; i < Math.min(6, top.size()); i++) {
                if (top.get(i).getValue() <= 0) break;
                threads.append(i > 0 ? ", " : "").append(top.get(i).getKey()).append(String.format(Locale.ROOT, " %.2f %%", top.get(i).getValue() / 100.0 / wall * 100));
            }
            return String.format(Locale.ROOT, "%s: CPU %.2f %% of a core (schedstat; /proc/PID/stat: %.2f %%) over %.0f s after %d s; RSS %d MB; load average %.1f%n    threads: %s",
                    what, cpu, cpuStat, wall, SETTLE_S, rssMb(pid), load(), threads);
        }

        String frames(String what, long fromMs, long toMs) throws Exception {
            double probeMax = 0, layoutMax = 0, layoutCpuMax = 0, tickCpuMax = 0, gcMax = 0;
            long over = 0, seconds = 0;
            for (String l : Files.readAllLines(frames)) {
                String[] f = l.trim().split(" ");
                if (f.length < 5) continue;
                long t = Long.parseLong(f[0]);
                if (t < fromMs || t > toMs + 1000) continue;
                seconds++;
                probeMax = Math.max(probeMax, Double.parseDouble(f[1]));
                over += Long.parseLong(f[2]);
                layoutMax = Math.max(layoutMax, Double.parseDouble(f[3]));
                if (f.length > 6) {
                    layoutCpuMax = Math.max(layoutCpuMax, Double.parseDouble(f[5]));
                    tickCpuMax = Math.max(tickCpuMax, Double.parseDouble(f[6]));
                }
                if (f.length > 7) gcMax = Math.max(gcMax, Double.parseDouble(f[7]));
            }
            // a collection pause stops the FX thread as well; a probe sees it only when one was in flight
            return String.format(Locale.ROOT, "%s: longest frame %.1f ms (the longer of: FX-thread stall, probe every 20 ms, %.1f ms; stop-the-world GC pause %.1f ms), probes later than 50 ms: %d, longest CSS+layout pass %.1f ms; FX-thread CPU in the costliest pass %.1f ms, in the costliest console tick %.1f ms; over %d s; load average %.1f",
                    what, Math.max(probeMax, gcMax), probeMax, gcMax, over, layoutMax, layoutCpuMax, tickCpuMax, seconds, load());
        }

        @Override
        public void close() throws Exception {
            List<ProcessHandle> kids = launcher.descendants().toList();
            launcher.destroy(); // the launcher forwards the stop to the console JVM
            if (!launcher.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) launcher.destroyForcibly();
            for (ProcessHandle k : kids) Procs.kill(k.pid());
        }
    }

    static long schedNanos(long pid) throws Exception {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    sum += Long.parseLong(Files.readString(t.resolve("schedstat")).trim().split(" ")[0]);
                } catch (java.io.IOException gone) {
                    // a thread ended
                }
            }
        }
        return sum;
    }

    /** utime + stime of the whole process (ended threads included), in clock ticks. */
    static long statTicks(long pid) throws Exception {
        String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static Map<String, Long> threadTicks(long pid) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String s = Files.readString(t.resolve("stat"));
                    String comm = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')')).replaceAll("[-0-9]+$", "");
                    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                    out.merge(comm, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (java.io.IOException gone) {
                    // a thread ended
                }
            }
        }
        return out;
    }

    static long rssMb(long pid) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
        }
        return -1;
    }
}
