package io.sabot.limits;

import io.sabot.concurrent.Threads;
import io.sabot.engine.Cause;
import io.sabot.engine.Ports;
import io.sabot.process.ProcStat;
import io.sabot.spec.AgentSpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Enforces {@code limits}: an instance whose resident memory passes {@code memoryMb} is killed
 * (checked 4 times a second, so within well under 2 s) with reason "memory limit" and restarted
 * per its policy; {@code cpuPercent} is held by the best cap this machine allows (cgroup v2,
 * cgroup v1, else a SIGSTOP/SIGCONT duty cycle), reported in status.
 */
public final class LimitEnforcer implements AutoCloseable {
    static final long MEMORY_CHECK_MS = 250;

    private record Watched(long pid, long pgid, long limitBytes) { }

    private final Ports.Instances instances;
    private final Ports.Figures figures;
    private final CpuCap cpu;
    private final Map<String, Watched> memory = new ConcurrentHashMap<>();
    private final Map<String, Long> capped = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Threads.named("sabot-limits"));

    /**
     * @param instances new processes in (to attach limits); kills out
     * @param figures   where the CPU cap in force is shown
     */
    public LimitEnforcer(Ports.Instances instances, Ports.Figures figures, boolean allowCgroups) {
        this.instances = instances;
        this.figures = figures;
        CpuCap c = allowCgroups ? CgroupCpuCap.probe() : null;
        this.cpu = c != null ? c : new DutyCycleCpuCap();
        instances.onSpawn(this::spawned);
    }

    /** The check runs only while some process has a limit: a fleet without limits costs no wake-up (issue 13). */
    private ScheduledFuture<?> checking; // guarded by this

    private synchronized void ensureChecking() {
        if (checking == null && !(memory.isEmpty() && capped.isEmpty()) && !timer.isShutdown()) {
            checking = timer.scheduleWithFixedDelay(this::checkMemory, MEMORY_CHECK_MS, MEMORY_CHECK_MS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void stopCheckingIfIdle() {
        if (checking != null && memory.isEmpty() && capped.isEmpty()) {
            checking.cancel(false);
            checking = null;
        }
    }

    /** Which CPU cap is in force here. */
    public String cpuMode() { return cpu.mode(); }

    private void spawned(String id, long pid, long pgid, long startTicks, AgentSpec spec) {
        Long old = capped.remove(id);
        if (old != null) cpu.detach(id);
        Integer mb = spec.limits().memoryMb();
        if (mb != null) memory.put(id, new Watched(pid, pgid, mb * 1024L * 1024L));
        else memory.remove(id);
        Integer pct = spec.limits().cpuPercent();
        if (pct != null) {
            String mode = cpu.mode();
            if (!cpu.attach(id, pgid > 1 ? pgid : pid, pct, startTicks)) mode = "none (cannot attach)";
            else capped.put(id, pid);
            figures.updateCpuLimitMode(id, mode + " " + pct + "%");
        }
        ensureChecking();
    }

    private void checkMemory() {
        for (Map.Entry<String, Watched> e : memory.entrySet()) {
            Watched w = e.getValue();
            long rss = ProcStat.rssBytes(w.pid());
            if (rss < 0) {
                memory.remove(e.getKey(), w);
                continue;
            }
            if (rss > w.limitBytes()) {
                memory.remove(e.getKey(), w);
                instances.kill(e.getKey(), Cause.LIMIT, "memory limit: resident " + (rss >> 20) + " MiB over the limit of "
                        + (w.limitBytes() >> 20) + " MiB");
            }
        }
        // drop caps of processes that are gone
        for (Map.Entry<String, Long> e : capped.entrySet()) {
            if (ProcStat.startTicks(e.getValue()) < 0 && capped.remove(e.getKey(), e.getValue())) cpu.detach(e.getKey());
        }
        stopCheckingIfIdle();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        cpu.close();
    }
}
