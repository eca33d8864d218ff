package io.sabot.limits;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU caps enforced by the kernel's CFS bandwidth control: a cgroup per instance under a
 * {@code sabot-<enginepid>} folder, {@code cpu.max} on cgroup v2 or {@code cpu.cfs_quota_us} on
 * v1. Used wherever the engine may create cgroups; children inherit the cgroup, so the cap
 * covers the whole tree.
 */
final class CgroupCpuCap implements CpuCap {
    static final long PERIOD_US = 100_000;
    private final Path root;
    private final boolean v2;
    private final Map<String, Path> groups = new ConcurrentHashMap<>();

    private CgroupCpuCap(Path root, boolean v2) {
        this.root = root;
        this.v2 = v2;
    }

    /** A cgroup CPU cap if this machine lets this process make one, else null. */
    static CgroupCpuCap probe() {
        long me = ProcessHandle.current().pid();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/cgroup"));
            // cgroup v2: "0::/path" and a cpu controller in the unified hierarchy
            for (String l : lines) {
                if (!l.startsWith("0::")) continue;
                Path base = Path.of("/sys/fs/cgroup", l.substring(3));
                Path controllers = Path.of("/sys/fs/cgroup/cgroup.controllers");
                if (Files.exists(controllers) && Files.readString(controllers).contains("cpu")) {
                    CgroupCpuCap c = tryRoot(base.resolve("sabot-" + me), true);
                    if (c != null) return c;
                }
            }
            // cgroup v1: "N:cpu,cpuacct:/path" or "N:cpu:/path"
            for (String l : lines) {
                String[] f = l.split(":", 3);
                if (f.length < 3 || !List.of(f[1].split(",")).contains("cpu")) continue;
                for (String mount : new String[] {"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"}) {
                    Path m = Path.of(mount);
                    if (!Files.exists(m.resolve("cpu.cfs_quota_us")) && !Files.exists(m.resolve(f[2].substring(1)).resolve("cpu.cfs_quota_us"))) continue;
                    Path base = f[2].equals("/") ? m : m.resolve(f[2].substring(1));
                    CgroupCpuCap c = tryRoot(base.resolve("sabot-" + me), false);
                    if (c != null) return c;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static CgroupCpuCap tryRoot(Path dir, boolean v2) {
        try {
            cleanStale(dir.getParent());
            Files.createDirectories(dir);
            if (v2) {
                // controllers must be enabled for the children of our folder
                Files.writeString(dir.resolve("cgroup.subtree_control"), "+cpu");
            } else if (!Files.isWritable(dir.resolve("cpu.cfs_quota_us"))) {
                Files.deleteIfExists(dir);
                return null;
            }
            return new CgroupCpuCap(dir, v2);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // nothing was made
            }
            return null;
        }
    }

    /** Empty folders left by engines that died (their pid no longer runs). */
    private static void cleanStale(Path parent) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, "sabot-*")) {
            for (Path d : ds) {
                try {
                    long pid = Long.parseLong(d.getFileName().toString().substring(6));
                    if (ProcessHandle.of(pid).isPresent()) continue;
                    try (DirectoryStream<Path> kids = Files.newDirectoryStream(d, p -> Files.isDirectory(p))) {
                        for (Path k : kids) Files.deleteIfExists(k);
                    }
                    Files.deleteIfExists(d);
                } catch (IOException | RuntimeException e) {
                    // not ours, or still in use
                }
            }
        } catch (IOException | RuntimeException e) {
            // nothing to clean
        }
    }

    @Override
    public String mode() { return v2 ? "cgroup-v2" : "cgroup-v1"; }

    @Override
    public boolean attach(String instanceId, long pid, int percent, long startTicks) {
        Path g = root.resolve(instanceId);
        try {
            Files.createDirectories(g);
            long quota = Math.max(1000, PERIOD_US * percent / 100);
            if (v2) {
                Files.writeString(g.resolve("cpu.max"), quota + " " + PERIOD_US);
            } else {
                Files.writeString(g.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
                Files.writeString(g.resolve("cpu.cfs_quota_us"), Long.toString(quota));
            }
            Files.writeString(g.resolve("cgroup.procs"), Long.toString(pid));
            groups.put(instanceId, g);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void detach(String instanceId) {
        Path g = groups.remove(instanceId);
        if (g == null) return;
        try {
            Files.deleteIfExists(g); // only succeeds once the cgroup is empty; close() retries
        } catch (IOException ignored) {
            groups.put(instanceId, g);
        }
    }

    @Override
    public void close() {
        for (String id : List.copyOf(groups.keySet())) detach(id);
        try {
            Files.deleteIfExists(root);
        } catch (IOException ignored) {
            // a later engine cleans it up
        }
    }
}
