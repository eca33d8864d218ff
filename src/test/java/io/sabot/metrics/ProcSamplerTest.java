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
        Process idle = spawn("sleep", "600");
        Process busy = spawn("sh", "-c", "while :; do :; done");
        long self = ProcessHandle.current().pid();
        List<Long> pids = List.of(idle.pid(), busy.pid(), self, 999_999_999L);
        Map<Long, ProcessSample> first = sampler.sampleAll(pids);
        assertThat(first).containsOnlyKeys(idle.pid(), busy.pid(), self);
        assertThat(first.get(busy.pid()).cpuPercent()).isZero(); // no previous tick yet

        // the sampler's figure for the busy process must match what the process really got over the same
        // second, read independently from its tick count: on an idle machine that is a full core, on a
        // crowded one (many builds on 2 cores) less, so the test waits for a second in which it got a fair share
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<Long, ProcessSample> s;
        double actual;
        do {
            long ticks0 = io.sabot.process.ProcStat.cpuTicks(busy.pid()), t0 = System.nanoTime();
            sampler.sampleAll(pids);
            Thread.sleep(1_000);
            s = sampler.sampleAll(pids);
            long ticks1 = io.sabot.process.ProcStat.cpuTicks(busy.pid()), t1 = System.nanoTime();
            actual = 100.0 * (ticks1 - ticks0) / io.sabot.process.ProcStat.HZ / ((t1 - t0) / 1e9);
        } while (actual < 20 && System.nanoTime() < deadline);
        assertThat(actual).as("CPU the busy process got in one second").isGreaterThanOrEqualTo(20);
        assertThat(s.get(busy.pid()).cpuPercent()).as("sampled vs. its own tick count (%.1f %%)", actual).isCloseTo(actual, org.assertj.core.data.Offset.offset(15.0));
        assertThat(s.get(busy.pid()).cpuPercent()).isLessThanOrEqualTo(105.0);
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
