package io.sabot.engine;

import io.sabot.spec.AgentSpec;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Heartbeats: a RUNNING protocol agent silent for longer than its {@code heartbeatTimeoutMs} is
 * marked unhealthy and killed with reason {@code heartbeat timeout}; its group's rules decide
 * what comes next. Checked 4 times a second over the fleet snapshot, without the engine's lock.
 * <p>
 * Guarantees: time is the monotonic clock the runtime was built with, never the wall clock, so
 * a clock jump changes no deadline (WallClockTest). An engine that did not run for a while
 * (SIGSTOP, a suspended VM, starvation) notices the gap between two checks and counts every
 * deadline from its resumption: the heartbeats the agents wrote meanwhile are still unread in
 * their pipes, so silence during its own pause is never held against them, while an agent
 * still silent a full timeout after the resumption is killed as usual (EnginePauseTest,
 * HealthMonitorPauseTest).
 */
final class HealthMonitor {
    private final Supplier<Fleet> fleet;
    private final InstanceRunner runner;
    private final EventBus bus;
    private final LongSupplier clock;
    /** A gap between two checks longer than this is a pause of the engine (the checks run every 250 ms). */
    static final long PAUSE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final System.Logger LOG = System.getLogger("io.sabot.engine");
    private long lastCheckNanos;                     // guarded by this
    private boolean checked;                         // guarded by this
    private volatile long resumedAtNanos;
    private volatile boolean resumed;

    HealthMonitor(Supplier<Fleet> fleet, InstanceRunner runner, EventBus bus, LongSupplier clock, ScheduledExecutorService timers) {
        this.fleet = fleet;
        this.runner = runner;
        this.bus = bus;
        this.clock = clock;
        timers.scheduleWithFixedDelay(this::check, 250, 250, TimeUnit.MILLISECONDS);
    }

    /** One pass; the timer runs it every 250 ms (tests call it with their clock). */
    synchronized void check() {
        long now = clock.getAsLong();
        if (checked && now - lastCheckNanos > PAUSE_NANOS) paused(now - lastCheckNanos, now);
        checked = true;
        lastCheckNanos = now;
        Fleet f = fleet.get();
        if (f.agents().values().stream().noneMatch(a -> a.protocol() && a.health().heartbeatTimeoutMs() > 0)) return;
        for (Instance in : f.byId().values()) {
            AgentSpec s = in.spec;
            long timeout = s.health().heartbeatTimeoutMs();
            if (!s.protocol() || timeout <= 0) continue;
            boolean running;
            synchronized (in) { running = in.state == InstanceState.RUNNING && !in.stopRequested; }
            long last = in.lastHeartbeatNanos;
            if (resumed && resumedAtNanos - last > 0) last = resumedAtNanos; // silent while the engine was not running: not their fault
            if (!running || now - last <= TimeUnit.MILLISECONDS.toNanos(timeout)) continue;
            in.healthy = false;
            bus.publish(new EngineEvent.NoticeEvent(in.id + " unhealthy: no heartbeat for " + timeout + " ms"));
            runner.kill(in, Cause.HEALTH, "heartbeat timeout");
        }
    }

    private void paused(long gapNanos, long now) {
        resumedAtNanos = now;
        resumed = true;
        String msg = String.format(java.util.Locale.ROOT, "the engine did not run for %.1f s (stopped, suspended or starved): "
                + "heartbeat deadlines count from now", gapNanos / 1e9);
        LOG.log(System.Logger.Level.WARNING, msg);
        bus.publish(new EngineEvent.NoticeEvent(msg));
    }
}
