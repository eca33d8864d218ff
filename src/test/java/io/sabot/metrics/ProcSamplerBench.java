package io.sabot.metrics;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CPU cost of sampling 200 processes at 1 Hz: {@link ProcSampler} vs OSHI
 * {@code OSProcess.updateAttributes()} (+ {@code getProcessCpuLoadBetweenTicks}). Both run on this
 * thread once per second for 20 s, each timed with the thread's own CPU clock.
 * Run: {@code mvn -q -B -Pbench test -Dtest=ProcSamplerBench}.
 */
@Tag("bench")
class ProcSamplerBench {
    static final int PROCESSES = 200;
    static final int SECONDS = 20;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void kill() throws InterruptedException {
        for (Process p : started) ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
        for (Process p : started) p.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void sampler200ProcessesAt1Hz() throws Exception {
        for (int i = 0; i < PROCESSES; i++) {
            started.add(new ProcessBuilder("sleep", "600").redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        List<Long> pids = new ArrayList<>();
        for (Process p : started) pids.add(p.pid());

        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ProcSampler sampler = new ProcSampler();
        oshi.SystemInfo si = new oshi.SystemInfo();
        oshi.software.os.OperatingSystem os = si.getOperatingSystem();
        List<oshi.software.os.OSProcess> procs = new ArrayList<>();
        for (long pid : pids) procs.add(os.getProcess((int) pid));
        List<oshi.software.os.OSProcess> prev = new ArrayList<>();
        for (long pid : pids) prev.add(os.getProcess((int) pid));
        // warm up both paths
        for (int i = 0; i < 3; i++) {
            sampler.sampleAll(pids);
            sampler.sampleHost();
            for (oshi.software.os.OSProcess p : procs) p.updateAttributes();
        }

        long ownNanos = 0;
        long oshiNanos = 0;
        long ticks = 0;
        double sink = 0;
        long next = System.nanoTime();
        for (int s = 0; s < SECONDS; s++) {
            long c0 = mx.getCurrentThreadCpuTime();
            Map<Long, ProcessSample> m = sampler.sampleAll(pids);
            HostSample h = sampler.sampleHost();
            long c1 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < procs.size(); i++) {
                oshi.software.os.OSProcess p = procs.get(i);
                p.updateAttributes();
                sink += p.getProcessCpuLoadBetweenTicks(prev.get(i)) + p.getResidentSetSize() + p.getThreadCount();
            }
            long c2 = mx.getCurrentThreadCpuTime();
            List<oshi.software.os.OSProcess> t = prev; // swap snapshots (different objects each tick)
            prev = procs;
            procs = new ArrayList<>(t);
            ownNanos += c1 - c0;
            oshiNanos += c2 - c1;
            ticks++;
            assertThat(m).hasSize(PROCESSES);
            sink += h.cpuPercent();
            next += TimeUnit.SECONDS.toNanos(1);
            long wait = next - System.nanoTime();
            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
        }
        double ownMsPerTick = ownNanos / 1e6 / ticks;
        double oshiMsPerTick = oshiNanos / 1e6 / ticks;
        System.out.printf("ProcSampler: %d processes + host, %d ticks at 1 Hz: %.2f ms CPU per tick (%.3f%% of one core), %.1f us per process%n",
                PROCESSES, ticks, ownMsPerTick, ownMsPerTick / 10.0, ownNanos / 1e3 / ticks / PROCESSES);
        System.out.printf("OSHI updateAttributes: %d processes, %d ticks at 1 Hz: %.2f ms CPU per tick (%.3f%% of one core), %.1f us per process%n",
                PROCESSES, ticks, oshiMsPerTick, oshiMsPerTick / 10.0, oshiNanos / 1e3 / ticks / PROCESSES);
        System.out.printf("ratio OSHI/ProcSampler: %.1fx (sink %s)%n", oshiMsPerTick / ownMsPerTick, sink > 0 ? "ok" : "0");
    }
}
