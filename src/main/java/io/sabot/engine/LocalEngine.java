package io.sabot.engine;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.sabot.process.OrphanWatchdog;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.SpecError;
import io.sabot.spec.SpecException;
import io.sabot.spec.SpecParser;
import io.sabot.spec.TopicSpec;
import io.sabot.telemetry.TraceView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@link Engine} API in this JVM: operations as an operator sees them (deploy, remove,
 * start, stop, restart, status), each over the fleet of an {@link EngineRuntime}. Bulk
 * operations follow {@link DependencyOrder} and run on a {@link BulkRunner}; restarts after a
 * crash are not decided here but by each group's supervisor ({@code io.sabot.engine.supervision}).
 * What the engine cannot answer itself comes from the {@link Answers} it is built with.
 */
public final class LocalEngine implements Engine {
    private final EngineRuntime rt;
    private final Answers answers;
    private final BulkRunner bulk;
    private volatile boolean closed;

    /** An engine with nothing wired around it (tests, tools). */
    public LocalEngine(EngineConfig cfg) {
        this(new EngineRuntime(cfg), Answers.NONE);
    }

    public LocalEngine(EngineRuntime runtime, Answers answers) {
        this.rt = runtime;
        this.answers = answers;
        this.bulk = new BulkRunner(runtime.ops, runtime.runner.tracer());
    }

    public EngineRuntime runtime() { return rt; }

    public EngineConfig config() { return rt.config(); }

    public OrphanWatchdog watchdog() { return rt.watchdog(); }

    @Override
    public Subscription subscribe(EngineListener listener) { return rt.subscribe(listener); }

    @Override
    public Subscription watchFigures() { return rt.demand.watch(); }

    /** Hears every new agent process right after spawn. */
    public Subscription onSpawn(SpawnListener l) { return rt.onSpawn(l); }

    /** Live process ids by instance id. */
    public Map<String, Long> livePids() { return rt.livePids(); }

    /** The topics deployed. */
    public List<TopicSpec> topics() { return rt.topics(); }

    // ---- specs --------------------------------------------------------------------------------

    @Override
    public DeployResult deploy(FleetSpec spec) throws SpecException {
        FleetChange.Outcome change;
        rt.writes().lock();
        try {
            Fleet f = rt.fleet();
            List<SpecError> errors = FleetChange.check(f, spec);
            if (!errors.isEmpty()) throw new SpecException("deploy", errors);
            // every new instance's log is opened before anything changes, so running out of file
            // descriptors leaves the engine as it was instead of half deployed
            openLogs(FleetChange.newIds(f, spec), "deploy");
            change = FleetChange.deploy(f, spec, rt::newInstance, System.currentTimeMillis());
            rt.swap(change.next());
        } finally {
            rt.writes().unlock();
        }
        rt.publish(new EngineEvent.SpecEvent(change.next().spec()));
        List<LifecycleResult> results = new ArrayList<>();
        results.addAll(run("scale-down", change.toStop(), (in, ctx) ->
                rt.runner.stop(in, false, in.spec.stopGraceMs(), Cause.SCALE, ctx, true)));
        results.addAll(run("redeploy", change.toRestart(), (in, ctx) ->
                rt.runner.restart(in, in.spec.startTimeoutMs(), in.spec.stopGraceMs(), Cause.DEPLOY, ctx)));
        durable();
        return new DeployResult(change.added(), change.changed(), change.unchanged(), spec.topics().stream().map(TopicSpec::name).toList(), results);
    }

    private void openLogs(List<String> ids, String op) throws SpecException {
        try {
            rt.logs.openAll(ids);
        } catch (IOException e) {
            throw new SpecException(op, List.of(new SpecError("agents", e.getMessage() + "; nothing was changed")));
        }
    }

    @Override
    public List<LifecycleResult> remove(List<String> names) {
        FleetChange.Outcome change;
        rt.writes().lock();
        try {
            change = FleetChange.remove(rt.fleet(), names);
            rt.swap(change.next());
        } finally {
            rt.writes().unlock();
        }
        List<LifecycleResult> results = run("remove", change.toStop(), (in, ctx) ->
                rt.runner.stop(in, false, in.spec.stopGraceMs(), Cause.OPERATOR, ctx, true));
        rt.publish(new EngineEvent.RemovedEvent(names));
        rt.publish(new EngineEvent.SpecEvent(change.next().spec()));
        durable();
        return results;
    }

    @Override
    public FleetSpec spec() { return rt.fleet().spec(); }

    // ---- targets ------------------------------------------------------------------------------

    /** The instances a selection names, in spec order, each once. */
    List<Instance> resolve(Selection sel) {
        Fleet f = rt.fleet();
        if (sel.all() || sel.names().isEmpty()) return f.all();
        Set<Instance> out = new LinkedHashSet<>();
        for (String n : sel.names()) {
            List<Instance> list = f.instances().get(n);
            if (list != null) {
                out.addAll(list);
                continue;
            }
            Instance in = f.find(n);
            if (in == null) throw new UnknownTargetException("unknown agent or instance \"" + n + "\"; deployed agents: " + f.agents().keySet());
            out.add(in);
        }
        // keep spec order whatever order the names came in
        List<Instance> ordered = new ArrayList<>();
        for (Instance in : f.all()) if (out.contains(in)) ordered.add(in);
        return ordered;
    }

    private Instance instance(String id) {
        Instance in = rt.find(id);
        if (in == null) throw new UnknownTargetException("unknown instance \"" + id + "\"");
        return in;
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    @Override
    public List<LifecycleResult> start(Selection targets, Integer concurrency, Long timeoutMs) {
        List<LifecycleResult> results = new ArrayList<>();
        if (concurrency != null) results.addAll(scale(targets, concurrency));
        Fleet f = rt.fleet();
        List<Instance> all = DependencyOrder.withDependencies(f, resolve(targets));
        Span root = bulk.rootSpan("start", all.size());
        try {
            Context ctx = Context.root().with(root);
            Set<String> failedAgents = new LinkedHashSet<>();
            for (List<List<Instance>> wave : DependencyOrder.waves(f, all)) {
                List<List<Instance>> runnable = new ArrayList<>();
                for (List<Instance> chain : wave) {
                    List<Instance> ok = new ArrayList<>();
                    for (Instance in : chain) {
                        String blocked = in.spec.dependsOn().stream().filter(failedAgents::contains).findFirst().orElse(null);
                        if (blocked != null) results.add(LifecycleResult.failure("start", in.id, "dependency \"" + blocked + "\" is not running"));
                        else ok.add(in);
                    }
                    if (!ok.isEmpty()) runnable.add(ok);
                }
                List<LifecycleResult> rs = bulk.chains(ctx, runnable, (in, c) ->
                        rt.runner.start(in, timeoutMs != null ? timeoutMs : in.spec.startTimeoutMs(), Cause.OPERATOR, c), true);
                for (LifecycleResult r : rs) if (!r.success()) failedAgents.add(io.sabot.spec.InstanceIds.agentOf(r.instance()));
                results.addAll(rs);
            }
            return finish(root, results);
        } finally {
            root.end();
        }
    }

    /** Changes the number of instances of the named agents; extra instances are stopped and forgotten. */
    private List<LifecycleResult> scale(Selection targets, int n) {
        if (n < 1 || n > SpecParser.MAX_CONCURRENCY) {
            throw new IllegalArgumentException("--concurrency must be between 1 and " + SpecParser.MAX_CONCURRENCY + ", was " + n);
        }
        if (targets.all() || targets.names().isEmpty()) throw new IllegalArgumentException("--concurrency needs agent names, not --all");
        Set<String> names = new LinkedHashSet<>(targets.names());
        FleetChange.Outcome change;
        rt.writes().lock();
        try {
            Fleet f = rt.fleet();
            List<String> newIds = FleetChange.scaleIds(f, names, n);
            try {
                openLogs(newIds, "scale");
            } catch (SpecException e) {
                throw new IllegalStateException(e.errors().get(0).message(), e);
            }
            change = FleetChange.scale(f, names, n, rt::newInstance);
            rt.swap(change.next());
        } finally {
            rt.writes().unlock();
        }
        rt.publish(new EngineEvent.SpecEvent(change.next().spec()));
        return run("scale-down", change.toStop(), (in, ctx) -> rt.runner.stop(in, false, in.spec.stopGraceMs(), Cause.SCALE, ctx, true));
    }

    @Override
    public List<LifecycleResult> stop(Selection targets, boolean force, Long timeoutMs) {
        List<Instance> chosen = resolve(targets);
        List<List<List<Instance>>> waves = DependencyOrder.waves(rt.fleet(), chosen);
        List<LifecycleResult> results = new ArrayList<>();
        Span root = bulk.rootSpan(force ? "force-stop" : "stop", chosen.size());
        try {
            Context ctx = Context.root().with(root);
            // dependents stop before what they depend on; a group's members in termination order
            for (int l = waves.size() - 1; l >= 0; l--) {
                List<List<Instance>> chains = new ArrayList<>();
                for (List<Instance> chain : waves.get(l)) {
                    List<Instance> reversed = new ArrayList<>(chain);
                    java.util.Collections.reverse(reversed);
                    chains.add(reversed);
                }
                results.addAll(bulk.chains(ctx, chains, (in, c) ->
                        rt.runner.stop(in, force, timeoutMs != null ? timeoutMs : in.spec.stopGraceMs(), Cause.OPERATOR, c, true), false));
            }
            return finish(root, BulkRunner.reorder(chosen, results));
        } finally {
            root.end();
        }
    }

    @Override
    public List<LifecycleResult> restart(Selection targets, boolean rolling, Long timeoutMs) {
        List<Instance> chosen = resolve(targets);
        Span root = bulk.rootSpan(rolling ? "rolling-restart" : "restart", chosen.size());
        try {
            Context ctx = Context.root().with(root);
            List<LifecycleResult> results = new ArrayList<>();
            if (rolling) {
                for (Instance in : chosen) {
                    LifecycleResult r = rt.runner.restart(in, timeoutMs != null ? timeoutMs : in.spec.startTimeoutMs(),
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
                results = bulk.parallel(ctx, chosen, (in, c) -> rt.runner.restart(in,
                        timeoutMs != null ? timeoutMs : in.spec.startTimeoutMs(), in.spec.stopGraceMs(), Cause.OPERATOR, c));
            }
            return finish(root, results);
        } finally {
            root.end();
        }
    }

    /** Runs one operation per instance under a root span of its own. */
    private List<LifecycleResult> run(String op, List<Instance> targets, BulkRunner.Op fn) {
        if (targets.isEmpty()) return List.of();
        Span root = bulk.rootSpan(op, targets.size());
        try {
            return finish(root, bulk.parallel(Context.root().with(root), targets, fn));
        } finally {
            root.end();
        }
    }

    private List<LifecycleResult> finish(Span root, List<LifecycleResult> results) {
        if (!closed) rt.publish(new EngineEvent.DesiredEvent(desiredState()));
        long failed = results.stream().filter(r -> !r.success()).count();
        root.setAttribute("sabot.failed", failed);
        if (failed > 0) root.setStatus(StatusCode.ERROR, failed + " of " + results.size() + " failed");
        durable();
        return results;
    }

    /** Before an operation returns: every event so far delivered, and what must survive a crash on disk. */
    private void durable() {
        rt.bus.flush();
        rt.config().durability().sync();
    }

    /** Kills an instance on the engine's own account (health, limits); its group's rules apply. */
    public boolean kill(String instanceId, String cause, String reason) { return rt.kill(instanceId, cause, reason); }

    // ---- reading ------------------------------------------------------------------------------

    @Override
    public List<InstanceStatus> status(Selection targets) {
        rt.demand.look(); // someone looks: live figures at full rate for a while
        return statusUnseen(targets);
    }

    /** {@link #status} for the engine's own services (history, alerts): not a look that asks for live figures. */
    public List<InstanceStatus> statusUnseen(Selection targets) {
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
        Instance in = instance(instanceId);
        synchronized (in) { return new ArrayList<>(in.history); }
    }

    @Override
    public List<String> logs(String instanceId, int lines) {
        return instance(instanceId).log.tail(Math.max(0, lines));
    }

    @Override
    public Subscription followLogs(String instanceId, Consumer<String> sink) {
        return rt.follower.follow(instance(instanceId).log, sink);
    }

    @Override
    public List<PartitionView> partitions(String topic) {
        requireTopic(topic);
        return answers.partitions() == null ? List.of() : answers.partitions().partitions(topic);
    }

    @Override
    public List<AssignmentView> rebalance(String topic, String strategy, String reason) {
        requireTopic(topic);
        if (strategy != null && !SpecParser.TOPIC_STRATEGIES.contains(strategy)) {
            throw new IllegalArgumentException("unknown strategy \"" + strategy + "\"; one of " + new java.util.TreeSet<>(SpecParser.TOPIC_STRATEGIES));
        }
        if (answers.partitions() == null) throw new UnsupportedOperationException("this engine has no partition manager");
        return answers.partitions().rebalance(topic, strategy, reason == null ? "operator" : reason);
    }

    private void requireTopic(String topic) {
        Map<String, TopicSpec> topics = rt.fleet().topics();
        if (topic != null && !topics.containsKey(topic)) throw new UnknownTargetException("unknown topic \"" + topic + "\"; topics: " + topics.keySet());
    }

    @Override
    public List<TraceView> traces(int limit) {
        return answers.traces() == null ? List.of() : answers.traces().traces(limit);
    }

    @Override
    public List<TraceView> traces(io.sabot.telemetry.TraceQuery query) {
        return answers.search() == null ? Engine.super.traces(query) : answers.search().search(query);
    }

    @Override
    public List<MetricPoint> metricsHistory(String instanceId, long fromMs, long toMs) {
        return answers.metrics() == null ? List.of() : answers.metrics().between(instanceId, fromMs, toMs);
    }

    @Override
    public List<GroupStatus> groups() { return rt.groups(); }

    // ---- operator services (alerts, crash forensics, history, metrics export) -------------------

    private volatile StateViews stateViews;

    /** Attaches the state service (once). */
    public void stateSource(StateViews v) {
        if (stateViews != null) throw new IllegalStateException("a state service is attached already");
        this.stateViews = v;
    }

    @Override
    public List<StateStoreView> stateStores(String agent) {
        StateViews v = stateViews;
        if (agent != null && !rt.fleet().agents().containsKey(agent)) {
            throw new UnknownTargetException("unknown agent \"" + agent + "\"; deployed: " + rt.fleet().agents().keySet());
        }
        return v == null ? List.of() : v.stores(agent);
    }

    @Override
    public StateViews.StateReset resetState(String agent, String store) {
        StateViews v = stateViews;
        if (v == null) throw new UnsupportedOperationException("this engine keeps no state stores");
        return v.reset(agent, store);
    }

    private volatile OpsViews opsViews;

    /**
     * Alerts, crash forensics, history and metrics export answer their part of the API. They use
     * the whole Engine API themselves, so they attach once the engine exists (once).
     */
    public void opsSource(OpsViews v) {
        if (opsViews != null) throw new IllegalStateException("operator services are attached already");
        this.opsViews = v;
    }

    private OpsViews ops() {
        OpsViews v = opsViews;
        if (v == null) throw new UnsupportedOperationException("this engine has no alerts, forensics, history or metrics export attached");
        return v;
    }

    @Override
    public List<AlertView> alerts(int limit) { return opsViews == null ? List.of() : opsViews.alerts(limit); }

    @Override
    public AlertView testAlert(String name) { return ops().testAlert(name); }

    @Override
    public List<CrashReport> why(Selection targets) {
        List<String> ids = new ArrayList<>();
        for (Instance in : resolve(targets)) ids.add(in.id);
        return opsViews == null ? List.of() : opsViews.crashes(ids);
    }

    @Override
    public UsageHistory usageHistory(String subject, String range) { return ops().usage(subject, range); }

    @Override
    public String metricsText() { return ops().metricsText(); }

    private volatile java.util.function.Supplier<StoreHealth> storeHealthSource;

    /** The store's health, for {@link #info()}. */
    public void storeHealthSource(java.util.function.Supplier<StoreHealth> s) { this.storeHealthSource = s; }

    @Override
    public EngineInfo info() {
        Fleet f = rt.fleet();
        String v = LocalEngine.class.getPackage().getImplementationVersion();
        java.util.function.Supplier<StoreHealth> store = storeHealthSource;
        return new EngineInfo(ProcessHandle.current().pid(), rt.config().home().toString(), v == null ? "dev" : v, rt.startedAtMs(),
                f.agents().size(), f.instanceCount(), store == null ? null : store.get());
    }

    /** Stops every agent gracefully (their desired state is kept, so a new engine brings them back), then ends the runtime. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        List<Instance> all = resolve(Selection.everything());
        Span root = bulk.rootSpan("shutdown", all.size());
        try {
            bulk.parallel(Context.root().with(root), all, (in, ctx) ->
                    rt.runner.stop(in, false, in.spec.stopGraceMs(), Cause.SHUTDOWN, ctx, false));
        } finally {
            root.end();
        }
        rt.bus.flush();
        rt.config().durability().sync();
        rt.close();
    }

    /** Whether a given agent's instances should run, for the store to persist. */
    public Map<String, Boolean> desiredState() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Instance>> e : rt.fleet().instances().entrySet()) {
            boolean d = false;
            for (Instance in : e.getValue()) synchronized (in) { d |= in.desired; }
            out.put(e.getKey(), d);
        }
        return out;
    }
}
