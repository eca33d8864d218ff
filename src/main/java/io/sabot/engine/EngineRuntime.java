package io.sabot.engine;

import io.sabot.concurrent.Threads;
import io.sabot.engine.supervision.SupervisionEvent;
import io.sabot.process.AgentProcess;
import io.sabot.process.OrphanWatchdog;
import io.sabot.process.ProcessLauncher;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.TopicSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The engine's insides, which services plug into: the fleet (an immutable snapshot swapped on
 * deploy, remove and scale, read without a lock everywhere else), the instances' mechanics
 * ({@link InstanceRunner}), one {@link GroupRunner} per supervision group, health checks, logs
 * and the event bus. It implements the {@link Ports} services get through their constructors;
 * {@link LocalEngine} is the {@link Engine} API over it.
 *
 * <p>Threads: {@code sabot-op} (operator operations, stops), {@code sabot-supervision} (deaths
 * and the groups' mailboxes, never blocking), {@code sabot-timer} (backoff, start timeouts,
 * health, log rotation and following), {@code sabot-events} (event delivery).
 */
public final class EngineRuntime implements Ports.Events, Ports.Instances, Ports.Figures, Ports.Probed, AutoCloseable {
    private final EngineConfig cfg;
    private final LongSupplier clock;
    private final OrphanWatchdog watchdog;
    final ExecutorService ops;
    private final ExecutorService supervision;
    final ScheduledExecutorService timers;
    final EventBus bus = new EventBus();
    /** Who looks at the live figures (the metrics sampler's rate). */
    final FigureDemand demand = new FigureDemand();
    private final AgentProtocol protocol;
    final InstanceLogs logs;
    final InstanceRunner runner;
    final LogFollower follower;
    final HealthMonitor health;
    private final Map<String, GroupRunner> groups = new ConcurrentHashMap<>();
    private final ReentrantLock writes = new ReentrantLock();
    private volatile Fleet fleet = Fleet.EMPTY;
    private final long startedAtMs = System.currentTimeMillis();
    private volatile boolean closed;

    public EngineRuntime(EngineConfig cfg) {
        this(cfg, System::nanoTime);
    }

    /** With a monotonic clock of the caller's (tests); intensity windows, backoff and timeouts use it, never the wall clock. */
    EngineRuntime(EngineConfig cfg, LongSupplier clock) {
        this.cfg = cfg;
        this.clock = clock;
        // sized for bulk operations; an idle engine keeps none of them (issue 13: threads independent of the fleet, <= 60)
        this.ops = Threads.elastic("sabot-op", Math.max(1, cfg.bulkParallelism()), 30);
        this.supervision = Executors.newFixedThreadPool(2, Mailbox.drainsInline(Threads.named("sabot-supervision")));
        this.timers = Executors.newScheduledThreadPool(1, Threads.named("sabot-timer"));
        this.logs = new InstanceLogs(cfg.home(), cfg.logMaxBytes(), timers);
        try {
            this.watchdog = OrphanWatchdog.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare engine home " + cfg.home() + ": " + e.getMessage(), e);
        }
        this.protocol = new AgentProtocol(clock, bus);
        this.runner = new InstanceRunner(cfg, new ProcessLauncher(watchdog), timers, supervision, bus, protocol, clock, this::post);
        this.follower = new LogFollower(timers);
        this.health = new HealthMonitor(this::fleet, runner, bus, clock, timers);
    }

    public EngineConfig config() { return cfg; }

    public OrphanWatchdog watchdog() { return watchdog; }

    long startedAtMs() { return startedAtMs; }

    boolean closed() { return closed; }

    // ---- the fleet ------------------------------------------------------------------------------

    /** What is deployed now. */
    Fleet fleet() { return fleet; }

    /** Changes to the fleet (deploy, remove, scale) hold this; readers never do. */
    ReentrantLock writes() { return writes; }

    /** Swaps in a new fleet (caller holds {@link #writes}); groups that are gone are forgotten. */
    void swap(Fleet next) {
        fleet = next;
        for (Instance in : next.all()) in.log.configure(logs.policy(in.spec)); // a redeploy may change an agent's log settings
        groups.keySet().removeIf(g -> !next.groups().containsKey(g));
    }

    Instance newInstance(AgentSpec a, int index) {
        return new Instance(a, index, logs.of(a.instanceId(index), a));
    }

    Instance find(String instanceId) { return fleet.find(instanceId); }

    // ---- supervision ------------------------------------------------------------------------

    private void post(Instance in, SupervisionEvent e) {
        if (closed) return;
        group(in.spec.group()).post(e);
    }

    /** Every group of the fleet, as its supervisor last left it. */
    List<GroupStatus> groups() {
        Fleet f = fleet;
        long now = clock.getAsLong();
        List<GroupStatus> out = new java.util.ArrayList<>();
        for (Map.Entry<String, io.sabot.engine.supervision.GroupSettings> e : f.groups().entrySet()) {
            io.sabot.engine.supervision.GroupSettings g = e.getValue();
            GroupRunner r = groups.get(e.getKey());
            io.sabot.engine.supervision.GroupState s = r == null ? null : r.published();
            long period = g.withinSeconds() * 1_000_000_000L;
            int recent = s == null ? 0 : (int) s.restarts().stream().filter(t -> t > now - period).count();
            List<String> members = new java.util.ArrayList<>();
            for (Instance in : f.members().getOrDefault(e.getKey(), List.of())) members.add(in.id);
            out.add(new GroupStatus(e.getKey(), g.strategy().wireName(), g.maxRestarts(), g.withinSeconds(), members, recent,
                    Math.max(0, g.maxRestarts() - recent), s != null && !s.plans().isEmpty(), s == null ? null : s.failed()));
        }
        return out;
    }

    GroupRunner group(String name) {
        return groups.computeIfAbsent(name, g -> new GroupRunner(g, this::fleet, runner, ops, timers, bus, clock, supervision));
    }

    // ---- ports --------------------------------------------------------------------------------

    @Override
    public Subscription subscribe(EngineListener listener) { return bus.subscribe(listener); }

    @Override
    public void publish(EngineEvent event) { bus.publish(event); }

    @Override
    public AgentSpec specOf(String instanceId) {
        Instance in = find(instanceId);
        return in == null ? null : in.spec;
    }

    @Override
    public boolean send(String instanceId, String json) {
        Instance in = find(instanceId);
        if (in == null) return false;
        AgentProcess p;
        synchronized (in) {
            if (in.proc == null || !in.spec.protocol()) return false;
            p = in.proc;
        }
        // never under the instance's monitor: status, heartbeats and crash handling must not wait on an agent
        boolean sent = p.send(json);
        if (!sent && p.firstRefusal()) {
            in.log.line("[sabot] " + in.id + " does not read its stdin (" + AgentProcess.MAX_QUEUED_BYTES / (1024 * 1024)
                    + " MiB unread): protocol messages to it are dropped");
        }
        return sent;
    }

    @Override
    public void note(String instanceId, String line) {
        Instance in = find(instanceId);
        if (in != null) in.log.line("[sabot] " + line);
    }

    @Override
    public boolean kill(String instanceId, String cause, String reason) {
        Instance in = find(instanceId);
        return in != null && runner.kill(in, cause, reason);
    }

    @Override
    public void attachProbes() { runner.probesAttached(); }

    @Override
    public boolean probeReady(String instanceId, long pid) {
        Instance in = find(instanceId);
        return in != null && runner.probeReady(in, pid);
    }

    @Override
    public boolean kill(String instanceId, long pid, String cause, String reason) {
        Instance in = find(instanceId);
        return in != null && runner.kill(in, pid, cause, reason);
    }

    @Override
    public void markHealthy(String instanceId, long pid, boolean healthy, String why) {
        Instance in = find(instanceId);
        if (in == null || in.pid() != pid || in.healthy == healthy) return;
        in.healthy = healthy;
        in.log.line("[sabot] " + instanceId + (healthy ? " ready again" : " not ready: " + why));
        bus.publish(new EngineEvent.NoticeEvent(instanceId + (healthy ? " ready again" : " not ready: " + why)));
    }

    @Override
    public Subscription onSpawn(SpawnListener listener) { return runner.addSpawnListener(listener); }

    @Override
    public Subscription onAgentMessages(Ports.AgentMessages handler) { return protocol.onAgentMessages(handler); }

    @Override
    public Map<String, Long> livePids() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Instance in : fleet.all()) {
            long pid = in.pid();
            if (pid > 0) out.put(in.id, pid);
        }
        return out;
    }

    @Override
    public Map<String, Double> messageRates() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Instance in : fleet.all()) out.put(in.id, in.messagesPerSec);
        return out;
    }

    @Override
    public void sampleLive(LiveSampler sampler) {
        for (Instance in : fleet.all()) {
            long pid = in.pid();
            if (pid > 0) sampler.sample(in.id, pid, in.messagesPerSec, (cpu, mem, threads) -> {
                in.cpuPercent = cpu;
                in.memoryBytes = mem;
                in.threads = threads;
            });
        }
    }

    @Override
    public boolean figuresWatched() { return demand.watched() || !fleet.alerts().isEmpty(); }

    @Override
    public void updateMetrics(String instanceId, double cpuPercent, long memoryBytes, int threads) {
        Instance in = find(instanceId);
        if (in == null) return;
        in.cpuPercent = cpuPercent;
        in.memoryBytes = memoryBytes;
        in.threads = threads;
    }

    @Override
    public void updateCpuLimitMode(String instanceId, String mode) {
        Instance in = find(instanceId);
        if (in != null) in.cpuLimitMode = mode;
    }

    @Override
    public void updatePartitions(String instanceId, List<String> partitions) {
        Instance in = find(instanceId);
        if (in != null) in.partitions = List.copyOf(partitions);
    }

    /** The topics deployed. */
    public List<TopicSpec> topics() { return List.copyOf(fleet.topics().values()); }

    /** Ends the engine's threads, watchdog and logs (the agents must be stopped first: {@link LocalEngine#close}). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        bus.close();
        follower.close();
        ops.shutdownNow();
        timers.shutdownNow();
        supervision.shutdownNow();
        watchdog.close();
        logs.close();
    }
}
