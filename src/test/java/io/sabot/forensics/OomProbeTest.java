package io.sabot.forensics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The OOM-kill counters are read from the files' bytes: the named line's value, and -1 where there is none. */
class OomProbeTest {
    private static long find(String text, String name) { return OomProbe.find(text.getBytes(StandardCharsets.US_ASCII), name); }

    @Test
    void theNamedLinesValueIsFoundAndNothingElse() {
        String vmstat = "nr_free_pages 123\noom_kill_extra 9\noom_kill 42\npgfault 7\n";
        assertThat(find(vmstat, "oom_kill")).isEqualTo(42);
        assertThat(find(vmstat, "pgfault")).isEqualTo(7);
        assertThat(find("low 0\nhigh 0\nmax 0\noom 1\noom_kill 3", "oom_kill")).as("the last line, no newline").isEqualTo(3);
        assertThat(find(vmstat, "oom")).as("a prefix of another name is not that name").isEqualTo(-1);
        assertThat(find("oom_kill x\n", "oom_kill")).isEqualTo(-1);
        assertThat(find("", "oom_kill")).isEqualTo(-1);
        // this machine's own counter reads as a number (the kernel has it since 4.13)
        assertThat(OomProbe.counter(Path.of("/proc/vmstat"), "oom_kill")).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aProcesssCgroupIsItsV2LineAndOnlyWithMemoryEvents(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path proc = dir.resolve("proc"), root = dir.resolve("cgroup");
        java.nio.file.Files.createDirectories(proc.resolve("7"));
        java.nio.file.Files.createDirectories(proc.resolve("8"));
        java.nio.file.Files.createDirectories(proc.resolve("9"));
        java.nio.file.Files.writeString(proc.resolve("7/cgroup"), "12:memory:/v1/x\n1:name=systemd:/a\n0::/fleet/agents\n");
        java.nio.file.Files.writeString(proc.resolve("8/cgroup"), "0::/no-memory\n");
        java.nio.file.Files.writeString(proc.resolve("9/cgroup"), "12:memory:/v1/only\n");
        java.nio.file.Files.createDirectories(root.resolve("fleet/agents"));
        java.nio.file.Files.createDirectories(root.resolve("no-memory"));
        java.nio.file.Files.writeString(root.resolve("fleet/agents/memory.events"), "low 0\nhigh 0\nmax 0\noom 0\noom_kill 2\n");
        OomProbe probe = new OomProbe(proc, root);
        assertThat(probe.cgroupOf(7)).isEqualTo(root.resolve("fleet/agents"));
        assertThat(probe.cgroupOomKills(probe.cgroupOf(7))).isEqualTo(2);
        assertThat(probe.cgroupOf(8)).as("a cgroup without memory.events tells nothing").isNull();
        assertThat(probe.cgroupOf(9)).as("cgroup v1 only").isNull();
        assertThat(probe.cgroupOf(10)).as("gone").isNull();
        // this machine: a live process's line parses to a folder or to nothing, never fails
        probe = new OomProbe();
        Path self = probe.cgroupOf(ProcessHandle.current().pid());
        // a child without a CPU cap is judged by its parent's cgroup, which is this process's
        assertThat(probe.ownCgroup()).isEqualTo(self);
    }
}
