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
 */
final class HealthMonitor {
    private final Supplier<Fleet> fleet;
    private final InstanceRunner runner;
    private final EventBus bus;
    private final LongSupplier clock;

    HealthMonitor(Supplier<Fleet> fleet, InstanceRunner runner, EventBus bus, LongSupplier clock, ScheduledExecutorService timers) {
        this.fleet = fleet;
        this.runner = runner;
        this.bus = bus;
        this.clock = clock;
        timers.scheduleWithFixedDelay(this::check, 250, 250, TimeUnit.MILLISECONDS);
    }

    private void check() {
        Fleet f = fleet.get();
        if (f.agents().values().stream().noneMatch(a -> a.protocol() && a.health().heartbeatTimeoutMs() > 0)) return;
        long now = clock.getAsLong();
        for (Instance in : f.byId().values()) {
            AgentSpec s = in.spec;
            long timeout = s.health().heartbeatTimeoutMs();
            if (!s.protocol() || timeout <= 0) continue;
            boolean running;
            synchronized (in) { running = in.state == InstanceState.RUNNING && !in.stopRequested; }
            if (!running || now - in.lastHeartbeatNanos <= TimeUnit.MILLISECONDS.toNanos(timeout)) continue;
            in.healthy = false;
            bus.publish(new EngineEvent.NoticeEvent(in.id + " unhealthy: no heartbeat for " + timeout + " ms"));
            runner.kill(in, Cause.HEALTH, "heartbeat timeout");
        }
    }
}
