package io.sabot.engine;

import io.sabot.spec.AgentSpec;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Heartbeats: a RUNNING protocol agent silent for longer than its {@code heartbeatTimeoutMs} is
 * marked unhealthy and killed with reason {@code heartbeat timeout}; its group's rules decide
 * what comes next. Checked 4 times a second over the fleet snapshot, without the engine's lock,
 * while some agent has a heartbeat deadline (else once a second, and then no pass over the fleet).
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
    private final ScheduledExecutorService timers;
    static final long CHECK_MS = 250;
    static final long IDLE_CHECK_MS = 1000;
    /** A gap between two checks longer than this is a pause of the engine (the checks run every 250 ms). */
    static final long PAUSE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final System.Logger LOG = System.getLogger("io.sabot.engine");
    private long lastCheckNanos;                     // guarded by this
    private boolean checked;                         // guarded by this
    private Fleet lastFleet;                         // guarded by this
    private boolean lastFleetWatched;                // guarded by this: lastFleet has an agent with a heartbeat deadline
    private volatile long resumedAtNanos;
    private volatile boolean resumed;

    HealthMonitor(Supplier<Fleet> fleet, InstanceRunner runner, EventBus bus, LongSupplier clock, ScheduledExecutorService timers) {
        this.fleet = fleet;
        this.runner = runner;
        this.bus = bus;
        this.clock = clock;
        this.timers = timers;
        timers.schedule(this::tick, CHECK_MS, TimeUnit.MILLISECONDS);
    }

    /** Every {@link #CHECK_MS} while an agent has a heartbeat deadline; every {@link #IDLE_CHECK_MS} otherwise (issue 13: idle wake-ups). */
    private void tick() {
        boolean watching = true;
        try {
            watching = check();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "health check: " + io.sabot.errors.UserMessages.describe(e));
        }
        try {
            timers.schedule(this::tick, watching ? CHECK_MS : IDLE_CHECK_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the engine is closing
        }
    }

    /** One pass; the timer runs it every 250 ms (tests call it with their clock). False when no agent has a heartbeat deadline. */
    synchronized boolean check() {
        long now = clock.getAsLong();
        Fleet f = fleet.get();
        if (f != lastFleet) { // the answer changes only with the snapshot: not a pass over every agent 4 times a second (issue 13)
            lastFleet = f;
            lastFleetWatched = f.agents().values().stream().anyMatch(a -> a.protocol() && a.health().heartbeatTimeoutMs() > 0);
        }
        // the pause check runs on idle ticks too (1 s apart, still well under PAUSE_NANOS): an engine
        // stopped right after a deploy, before the first watched tick, must still see its pause
        // (EnginePauseTest failed so once the idle path forgot the last check)
        if (checked && now - lastCheckNanos > PAUSE_NANOS) paused(now - lastCheckNanos, now);
        checked = true;
        lastCheckNanos = now;
        if (!lastFleetWatched) return false;
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
        return true;
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
