package io.sabot.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.sabot.process.InstanceLog;
import io.sabot.process.OrphanWatchdog;
import io.sabot.process.ProcessLauncher;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.FleetChecks;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.SpecError;
import io.sabot.spec.SpecException;
import io.sabot.spec.SupervisionStrategy;
import io.sabot.spec.TopicSpec;
import io.sabot.telemetry.TraceView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** The engine in this JVM: agents, their instances, bulk operations, dependencies and strategies. */
public final class LocalEngine implements Engine {
    private final EngineConfig cfg;
    private final OrphanWatchdog watchdog;
    private final Supervisor supervisor;
    private final ExecutorService ops;
    private final ExecutorService exits;
    private final ScheduledExecutorService timers;
    private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<String, JsonNode>> messageHandlers = new CopyOnWriteArrayList<>();
    private final LogFollower follower;
    private final long startedAt = System.currentTimeMillis();
    // what components wired around the engine answer for it
    private volatile java.util.function.Function<String, List<PartitionView>> partitionSource;
    private volatile Rebalancer rebalancer;
    private volatile java.util.function.IntFunction<List<TraceView>> traceSource;
    private volatile MetricsHistory metricsSource;

    @FunctionalInterface
    public interface Rebalancer {
        List<AssignmentView> rebalance(String topic, String strategy, String reason);
    }

    @FunctionalInterface
    public interface MetricsHistory {
        List<MetricPoint> between(String instanceId, long fromMs, long toMs);
    }

    /** The partition manager answers {@link #partitions} and {@link #rebalance}. */
    public void partitionSource(java.util.function.Function<String, List<PartitionView>> partitions, Rebalancer r) {
        this.partitionSource = partitions;
        this.rebalancer = r;
    }

    /** Telemetry answers {@link #traces}. */
    public void traceSource(java.util.function.IntFunction<List<TraceView>> traces) { this.traceSource = traces; }

    /** The store answers {@link #metricsHistory}. */
    public void metricsSource(MetricsHistory m) { this.metricsSource = m; }

    private volatile OpsViews opsViews;

    /** Alerts, crash forensics, history and metrics export answer their part of the API. */
    public void opsSource(OpsViews v) { this.opsViews = v; }

    private OpsViews opsViews() {
        OpsViews v = opsViews;
        if (v == null) throw new UnsupportedOperationException("this engine has no alerts, forensics, history or metrics export attached");
        return v;
    }

    @Override
    public List<AlertView> alerts(int limit) { return opsViews == null ? List.of() : opsViews.alerts(limit); }

    @Override
    public AlertView testAlert(String name) { return opsViews().testAlert(name); }

    @Override
    public List<CrashReport> why(Selection targets) {
        List<String> ids = new ArrayList<>();
        for (Instance in : resolve(targets)) ids.add(in.id);
        return opsViews == null ? List.of() : opsViews.crashes(ids);
    }

    @Override
    public UsageHistory usageHistory(String subject, String range) { return opsViews().usage(subject, range); }

    @Override
    public String metricsText() { return opsViews().metricsText(); }
    private volatile boolean closed;

    // guarded by this
    private final Map<String, AgentSpec> agents = new LinkedHashMap<>();
    private final Map<String, List<Instance>> instances = new LinkedHashMap<>();
    private final Map<String, TopicSpec> topics = new LinkedHashMap<>();
    private final Map<String, io.sabot.spec.AlertSpec> alerts = new LinkedHashMap<>();
    private final Map<String, InstanceLog> logs = new HashMap<>();

    public LocalEngine(EngineConfig cfg) {
        this.cfg = cfg;
        try {
            InstanceLog.ownerOnlyDir(cfg.home().resolve("logs"));
            this.watchdog = OrphanWatchdog.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare engine home " + cfg.home() + ": " + e.getMessage(), e);
        }
        this.ops = Executors.newFixedThreadPool(Math.max(1, cfg.bulkParallelism()), named("sabot-op"));
        this.exits = Executors.newFixedThreadPool(2, named("sabot-exit"));
        this.timers = Executors.newScheduledThreadPool(1, named("sabot-timer"));
        this.supervisor = new Supervisor(cfg, new ProcessLauncher(watchdog), timers, exits, this::emit,
                this::applyStrategy, this::onAgentMessage);
        this.follower = new LogFollower(timers);
        timers.scheduleWithFixedDelay(this::checkHeartbeats, 250, 250, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::rotateLogs, 30, 30, TimeUnit.SECONDS);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public EngineConfig config() { return cfg; }

    public OrphanWatchdog watchdog() { return watchdog; }

    // ---- events -----------------------------------------------------------------------------

    void emit(EngineEvent e) {
        for (EngineListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException ex) {
                System.err.println("sabot: event listener failed: " + ex);
            }
        }
    }

    /** Publishes an event from a component wired around the engine (metrics, spans, assignments). */
    public void publish(EngineEvent e) { emit(e); }

    @Override
    public Subscription subscribe(EngineListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Protocol messages other than ready/heartbeat (acks, commits) go to these handlers. */
    public Subscription onAgentMessages(BiConsumer<String, JsonNode> handler) {
        messageHandlers.add(handler);
        return () -> messageHandlers.remove(handler);
    }

    private void onAgentMessage(Instance in, JsonNode msg) {
        if (messageHandlers.isEmpty()) return;
        for (BiConsumer<String, JsonNode> h : messageHandlers) h.accept(in.id, msg);
    }

    /** Hears every new agent process right after spawn. */
    public void onSpawn(SpawnListener l) { supervisor.addSpawnListener(l); }

    /** Sends a protocol message to an instance's stdin; false if it has no live protocol process. */
    public boolean send(String instanceId, String json) {
        Instance in = find(instanceId);
        if (in == null) return false;
        io.sabot.process.AgentProcess p;
        synchronized (in) {
            if (in.proc == null || !in.spec.protocol()) return false;
            p = in.proc;
        }
        // never under the instance's monitor: status, heartbeats and crash handling must not wait on an agent
        boolean sent = p.send(json);
        if (!sent && p.firstRefusal()) {
            in.log.line("[sabot] " + in.id + " does not read its stdin (" + io.sabot.process.AgentProcess.MAX_QUEUED_BYTES / (1024 * 1024)
                    + " MiB unread): protocol messages to it are dropped");
        }
        return sent;
    }

    // ---- specs --------------------------------------------------------------------------------

    @Override
    public DeployResult deploy(FleetSpec spec) throws SpecException {
        List<String> added = new ArrayList<>(), changed = new ArrayList<>(), unchanged = new ArrayList<>();
        List<Instance> toRestart = new ArrayList<>();
        List<Instance> toStop = new ArrayList<>();
        synchronized (this) {
            List<SpecError> errors = new ArrayList<>();
            FleetChecks.crossCheck(spec.agents(), spec.topics(), new ArrayList<>(agents.values()),
                    new ArrayList<>(topics.values()), errors);
            for (int i = 0; i < spec.topics().size(); i++) {
                TopicSpec t = spec.topics().get(i), old = topics.get(t.name());
                if (old != null && t.partitions() < old.partitions()) {
                    errors.add(new SpecError("topics[" + i + "].partitions", "cannot shrink topic \"" + t.name() + "\" from "
                            + old.partitions() + " to " + t.partitions() + " partitions (offsets would be lost); add a new topic instead"));
                }
            }
            long total = 0;
            for (Map.Entry<String, List<Instance>> e : instances.entrySet()) total += e.getValue().size();
            for (AgentSpec a : spec.agents()) {
                List<Instance> have = instances.get(a.name());
                total += a.concurrency() - (have == null ? 0 : have.size());
            }
            if (total > io.sabot.spec.SpecParser.MAX_INSTANCES) {
                errors.add(new SpecError("agents", "the engine would run " + total + " instances; it runs at most " + io.sabot.spec.SpecParser.MAX_INSTANCES));
            }
            if (!errors.isEmpty()) throw new SpecException("deploy", errors);
            // every new instance's log is opened before anything changes, so running out of file
            // descriptors leaves the engine as it was instead of half deployed
            List<String> newIds = new ArrayList<>();
            for (AgentSpec a : spec.agents()) {
                List<Instance> have = instances.get(a.name());
                for (int i = have == null ? 0 : have.size(); i < a.concurrency(); i++) newIds.add(a.instanceId(i));
            }
            openLogs(newIds, "deploy");
            long now = System.currentTimeMillis();
            for (TopicSpec t : spec.topics()) {
                TopicSpec old = topics.get(t.name());
                long origin = t.originEpochMs() > 0 ? t.originEpochMs() : old != null ? old.originEpochMs() : now;
                topics.put(t.name(), t.withOrigin(origin));
            }
            for (io.sabot.spec.AlertSpec al : spec.alerts()) alerts.put(al.name(), al);
            for (AgentSpec a : spec.agents()) {
                AgentSpec old = agents.get(a.name());
                if (old == null) {
                    added.add(a.name());
                    agents.put(a.name(), a);
                    List<Instance> list = new ArrayList<>();
                    for (int i = 0; i < a.concurrency(); i++) list.add(newInstance(a, i));
                    instances.put(a.name(), list);
                } else if (old.equals(a)) {
                    unchanged.add(a.name());
                } else {
                    changed.add(a.name());
                    agents.put(a.name(), a);
                    List<Instance> list = instances.get(a.name());
                    boolean running = false;
                    for (Instance in : list) {
                        in.spec = a;
                        synchronized (in) { running |= in.desired; }
                        if (!old.sameExceptConcurrency(a) && isLive(in)) toRestart.add(in);
                    }
                    while (list.size() > a.concurrency()) {
                        Instance gone = list.remove(list.size() - 1);
                        gone.removed = true;
                        toStop.add(gone);
                        toRestart.remove(gone);
                    }
                    for (int i = list.size(); i < a.concurrency(); i++) {
                        Instance in = newInstance(a, i);
                        list.add(in);
                        if (running) toRestart.add(in);
                    }
                }
            }
        }
        emit(new EngineEvent.SpecEvent(spec()));
        List<LifecycleResult> results = new ArrayList<>();
        if (!toStop.isEmpty()) results.addAll(bulk("scale-down", toStop, (in, ctx) ->
                supervisor.stop(in, false, in.spec.stopGraceMs(), Cause.SCALE, ctx, true)));
        if (!toRestart.isEmpty()) results.addAll(bulk("redeploy", toRestart, (in, ctx) ->
                supervisor.restart(in, in.spec.startTimeoutMs(), in.spec.stopGraceMs(), Cause.DEPLOY, ctx)));
        cfg.durability().sync();
        return new DeployResult(added, changed, unchanged, spec.topics().stream().map(TopicSpec::name).toList(), results);
    }

    private static boolean isLive(Instance in) {
        synchronized (in) { return in.state != InstanceState.STOPPED && in.state != InstanceState.FAILED; }
    }

    /** Opens the logs of these instances (caller holds this); on failure closes the ones it opened and throws, naming the cause. */
    private void openLogs(List<String> ids, String op) throws SpecException {
        List<String> opened = new ArrayList<>();
        for (String id : ids) {
            if (logs.containsKey(id)) continue;
            try {
                logs.put(id, new InstanceLog(cfg.home().resolve("logs").resolve(id + ".log"), cfg.logMaxBytes()));
                opened.add(id);
            } catch (IOException | RuntimeException e) {
                for (String o : opened) logs.remove(o).close();
                throw new SpecException(op, List.of(new SpecError("agents", "cannot open the log files of " + ids.size()
                        + " new instances (" + e.getMessage() + "); nothing was changed")));
            }
        }
    }

    private Instance newInstance(AgentSpec a, int index) {
        String id = a.instanceId(index);
        InstanceLog log = logs.computeIfAbsent(id, k -> {
            try {
                return new InstanceLog(cfg.home().resolve("logs").resolve(k + ".log"), cfg.logMaxBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open log of " + k + ": " + e.getMessage(), e);
            }
        });
        return new Instance(a, index, log);
    }

    @Override
    public List<LifecycleResult> remove(List<String> names) {
        List<Instance> gone = new ArrayList<>();
        synchronized (this) {
            for (String n : names) {
                if (!agents.containsKey(n)) throw new UnknownTargetException("unknown agent \"" + n + "\"; deployed: " + agents.keySet());
            }
            for (AgentSpec a : agents.values()) {
                if (names.contains(a.name())) continue;
                for (String d : a.dependsOn()) {
                    if (names.contains(d)) throw new UnknownTargetException("cannot remove \"" + d + "\": \"" + a.name() + "\" depends on it (remove both, or redeploy it without the dependency)");
                }
            }
            for (String n : names) {
                agents.remove(n);
                for (Instance in : instances.remove(n)) {
                    in.removed = true;
                    gone.add(in);
                }
            }
        }
        List<LifecycleResult> results = bulk("remove", gone, (in, ctx) ->
                supervisor.stop(in, false, in.spec.stopGraceMs(), Cause.OPERATOR, ctx, true));
        emit(new EngineEvent.RemovedEvent(List.copyOf(names)));
        emit(new EngineEvent.SpecEvent(spec()));
        cfg.durability().sync();
        return results;
    }

    @Override
    public synchronized FleetSpec spec() {
        return new FleetSpec(new ArrayList<>(agents.values()), new ArrayList<>(topics.values()), new ArrayList<>(alerts.values()));
    }

    // ---- targets ------------------------------------------------------------------------------

    /** The instances a selection names, in spec order, each once. */
    synchronized List<Instance> resolve(Selection sel) {
        if (sel.all() || sel.names().isEmpty()) {
            List<Instance> all = new ArrayList<>();
            instances.values().forEach(all::addAll);
            return all;
        }
        Set<Instance> out = new LinkedHashSet<>();
        for (String n : sel.names()) {
            List<Instance> list = instances.get(n);
            if (list != null) {
                out.addAll(list);
                continue;
            }
            Instance in = find(n);
            if (in == null) throw new UnknownTargetException("unknown agent or instance \"" + n + "\"; deployed agents: " + agents.keySet());
            out.add(in);
        }
        // keep spec order whatever order the names came in
        List<Instance> ordered = new ArrayList<>();
        for (List<Instance> list : instances.values()) for (Instance in : list) if (out.contains(in)) ordered.add(in);
        return ordered;
    }

    synchronized Instance find(String instanceId) {
        int dash = instanceId.lastIndexOf('-');
        if (dash <= 0) return null;
        List<Instance> list = instances.get(instanceId.substring(0, dash));
        if (list == null) return null;
        try {
            int i = Integer.parseInt(instanceId.substring(dash + 1));
            return i >= 0 && i < list.size() ? list.get(i) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Dependency depth of each agent: 0 for none, else 1 + the deepest dependency. */
    private synchronized Map<String, Integer> levels() {
        Map<String, Integer> level = new HashMap<>();
        for (String a : agents.keySet()) level(a, level, 0);
        return level;
    }

    private int level(String a, Map<String, Integer> memo, int depth) {
        Integer l = memo.get(a);
        if (l != null) return l;
        AgentSpec s = agents.get(a);
        int max = 0;
        if (s != null && depth < 1000) for (String d : s.dependsOn()) max = Math.max(max, 1 + level(d, memo, depth + 1));
        memo.put(a, max);
        return max;
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    @Override
    public List<LifecycleResult> start(Selection targets, Integer concurrency, Long timeoutMs) {
        List<LifecycleResult> results = new ArrayList<>();
        if (concurrency != null) results.addAll(scale(targets, concurrency));
        List<Instance> chosen = resolve(targets);
        // dependencies first: add every instance of every (transitive) dependency
        Set<Instance> all = new LinkedHashSet<>();
        synchronized (this) {
            List<String> queue = new ArrayList<>();
            for (Instance in : chosen) queue.add(in.agent);
            Set<String> seen = new LinkedHashSet<>();
            while (!queue.isEmpty()) {
                String a = queue.remove(queue.size() - 1);
                if (!seen.add(a) || !agents.containsKey(a)) continue;
                queue.addAll(agents.get(a).dependsOn());
            }
            for (String a : seen) {
                for (Instance in : instances.get(a)) if (chosen.contains(in) || !chosen.stream().anyMatch(c -> c.agent.equals(a))) all.add(in);
            }
        }
        Map<String, Integer> levels = levels();
        int maxLevel = all.stream().mapToInt(in -> levels.getOrDefault(in.agent, 0)).max().orElse(0);
        Span root = rootSpan("start", all.size());
        try {
            Context ctx = Context.root().with(root);
            Set<String> failedAgents = new LinkedHashSet<>();
            for (int l = 0; l <= maxLevel; l++) {
                final int lv = l;
                List<Instance> wave = all.stream().filter(in -> levels.getOrDefault(in.agent, 0) == lv).toList();
                List<Instance> runnable = new ArrayList<>();
                for (Instance in : wave) {
                    String blocked = in.spec.dependsOn().stream().filter(failedAgents::contains).findFirst().orElse(null);
                    if (blocked != null) results.add(LifecycleResult.failure("start", in.id, "dependency \"" + blocked + "\" is not running"));
                    else runnable.add(in);
                }
                List<LifecycleResult> rs = bulkIn(ctx, runnable, (in, c) ->
                        supervisor.start(in, timeoutMs != null ? timeoutMs : in.spec.startTimeoutMs(), Cause.OPERATOR, c));
                for (LifecycleResult r : rs) if (!r.success()) failedAgents.add(agentOf(r.instance()));
                results.addAll(rs);
            }
            return finish(root, results);
        } finally {
            root.end();
        }
    }

    private static String agentOf(String instanceId) { return instanceId.substring(0, instanceId.lastIndexOf('-')); }

    /** Changes the number of instances of the named agents; extra instances are stopped and forgotten. */
    private List<LifecycleResult> scale(Selection targets, int n) {
        if (n < 1 || n > io.sabot.spec.SpecParser.MAX_CONCURRENCY) {
            throw new IllegalArgumentException("--concurrency must be between 1 and " + io.sabot.spec.SpecParser.MAX_CONCURRENCY + ", was " + n);
        }
        if (targets.all() || targets.names().isEmpty()) throw new IllegalArgumentException("--concurrency needs agent names, not --all");
        List<Instance> extra = new ArrayList<>();
        synchronized (this) {
            long total = 0;
            for (List<Instance> list : instances.values()) total += list.size();
            List<String> newIds = new ArrayList<>();
            for (String name : new LinkedHashSet<>(targets.names())) {
                if (!agents.containsKey(name)) throw new UnknownTargetException("--concurrency applies to agents; \"" + name + "\" is not a deployed agent (deployed: " + agents.keySet() + ")");
                int have = instances.get(name).size();
                total += n - have;
                for (int i = have; i < n; i++) newIds.add(agents.get(name).instanceId(i));
            }
            if (total > io.sabot.spec.SpecParser.MAX_INSTANCES) {
                throw new IllegalArgumentException("--concurrency " + n + " would make " + total + " instances; the engine runs at most " + io.sabot.spec.SpecParser.MAX_INSTANCES);
            }
            try {
                openLogs(newIds, "scale");
            } catch (SpecException e) {
                throw new IllegalStateException(e.errors().get(0).message(), e);
            }
            for (String name : targets.names()) {
                AgentSpec a = agents.get(name).withConcurrency(n);
                agents.put(name, a);
                List<Instance> list = instances.get(name);
                for (Instance in : list) in.spec = a;
                while (list.size() > n) {
                    Instance gone = list.remove(list.size() - 1);
                    gone.removed = true;
                    extra.add(gone);
                }
                for (int i = list.size(); i < n; i++) list.add(newInstance(a, i));
            }
        }
        emit(new EngineEvent.SpecEvent(spec()));
        return bulk("scale-down", extra, (in, ctx) -> supervisor.stop(in, false, in.spec.stopGraceMs(), Cause.SCALE, ctx, true));
    }

    @Override
    public List<LifecycleResult> stop(Selection targets, boolean force, Long timeoutMs) {
        List<Instance> chosen = resolve(targets);
        Map<String, Integer> levels = levels();
        int maxLevel = chosen.stream().mapToInt(in -> levels.getOrDefault(in.agent, 0)).max().orElse(0);
        List<LifecycleResult> results = new ArrayList<>();
        Span root = rootSpan(force ? "force-stop" : "stop", chosen.size());
        try {
            Context ctx = Context.root().with(root);
            // dependents stop before what they depend on
            for (int l = maxLevel; l >= 0; l--) {
                final int lv = l;
                List<Instance> wave = chosen.stream().filter(in -> levels.getOrDefault(in.agent, 0) == lv).toList();
                results.addAll(bulkIn(ctx, wave, (in, c) ->
                        supervisor.stop(in, force, timeoutMs != null ? timeoutMs : in.spec.stopGraceMs(), Cause.OPERATOR, c, true)));
            }
            return finish(root, reorder(chosen, results));
        } finally {
            root.end();
        }
    }

    @Override
    public List<LifecycleResult> restart(Selection targets, boolean rolling, Long timeoutMs) {
        List<Instance> chosen = resolve(targets);
        Span root = rootSpan(rolling ? "rolling-restart" : "restart", chosen.size());
        try {
            Context ctx = Context.root().with(root);
            List<LifecycleResult> results = new ArrayList<>();
            if (rolling) {
                for (Instance in : chosen) {
                    LifecycleResult r = supervisor.restart(in, timeoutMs != null ? timeoutMs : in.spec.startTimeoutMs(),
                            in.spec.stopGraceMs(), Cause.OPERATOR, ctx);
                    results.add(r);
                    if (!r.success()) {
                        // a rolling restart stops at the first instance that does not come back
                        for (Instance rest : chosen.subList(chosen.indexOf(in) + 1, chosen.size())) {
                            results.add(LifecycleResult.failure("restart", rest.id, "not restarted: rolling restart halted at " + in.id));
                        }
                        break;
                    }
                }
            } else {
                results = bulkIn(ctx, chosen, (in, c) -> supervisor.restart(in,
                        timeoutMs != null ? timeoutMs : in.spec.startTimeoutMs(), in.spec.stopGraceMs(), Cause.OPERATOR, c));
            }
            return finish(root, results);
        } finally {
            root.end();
        }
    }

    private Span rootSpan(String op, int count) {
        io.opentelemetry.api.trace.SpanBuilder b = supervisor.tracer().spanBuilder(op + " (" + count + (count == 1 ? " instance)" : " instances)"));
        // a caller's context handed over the control protocol (W3C traceparent) joins this operation to the caller's trace
        io.opentelemetry.api.trace.SpanContext caller = Span.current().getSpanContext();
        Span s = (caller.isValid() && caller.isRemote() ? b.setParent(Context.current()) : b.setNoParent()).startSpan();
        s.setAttribute("sabot.operation", op);
        s.setAttribute("sabot.count", count);
        return s;
    }

    private List<LifecycleResult> finish(Span root, List<LifecycleResult> results) {
        if (!closed) emit(new EngineEvent.DesiredEvent(desiredState()));
        long failed = results.stream().filter(r -> !r.success()).count();
        root.setAttribute("sabot.failed", failed);
        if (failed > 0) root.setStatus(StatusCode.ERROR, failed + " of " + results.size() + " failed");
        cfg.durability().sync();
        return results;
    }

    private static List<LifecycleResult> reorder(List<Instance> order, List<LifecycleResult> results) {
        Map<String, LifecycleResult> byId = new LinkedHashMap<>();
        for (LifecycleResult r : results) byId.put(r.instance(), r);
        List<LifecycleResult> out = new ArrayList<>();
        for (Instance in : order) if (byId.containsKey(in.id)) out.add(byId.remove(in.id));
        out.addAll(byId.values());
        return out;
    }

    /** Runs one operation per instance under a root span of its own. */
    private List<LifecycleResult> bulk(String op, List<Instance> targets, BiFunction2 fn) {
        if (targets.isEmpty()) return List.of();
        Span root = rootSpan(op, targets.size());
        try {
            return finish(root, bulkIn(Context.root().with(root), targets, fn));
        } finally {
            root.end();
        }
    }

    @FunctionalInterface
    private interface BiFunction2 {
        LifecycleResult apply(Instance in, Context ctx);
    }

    /** In parallel, bounded by the ops pool; one result per instance, in order; a failure never aborts the others. */
    private List<LifecycleResult> bulkIn(Context ctx, List<Instance> targets, BiFunction2 fn) {
        if (targets.size() == 1) return List.of(safely(targets.get(0), ctx, fn));
        List<Future<LifecycleResult>> futures = new ArrayList<>();
        for (Instance in : targets) futures.add(ops.submit(() -> safely(in, ctx, fn)));
        List<LifecycleResult> out = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                out.add(futures.get(i).get());
            } catch (Exception e) {
                out.add(LifecycleResult.failure("op", targets.get(i).id, String.valueOf(e.getMessage())));
            }
        }
        return out;
    }

    private static LifecycleResult safely(Instance in, Context ctx, BiFunction2 fn) {
        try {
            return fn.apply(in, ctx);
        } catch (RuntimeException e) {
            return LifecycleResult.failure("op", in.id, "internal error: " + e);
        }
    }

    /** Supervision strategies: after a crash, restart the siblings the group's strategy names. */
    private void applyStrategy(Instance crashed) {
        SupervisionStrategy st = crashed.spec.strategy();
        if (st == SupervisionStrategy.ONE_FOR_ONE || closed) return;
        List<Instance> siblings = new ArrayList<>();
        synchronized (this) {
            boolean after = false;
            for (List<Instance> list : instances.values()) {
                for (Instance in : list) {
                    if (!in.spec.group().equals(crashed.spec.group())) continue;
                    if (in == crashed) { after = true; continue; }
                    if (st == SupervisionStrategy.ONE_FOR_ALL || after) siblings.add(in);
                }
            }
        }
        for (Instance in : siblings) {
            if (!isRunningOrStarting(in)) continue;
            ops.submit(() -> {
                Span root = supervisor.tracer().spanBuilder("strategy-restart " + in.id).setNoParent().startSpan();
                root.setAttribute("sabot.strategy", st.wireName());
                root.setAttribute("sabot.crashed", crashed.id);
                try {
                    if (isRunningOrStarting(in)) {
                        supervisor.restart(in, in.spec.startTimeoutMs(), in.spec.stopGraceMs(), Cause.STRATEGY, Context.root().with(root));
                    }
                } finally {
                    root.end();
                }
            });
        }
    }

    private static boolean isRunningOrStarting(Instance in) {
        synchronized (in) { return in.state == InstanceState.RUNNING || in.state == InstanceState.STARTING; }
    }

    /** Kills an instance on the engine's own account (health, limits); it is restarted per its policy. */
    public boolean kill(String instanceId, String cause, String reason) {
        Instance in = find(instanceId);
        return in != null && supervisor.kill(in, cause, reason);
    }

    private void checkHeartbeats() {
        long now = System.nanoTime();
        List<Instance> all;
        synchronized (this) {
            if (agents.values().stream().noneMatch(a -> a.protocol() && a.health().heartbeatTimeoutMs() > 0)) return;
            all = new ArrayList<>();
            instances.values().forEach(all::addAll);
        }
        for (Instance in : all) {
            AgentSpec s = in.spec;
            long timeout = s.health().heartbeatTimeoutMs();
            if (!s.protocol() || timeout <= 0) continue;
            boolean running;
            synchronized (in) { running = in.state == InstanceState.RUNNING && !in.stopRequested; }
            if (!running) continue;
            if (now - in.lastHeartbeatNanos > TimeUnit.MILLISECONDS.toNanos(timeout)) {
                in.healthy = false;
                emit(new EngineEvent.NoticeEvent(in.id + " unhealthy: no heartbeat for " + timeout + " ms"));
                supervisor.kill(in, Cause.HEALTH, "heartbeat timeout");
            }
        }
    }

    private void rotateLogs() {
        List<InstanceLog> all;
        synchronized (this) { all = new ArrayList<>(logs.values()); }
        for (InstanceLog l : all) l.rotateIfNeeded();
    }

    // ---- reading ------------------------------------------------------------------------------

    @Override
    public List<InstanceStatus> status(Selection targets) {
        List<InstanceStatus> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Instance in : resolve(targets)) out.add(snapshot(in, now));
        return out;
    }

    private static InstanceStatus snapshot(Instance in, long now) {
        synchronized (in) {
            long pid = in.pid();
            boolean up = in.state == InstanceState.RUNNING || in.state == InstanceState.STARTING || in.state == InstanceState.STOPPING;
            return new InstanceStatus(in.agent, in.index, in.id, in.state, pid > 0 ? pid : null,
                    up ? now - in.startedAtMs : 0, in.restarts, up ? in.cpuPercent : 0, up ? in.memoryBytes : 0,
                    in.state == InstanceState.RUNNING && in.healthy, in.partitions, in.lastExit, in.spec.group(),
                    up ? in.threads : 0, up ? in.messagesPerSec : 0, in.lag, in.cpuLimitMode, in.reason);
        }
    }

    @Override
    public List<Transition> history(String instanceId) {
        Instance in = find(instanceId);
        if (in == null) throw new UnknownTargetException("unknown instance \"" + instanceId + "\"");
        synchronized (in) { return new ArrayList<>(in.history); }
    }

    @Override
    public List<String> logs(String instanceId, int lines) {
        Instance in = find(instanceId);
        if (in == null) throw new UnknownTargetException("unknown instance \"" + instanceId + "\"");
        return in.log.tail(Math.max(0, lines));
    }

    @Override
    public Subscription followLogs(String instanceId, Consumer<String> sink) {
        Instance in = find(instanceId);
        if (in == null) throw new UnknownTargetException("unknown instance \"" + instanceId + "\"");
        return follower.follow(in.log.file(), sink);
    }

    /** Live process ids by instance id, for the metrics sampler and limit enforcement. */
    public Map<String, Long> livePids() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Instance in : resolve(Selection.everything())) {
            long pid = in.pid();
            if (pid > 0) out.put(in.id, pid);
        }
        return out;
    }

    /** The sampler's latest figures for one instance. */
    public void updateMetrics(String instanceId, double cpuPercent, long memoryBytes, int threads) {
        Instance in = find(instanceId);
        if (in == null) return;
        in.cpuPercent = cpuPercent;
        in.memoryBytes = memoryBytes;
        in.threads = threads;
    }

    /** Which enforcement keeps an instance under its CPU limit ("cgroup", "duty-cycle"), for status. */
    public void updateCpuLimitMode(String instanceId, String mode) {
        Instance in = find(instanceId);
        if (in != null) in.cpuLimitMode = mode;
    }

    /** Partitions an instance owns now ({@code topic:partition}), set by the partition manager. */
    public void updatePartitions(String instanceId, List<String> partitions) {
        Instance in = find(instanceId);
        if (in != null) in.partitions = List.copyOf(partitions);
    }

    /** Writes a line of the engine's own ({@code [sabot] ...}) into an instance's log, e.g. why a message of it was ignored. */
    public void note(String instanceId, String line) {
        Instance in = find(instanceId);
        if (in != null) in.log.line("[sabot] " + line);
    }

    /** The spec of the agent an instance belongs to, or null. */
    public AgentSpec specOf(String instanceId) {
        Instance in = find(instanceId);
        return in == null ? null : in.spec;
    }

    @Override
    public List<PartitionView> partitions(String topic) {
        java.util.function.Function<String, List<PartitionView>> src = partitionSource;
        if (topic != null) {
            synchronized (this) {
                if (!topics.containsKey(topic)) throw new UnknownTargetException("unknown topic \"" + topic + "\"; topics: " + topics.keySet());
            }
        }
        return src == null ? List.of() : src.apply(topic);
    }

    @Override
    public List<AssignmentView> rebalance(String topic, String strategy, String reason) {
        if (topic != null) {
            synchronized (this) {
                if (!topics.containsKey(topic)) throw new UnknownTargetException("unknown topic \"" + topic + "\"; topics: " + topics.keySet());
            }
        }
        if (strategy != null && !io.sabot.spec.SpecParser.TOPIC_STRATEGIES.contains(strategy)) {
            throw new IllegalArgumentException("unknown strategy \"" + strategy + "\"; one of " + new java.util.TreeSet<>(io.sabot.spec.SpecParser.TOPIC_STRATEGIES));
        }
        Rebalancer r = rebalancer;
        if (r == null) throw new UnsupportedOperationException("this engine has no partition manager");
        return r.rebalance(topic, strategy, reason == null ? "operator" : reason);
    }

    @Override
    public List<TraceView> traces(int limit) {
        java.util.function.IntFunction<List<TraceView>> src = traceSource;
        return src == null ? List.of() : src.apply(limit);
    }

    @Override
    public List<MetricPoint> metricsHistory(String instanceId, long fromMs, long toMs) {
        MetricsHistory src = metricsSource;
        return src == null ? List.of() : src.between(instanceId, fromMs, toMs);
    }

    /** The topics deployed. */
    public synchronized List<TopicSpec> topics() { return new ArrayList<>(topics.values()); }

    @Override
    public EngineInfo info() {
        int n;
        int a;
        synchronized (this) {
            a = agents.size();
            n = instances.values().stream().mapToInt(List::size).sum();
        }
        String v = LocalEngine.class.getPackage().getImplementationVersion();
        return new EngineInfo(ProcessHandle.current().pid(), cfg.home().toString(), v == null ? "dev" : v, startedAt, a, n);
    }

    /** Stops every agent gracefully (their desired state is kept, so a new engine brings them back), then ends the watchdog. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        List<Instance> all = resolve(Selection.everything());
        Span root = rootSpan("shutdown", all.size());
        try {
            bulkIn(Context.root().with(root), all, (in, ctx) ->
                    supervisor.stop(in, false, in.spec.stopGraceMs(), Cause.SHUTDOWN, ctx, false));
        } finally {
            root.end();
        }
        cfg.durability().sync();
        follower.close();
        ops.shutdownNow();
        timers.shutdownNow();
        exits.shutdownNow();
        watchdog.close();
        synchronized (this) { logs.values().forEach(InstanceLog::close); }
    }

    /** Whether a given agent's instances should run, for the store to persist. */
    public synchronized Map<String, Boolean> desiredState() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Instance>> e : instances.entrySet()) {
            boolean d = false;
            for (Instance in : e.getValue()) synchronized (in) { d |= in.desired; }
            out.put(e.getKey(), d);
        }
        return out;
    }
}
