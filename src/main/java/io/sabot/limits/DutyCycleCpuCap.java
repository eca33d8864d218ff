package io.sabot.limits;

import io.sabot.concurrent.Threads;
import io.sabot.process.ProcStat;
import io.sabot.process.Signals;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * CPU caps without cgroups: a token bucket per instance, refilled at the allowed share of a
 * core, charged with the CPU time the process really used (utime+stime of all its threads,
 * from /proc). When the bucket runs dry the process group is paused with SIGSTOP until the
 * debt is paid back, then resumed with SIGCONT. An idle agent is never paused.
 */
final class DutyCycleCpuCap implements CpuCap {
    static final long TICK_MS = 20;
    /** Largest burst an agent may take at full speed, in CPU-milliseconds. */
    static final double BURST_MS = 50;

    private static final class Slot {
        final long pid;
        /** The process's start time: a pid reused by another process is never paused (PidReuseTest). */
        final long start;
        final double share;
        long lastTicks;
        long lastNanos;
        double bucketMs = BURST_MS;
        long pausedUntil;

        Slot(long pid, double share, long start) {
            this.pid = pid;
            this.start = start;
            this.share = share;
            this.lastTicks = ProcStat.cpuTicks(pid);
            this.lastNanos = System.nanoTime();
        }
    }

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Threads.named("sabot-cpu-duty"));

    DutyCycleCpuCap() {
        timer.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public String mode() { return "duty-cycle"; }

    /** Instances being capped now (tests). */
    java.util.Set<String> slotsForTest() { return java.util.Set.copyOf(slots.keySet()); }

    @Override
    public boolean attach(String instanceId, long pid, int percent, long startTicks) {
        slots.put(instanceId, new Slot(pid, percent / 100.0, startTicks));
        return true;
    }

    @Override
    public void detach(String instanceId) {
        Slot s = slots.remove(instanceId);
        if (s != null && s.pausedUntil != 0) Signals.group(s.pid, Signals.Sig.CONT);
    }

    private void tick() {
        long now = System.nanoTime();
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            Slot s = e.getValue();
            if (!ProcStat.sameProcess(s.pid, s.start)) { // gone, or its pid now names another process
                slots.remove(e.getKey());
                continue;
            }
            if (s.pausedUntil != 0) {
                if (now < s.pausedUntil) continue;
                s.pausedUntil = 0;
                s.lastNanos = now;
                s.lastTicks = ProcStat.cpuTicks(s.pid);
                if (!Signals.group(s.pid, Signals.Sig.CONT)) slots.remove(e.getKey());
                continue;
            }
            long ticks = ProcStat.cpuTicks(s.pid);
            if (ticks < 0) {
                slots.remove(e.getKey());
                continue;
            }
            double usedMs = (ticks - s.lastTicks) * 1000.0 / ProcStat.HZ;
            double elapsedMs = (now - s.lastNanos) / 1e6;
            s.lastTicks = ticks;
            s.lastNanos = now;
            s.bucketMs = Math.min(BURST_MS, s.bucketMs + elapsedMs * s.share - usedMs);
            if (s.bucketMs < 0) {
                // pay the debt back: paused for debt/share of wall time
                long pauseNanos = (long) (-s.bucketMs / s.share * 1e6);
                s.bucketMs = 0;
                s.pausedUntil = now + pauseNanos;
                if (!Signals.group(s.pid, Signals.Sig.STOP)) slots.remove(e.getKey());
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (Slot s : slots.values()) if (s.pausedUntil != 0) Signals.group(s.pid, Signals.Sig.CONT);
        slots.clear();
    }
}
