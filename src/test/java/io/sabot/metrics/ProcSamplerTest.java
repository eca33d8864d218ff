package io.sabot.metrics;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProcSamplerTest {
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void kill() throws InterruptedException {
        for (Process p : started) {
            ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process spawn(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(p);
        return p;
    }

    @Test
    void samplesIdleBusyAndGoneProcesses() throws Exception {
        ProcSampler sampler = new ProcSampler();
        assertThat(sampler.usesProcfs()).isTrue();
        Process idle = spawn("sleep", "60");
        Process busy = spawn("sh", "-c", "while :; do :; done");
        long self = ProcessHandle.current().pid();
        List<Long> pids = List.of(idle.pid(), busy.pid(), self, 999_999_999L);
        Map<Long, ProcessSample> first = sampler.sampleAll(pids);
        assertThat(first).containsOnlyKeys(idle.pid(), busy.pid(), self);
        assertThat(first.get(busy.pid()).cpuPercent()).isZero(); // no previous tick yet

        // wait until the busy process shows up as busy (at most 15 s)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Map<Long, ProcessSample> s;
        do {
            Thread.sleep(1_000);
            s = sampler.sampleAll(pids);
        } while (s.get(busy.pid()).cpuPercent() < 50 && System.nanoTime() < deadline);
        assertThat(s.get(busy.pid()).cpuPercent()).isBetween(50.0, 105.0);
        assertThat(s.get(idle.pid()).cpuPercent()).isLessThan(5.0);
        assertThat(s.get(idle.pid()).threads()).isEqualTo(1);
        assertThat(s.get(idle.pid()).rssBytes()).isBetween(100_000L, 50_000_000L);
        assertThat(s.get(self).threads()).isGreaterThan(5);
        assertThat(s.get(self).rssBytes()).isGreaterThan(20_000_000L);
        assertThat(s.get(self).rssBytes()).isCloseTo(statusRss(self), org.assertj.core.data.Percentage.withPercentage(20));

        ProcessHandle.of(busy.pid()).ifPresent(ProcessHandle::destroyForcibly);
        busy.waitFor(10, TimeUnit.SECONDS);
        assertThat(sampler.sampleAll(pids)).doesNotContainKey(busy.pid());
        assertThat(sampler.sample(idle.pid())).isNotNull();

        HostSample h1 = sampler.sampleHost();
        Thread.sleep(200);
        HostSample h2 = sampler.sampleHost();
        assertThat(h2.cores()).isPositive();
        assertThat(h2.cpuPercent()).isBetween(0.0, 100.0);
        assertThat(h2.memTotalBytes()).isGreaterThan(h2.memAvailableBytes()).isGreaterThan(0);
        assertThat(h1.memTotalBytes()).isEqualTo(h2.memTotalBytes());
    }

    private static long statusRss(long pid) throws Exception {
        for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
        return -1;
    }
}
