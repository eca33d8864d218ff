package io.sabot.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.control.RemoteEngine;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.Selection;
import io.sabot.engine.Subscription;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output can never fill the disk (issue 18, part 1), on a real small file system: a daemon whose
 * home is a 40 MiB tmpfs runs an agent that is {@code yes} (it would fill the file system in
 * seconds) beside a quiet one. Until {@code yes} has written 1.5 times the file system's size:
 * the home's logs stay within their budget (a quarter of the file system: 10 MiB, although the
 * flood's own settings would keep 12), the file system never fills, the daemon answers, and
 * {@code logs --follow} of both agents keeps streaming. Prints the flood's bytes written and kept
 * and the engine's CPU during the flood (per thread). Needs to mount a tmpfs (root); skipped with
 * a message otherwise.
 */
class LogFloodTest {
    @TempDir
    Path tmp;

    static final long FS_BYTES = 40L << 20;
    /** Uncompressed by default: the worst case for the budget (yes compresses 1,000 to 1); -Dflood.compress=true for the default settings. */
    static final boolean COMPRESS = Boolean.getBoolean("flood.compress");
    /** How much yes writes: 1.5 times the file system (60 MiB), or -Dflood.mb=N (3000: a 3 GB flood, about 13 min at the 4 MiB/s read rate). */
    static final long FLOOD_BYTES = Long.getLong("flood.mb", FS_BYTES * 3 / 2 >> 20) << 20;

    @Test
    void aFloodStaysWithinTheBudgetAndFollowersKeepStreaming() throws Exception {
        Path home = tmp.resolve("home");
        Files.createDirectories(home);
        mountTmpfs(home);
        try {
            run(home);
        } finally {
            unmount(home);
        }
    }

    private void run(Path home) throws Exception {
        long budget = FS_BYTES / 4;
        Path spec = tmp.resolve("flood.json");
        Files.writeString(spec, "{\"agents\":["
                + "{\"name\":\"flood\",\"command\":[\"yes\",\"flooding the log of this agent\"],\"stopGraceMs\":2000,"
                + "\"logs\":{\"maxFileMb\":2,\"keep\":5,\"compress\":" + COMPRESS + "}},"
                + "{\"name\":\"quiet\",\"command\":[\"sh\",\"-c\",\"i=0; while :; do i=$((i+1)); echo quiet $i; sleep 0.2; done\"],\"stopGraceMs\":2000}]}");
        try (Daemon d = new Daemon(home); RemoteEngine follower = new RemoteEngine(home.resolve("control.sock"))) {
            assertThat(d.run("agents", "deploy", spec.toString()).code).isZero();
            AtomicLong quietLines = new AtomicLong();
            AtomicLong floodLines = new AtomicLong();
            AtomicLong skips = new AtomicLong();
            assertThat(d.run("agents", "start", "quiet").code).isZero();
            Subscription fq = follower.followLogs("quiet-0", l -> {
                if (l.startsWith("quiet ")) quietLines.incrementAndGet();
            });
            Subscription ff = follower.followLogs("flood-0", l -> {
                if (l.startsWith("[sabot] skipped")) skips.incrementAndGet();
                else floodLines.incrementAndGet();
            });
            try {
                long pid = d.process.pid();
                Map<String, Long> threadsBefore = threadTicks(pid);
                long cpuBefore = ticks(pid, null);
                long t0 = System.nanoTime();
                Daemon.Result started = d.run("agents", "start", "flood");
                assertThat(started.code).as(started.toString()).isZero();
                long yesPid = pidOf(follower, "flood");
                d.remember(yesPid);
                long[] maxLogs = {0};
                long[] maxUsed = {0};
                long[] quietAtHalf = {-1};
                long[] written = {0};
                long[] lastStatusCheck = {0};
                Await.until(Duration.ofSeconds(180 + FLOOD_BYTES / (1L << 20) / 2), () -> {
                    long w = wchar(yesPid);
                    if (w > written[0]) written[0] = w;
                    long logs = dirSize(home.resolve("logs"));
                    maxLogs[0] = Math.max(maxLogs[0], logs);
                    maxUsed[0] = Math.max(maxUsed[0], used(home));
                    assertThat(logs).as("the home's logs within their budget").isLessThanOrEqualTo(budget);
                    if (System.nanoTime() - lastStatusCheck[0] > 1_000_000_000L) {
                        lastStatusCheck[0] = System.nanoTime();
                        Daemon.Result st = d.run("agents", "status");
                        assertThat(st.code).as("the daemon answers during the flood: " + st).isZero();
                    }
                    if (quietAtHalf[0] < 0 && written[0] > FS_BYTES * 3 / 4) quietAtHalf[0] = quietLines.get();
                    return written[0] > FLOOD_BYTES;
                }, () -> "yes wrote " + written[0] + " bytes");
                double seconds = (System.nanoTime() - t0) / 1e9;
                long cpu = ticks(pid, null) - cpuBefore;
                Map<String, Long> threadsAfter = threadTicks(pid);
                // both followers still stream: the quiet agent's lines keep coming through the flood's second half
                long q = quietLines.get();
                long fl = floodLines.get();
                Await.until(Duration.ofSeconds(20), () -> quietLines.get() > q + 3 && floodLines.get() > fl,
                        () -> "followers still streaming: quiet " + quietLines.get() + " (was " + q + "), flood " + floodLines.get());
                assertThat(quietLines.get()).as("quiet lines seen after the flood had written 30 MiB").isGreaterThan(quietAtHalf[0]);
                long kept = dirSize(home.resolve("logs"));
                Map<String, Long> perThread = new TreeMap<>();
                threadsAfter.forEach((name, t) -> {
                    long dt = t - threadsBefore.getOrDefault(name, 0L);
                    if (dt > 0) perThread.put(name, dt);
                });
                double hz = 100.0;
                StringBuilder threads = new StringBuilder();
                perThread.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(6)
                        .forEach(e -> threads.append(' ').append(e.getKey().replace(' ', '_')).append('=')
                                .append(String.format("%.1f%%", 100.0 * e.getValue() / hz / seconds)));
                System.out.printf("FLOOD-RESULT compress=" + COMPRESS + " fs=%d MiB budget=%d MiB written=%d bytes (%.1f MiB) keptLogs=%d bytes (%.1f MiB) maxLogs=%d maxFsUsed=%d "
                                + "seconds=%.1f engineCpu=%.1f%% of a core (%.2f s) threads:%s followerLines(flood)=%d skips=%d quietLines=%d load=%s%n",
                        FS_BYTES >> 20, budget >> 20, written[0], written[0] / 1048576.0, kept, kept / 1048576.0, maxLogs[0], maxUsed[0],
                        seconds, 100.0 * cpu / hz / seconds, cpu / hz, threads, floodLines.get(), skips.get(), quietLines.get(),
                        Files.readString(Path.of("/proc/loadavg")).trim());
                assertThat(maxUsed[0]).as("the file system never filled").isLessThan(FS_BYTES - (1L << 20));
                assertThat(kept).isLessThanOrEqualTo(budget);
                assertThat(Files.size(home.resolve("logs/flood-0.log"))).isLessThanOrEqualTo(2L << 20);
            } finally {
                fq.close();
                ff.close();
                d.run("agents", "stop", "--all");
            }
        }
    }

    private static void mountTmpfs(Path dir) throws Exception {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=40m,mode=0700", "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        int code = p.waitFor();
        Assumptions.assumeTrue(code == 0, () -> "skipped: cannot mount a 40 MiB tmpfs for the home (needs root or CAP_SYS_ADMIN): mount said \"" + out + "\" (exit " + code + ")");
    }

    private static void unmount(Path dir) throws Exception {
        if (new ProcessBuilder("umount", dir.toString()).start().waitFor() != 0) {
            new ProcessBuilder("umount", "-l", dir.toString()).start().waitFor(); // still busy: detach it
        }
    }

    private static long pidOf(RemoteEngine e, String agent) {
        long[] pid = {0};
        Await.until(Duration.ofSeconds(30), () -> {
            for (InstanceStatus s : e.status(Selection.of(agent))) if (s.pid() != null && s.pid() > 0) pid[0] = s.pid();
            return pid[0] > 0;
        }, agent + " has a pid");
        return pid[0];
    }

    /** Bytes the process wrote (to its pipe) so far, from /proc/PID/io. */
    private static long wchar(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
                if (l.startsWith("wchar:")) return Long.parseLong(l.substring(6).trim());
            }
        } catch (IOException e) {
            // gone
        }
        return 0;
    }

    private static long used(Path fs) {
        try {
            var store = Files.getFileStore(fs);
            return store.getTotalSpace() - store.getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long dirSize(Path d) {
        long total = 0;
        try (var s = Files.list(d)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    total += Files.size(p);
                } catch (IOException e) {
                    // rotated away meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total;
    }

    /** utime + stime of a process, or of one thread ({@code task}), in clock ticks. */
    private static long ticks(long pid, String task) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + (task == null ? "" : "/task/" + task) + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** CPU ticks per thread name (threads of one name added up). */
    private static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> out = new TreeMap<>();
        try (var s = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) s::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim();
                    out.merge(name, ticks(pid, t.getFileName().toString()), Long::sum);
                } catch (IOException e) {
                    // ended
                }
            }
        } catch (IOException e) {
            // gone
        }
        return out;
    }
}
