package io.sabot.multihost;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.sabot.control.NoEngineException;
import io.sabot.control.Transport;
import io.sabot.engine.AssignmentView;
import io.sabot.engine.DeployResult;
import io.sabot.engine.Engine;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.EngineInfo;
import io.sabot.engine.EngineListener;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.MetricPoint;
import io.sabot.engine.MetricsSnapshot;
import io.sabot.engine.OffsetCommit;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.engine.Subscription;
import io.sabot.engine.Transition;
import io.sabot.engine.UnknownTargetException;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.SpecException;
import io.sabot.spec.TopicSpec;
import io.sabot.ssh.Ssh;
import io.sabot.ssh.SshAddress;
import io.sabot.telemetry.SpanView;
import io.sabot.telemetry.TraceView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Several hosts' engines as one {@link Engine}, for the console. The primary (the engine the console
 * was opened on) keeps its names; every other host's agents, instances and topics carry its label
 * ({@link HostNames}: {@code web1/fraud_detector-0}), in results, statuses, events, partitions and
 * traces alike, and a name with a label is sent to that host without it. With no other host it is a
 * pass-through: the same calls, the same event objects.
 *
 * <p>An operation that involves several hosts runs on all of them at once and gives one result per
 * host and instance; it is one trace: a root span of the console's own (kept here, shown with
 * {@link #traces}) whose context each host's request carries as W3C {@code traceparent}, so every
 * engine's span of the operation is a child of it. A host that cannot be reached gets one failed
 * result naming it and why.
 *
 * <p>Guarantees, held by {@code HostsEngineTest} (two real daemons, one over ssh):
 * <ul>
 *   <li>statuses, events and partitions of every connected host, each name with its host's label;</li>
 *   <li>a bulk restart across hosts: per-host, per-instance results and one trace whose root is the
 *       console's span and holds each host's spans;</li>
 *   <li>an unreachable host never blocks the others: its calls fail at once ({@link HostConnection}).</li>
 * </ul>
 */
public final class HostsEngine implements Engine {
    /** Root spans of multi-host operations kept for {@link #traces}. */
    static final int OWN_SPANS = 200;
    private final String primaryLabel;
    private final Engine primary;
    private final Map<String, Member> members = new LinkedHashMap<>(); // guarded by itself
    private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> hostWatchers = new CopyOnWriteArrayList<>();
    private final Deque<SpanView> ownSpans = new ArrayDeque<>(); // guarded by itself
    private final Map<String, Load> loads = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> env;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sabot-hosts");
        t.setDaemon(true);
        return t;
    });
    private Subscription primarySub; // guarded by this
    private volatile EngineInfo primaryInfo;

    /** A host other than the primary. */
    private static final class Member {
        final String label;
        final String url;
        final HostConnection conn;
        volatile EngineInfo info;
        Subscription sub;

        Member(String label, String url, HostConnection conn) {
            this.label = label;
            this.url = url;
            this.conn = conn;
        }
    }

    /** A host's latest figures. */
    private record Load(double cpu, long memUsed, long memTotal, int running, int instances) {
        Load withStatus(int r, int n) { return new Load(cpu, memUsed, memTotal, r, n); }

        Load withMetrics(MetricsSnapshot m) { return new Load(m.hostCpuPercent(), m.hostMemoryUsedBytes(), m.hostMemoryTotalBytes(), running, instances); }
    }

    private static final Load NO_LOAD = new Load(-1, -1, -1, 0, 0);

    /**
     * @param primaryLabel the primary's name in the Hosts list ("local", or its ssh label)
     * @param env          where SABOT_SSH_COMMAND is read for hosts added later (the process environment)
     */
    public HostsEngine(String primaryLabel, Engine primary, Map<String, String> env) {
        this.primaryLabel = HostNames.checkLabel(primaryLabel);
        this.primary = primary;
        this.env = env == null ? System.getenv() : env;
    }

    public HostsEngine(String primaryLabel, Engine primary) { this(primaryLabel, primary, null); }

    public String primaryLabel() { return primaryLabel; }

    public Engine primary() { return primary; }

    /** The primary's facts as the console read them at start (its version and pid in the Hosts list). */
    public void knowPrimary(EngineInfo info) { primaryInfo = info; }

    /** The host a notice is about: a member's notices start with its label ({@link #qualify}), others are the primary's. */
    public String hostOfNotice(String text) {
        if (text != null) {
            int i = text.indexOf(": ");
            if (i > 0) {
                String l = text.substring(0, i);
                synchronized (members) { if (members.containsKey(l)) return l; }
            }
        }
        return primaryLabel;
    }

    /** Whether any host other than the primary is in the list. */
    public boolean multiHost() {
        synchronized (members) { return !members.isEmpty(); }
    }

    // ---- the Hosts list ---------------------------------------------------------------------------

    /** Hears changes of the list, of a host's state, version or load (on any thread; keep it quick). */
    public void watchHosts(Runnable r) { hostWatchers.add(r); }

    private void hostsChanged() {
        for (Runnable r : hostWatchers) {
            try {
                r.run();
            } catch (RuntimeException ignored) {
                // a watcher's failure is its own
            }
        }
    }

    /** Adds a host reached through ssh; it connects in the background (its state says how that goes). */
    public void addHost(String label, String url) {
        SshAddress a = SshAddress.parse(url);
        boolean batch = true; // the console has no terminal for ssh to prompt on
        addHost(label, a.url(), () -> Ssh.connect(a, env, batch));
    }

    /** Adds a host reached by {@code connector} (tests; other transports). */
    public void addHost(String label, String url, Supplier<Transport> connector) {
        String l = HostNames.checkLabel(label);
        Member m;
        synchronized (members) {
            if (l.equals(primaryLabel) || members.containsKey(l)) throw new IllegalArgumentException("a host named \"" + l + "\" is already in the list");
            m = new Member(l, url, new HostConnection(l, connector));
            members.put(l, m);
        }
        m.conn.watch(st -> onMemberState(m, st));
        m.sub = m.conn.subscribe(EngineListener.ignoring(ignored, background, e -> forward(m.label, e)));
        m.conn.start();
        poke(l + ": added to the hosts");
        hostsChanged();
    }

    /** Removes a host: its connection ends; its rows leave the console at the next status. */
    public boolean removeHost(String label) {
        Member m;
        synchronized (members) { m = members.remove(label); }
        if (m == null) return false;
        loads.remove(label);
        pool.execute(m.conn::close);
        poke(label + ": removed from the hosts");
        hostsChanged();
        return true;
    }

    /** The hosts as {@link HostsFile} keeps them (the primary is not kept: it is how the console was opened). */
    public List<HostsFile.Entry> remembered() {
        List<HostsFile.Entry> out = new ArrayList<>();
        synchronized (members) { for (Member m : members.values()) out.add(new HostsFile.Entry(m.label, m.url)); }
        return out;
    }

    /** The Hosts list: the primary first, then the others in the order they were added. */
    public List<HostView> hosts() {
        List<HostView> out = new ArrayList<>();
        EngineInfo pi = primaryInfo;
        HostState ps = primary instanceof HostConnection hc ? hc.state()
                : new HostState(HostState.Kind.CONNECTED, null, pi == null ? null : pi.version(), 0, 0);
        Load pl = loads.getOrDefault(primaryLabel, NO_LOAD);
        out.add(new HostView(primaryLabel, null, true, ps, pi != null ? pi.version() : ps.version(), pi == null ? 0 : pi.pid(),
                pl.cpu(), pl.memUsed(), pl.memTotal(), pl.running(), pl.instances()));
        for (Member m : members()) {
            HostState st = m.conn.state();
            Load l = loads.getOrDefault(m.label, NO_LOAD);
            EngineInfo i = m.info;
            out.add(new HostView(m.label, m.url, false, st, i != null ? i.version() : st.version(), i == null ? 0 : i.pid(),
                    l.cpu(), l.memUsed(), l.memTotal(), l.running(), l.instances()));
        }
        return out;
    }

    private List<Member> members() {
        synchronized (members) { return new ArrayList<>(members.values()); }
    }

    private void onMemberState(Member m, HostState st) {
        if (st.connected()) {
            pool.execute(() -> {
                try {
                    m.info = m.conn.info();
                } catch (RuntimeException ignored) {
                    // it says so in its state
                }
                hostsChanged();
            });
        }
        poke(null);
        hostsChanged();
    }

    /** Makes listeners read status and spec again (a host came, went, connected or dropped). */
    private void poke(String notice) {
        if (notice != null) emit(new EngineEvent.NoticeEvent(notice));
        emit(new EngineEvent.RemovedEvent(List.of()));
    }

    // ---- events --------------------------------------------------------------------------------------

    @Override
    public Subscription watchFigures() {
        return primary.watchFigures(); // the other hosts' engines see the console's event streams as viewers
    }

    /** Event types the engines need not send: those the first listener ignores (set when it subscribes; hosts added before it send everything). */
    private volatile java.util.Set<String> ignored = java.util.Set.of();
    private volatile boolean background;

    @Override
    public Subscription subscribe(EngineListener listener) {
        synchronized (this) {
            if (primarySub == null) {
                // the engines are asked for what the first listener (the console's feed) hears; see ignored
                ignored = listener.ignores();
                background = listener.background();
                primarySub = primary.subscribe(EngineListener.ignoring(ignored, background, this::fromPrimary));
                if (primaryInfo == null) pool.execute(() -> {
                    try {
                        primaryInfo = primary.info();
                        hostsChanged();
                    } catch (RuntimeException ignored) {
                        // the console says the engine does not answer
                    }
                });
            }
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void fromPrimary(EngineEvent e) {
        if (e instanceof EngineEvent.MetricsEvent m) {
            loads.merge(primaryLabel, NO_LOAD.withMetrics(m.metrics()), (a, b) -> a.withMetrics(m.metrics()));
            hostsChanged();
        }
        emit(e);
    }

    private void forward(String label, EngineEvent e) {
        if (e instanceof EngineEvent.MetricsEvent m) {
            loads.merge(label, NO_LOAD.withMetrics(m.metrics()), (a, b) -> a.withMetrics(m.metrics()));
            hostsChanged();
        }
        EngineEvent q = qualify(label, e);
        if (q != null) emit(q);
    }

    private void emit(EngineEvent e) {
        for (EngineListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException ignored) {
                // a listener's failure is its own
            }
        }
    }

    /** A member's event with its names qualified. Kinds this build does not know pass unchanged. */
    static EngineEvent qualify(String label, EngineEvent e) {
        java.util.function.UnaryOperator<String> q = n -> HostNames.qualify(label, n);
        if (e instanceof EngineEvent.TransitionEvent t) return new EngineEvent.TransitionEvent(transition(label, t.transition()));
        if (e instanceof EngineEvent.ResultEvent r) return new EngineEvent.ResultEvent(result(label, r.result()));
        if (e instanceof EngineEvent.SpecEvent s) return new EngineEvent.SpecEvent(SpecNames.qualify(s.spec(), label));
        if (e instanceof EngineEvent.RemovedEvent r) return new EngineEvent.RemovedEvent(r.agents().stream().map(q).toList());
        if (e instanceof EngineEvent.DesiredEvent d) {
            Map<String, Boolean> m = new HashMap<>();
            d.desired().forEach((k, v) -> m.put(q.apply(k), v));
            return new EngineEvent.DesiredEvent(m);
        }
        if (e instanceof EngineEvent.MetricsEvent m) {
            MetricsSnapshot s = m.metrics();
            Map<String, MetricsSnapshot.InstanceMetrics> in = new HashMap<>();
            if (s.instances() != null) s.instances().forEach((k, v) -> in.put(q.apply(k), v));
            // another host's machine figures are not the console's host panel's: -1 says so
            return new EngineEvent.MetricsEvent(new MetricsSnapshot(s.timeMs(), -1, -1, -1, in));
        }
        if (e instanceof EngineEvent.SpanEvent s) return new EngineEvent.SpanEvent(span(label, s.span()));
        if (e instanceof EngineEvent.AssignmentEvent a) {
            return new EngineEvent.AssignmentEvent(Renamer.rename(a.assignment(), AssignmentView.class, q, "topic", "owners.*", "group"));
        }
        if (e instanceof EngineEvent.NoticeEvent n) {
            // the connection's own notices already name the host
            return n.text().startsWith(label + ": ") ? n : new EngineEvent.NoticeEvent(label + ": " + n.text());
        }
        if (e instanceof EngineEvent.OffsetEvent o) return new EngineEvent.OffsetEvent(Renamer.rename(o.offset(), OffsetCommit.class, q, "topic", "instance"));
        if (e instanceof EngineEvent.AlertEvent a) return new EngineEvent.AlertEvent(alert(label, a.alert()));
        if (e instanceof EngineEvent.BrokerEvent b) {
            return new EngineEvent.BrokerEvent(Renamer.rename(b.status(), io.sabot.engine.BrokerStatus.class, q, "cluster"));
        }
        if (e instanceof EngineEvent.GroupEvent g) {
            return new EngineEvent.GroupEvent(Renamer.rename(g.change(), EngineEvent.GroupChange.class, q, "group", "members"));
        }
        return e;
    }

    /** A member's alert: names qualified, and an id that cannot collide with another host's (ids count per engine). */
    static io.sabot.engine.AlertView alert(String label, io.sabot.engine.AlertView a) {
        io.sabot.engine.AlertView r = Renamer.rename(a, io.sabot.engine.AlertView.class, n -> HostNames.qualify(label, n), "alert", "agent", "instance", "key");
        long hostBits = ((long) (label.hashCode() & 0x7fff) + 1) << 44;
        com.fasterxml.jackson.databind.node.ObjectNode n = io.sabot.control.Wire.JSON.valueToTree(r);
        n.put("id", hostBits | (a.id() & ((1L << 44) - 1)));
        return io.sabot.control.Wire.JSON.convertValue(n, io.sabot.engine.AlertView.class);
    }

    static Transition transition(String label, Transition t) {
        return label == null ? t : Renamer.rename(t, Transition.class, n -> HostNames.qualify(label, n), "instance");
    }

    static LifecycleResult result(String label, LifecycleResult r) {
        return label == null ? r : Renamer.rename(r, LifecycleResult.class, n -> HostNames.qualify(label, n), "instance");
    }

    /** A member's span, marked with the host it ran on ({@code sabot.host}). */
    static SpanView span(String label, SpanView s) {
        Map<String, Object> attrs = new LinkedHashMap<>(s.attributes());
        attrs.put("sabot.host", label);
        return new SpanView(s.traceId(), s.spanId(), s.parentSpanId(), s.name(), s.startEpochNanos(), s.durationNanos(), s.status(), attrs);
    }

    static InstanceStatus status(String label, InstanceStatus s) {
        return Renamer.rename(s, InstanceStatus.class, n -> HostNames.qualify(label, n), "agent", "id", "partitions", "group");
    }

    // ---- routing ----------------------------------------------------------------------------------------

    /** The engine of a label (null: the primary). */
    private Engine engineOf(String label) {
        if (label == null || label.equals(primaryLabel)) return primary;
        Member m;
        synchronized (members) { m = members.get(label); }
        if (m == null) throw new UnknownTargetException("no host \"" + label + "\" in the Hosts list (hosts: " + labels() + ")");
        return m.conn;
    }

    private String labels() {
        List<String> l = new ArrayList<>();
        l.add(primaryLabel);
        synchronized (members) { l.addAll(members.keySet()); }
        return String.join(", ", l);
    }

    /** The label of a member (null for the primary and its names). */
    private static String memberLabel(String label, String primaryLabel) { return label == null || label.equals(primaryLabel) ? null : label; }

    /** Which host gets which part of a selection (keys: null for the primary, else labels; in host order). */
    private Map<String, Selection> route(Selection s, boolean connectedOnly) {
        Map<String, Selection> plan = new LinkedHashMap<>();
        if (s.all() || s.names().isEmpty()) {
            plan.put(null, s);
            for (Member m : members()) if (!connectedOnly || m.conn.state().connected()) plan.put(m.label, s);
            return plan;
        }
        Map<String, List<String>> names = new LinkedHashMap<>();
        for (String n : s.names()) {
            String l = memberLabel(HostNames.labelOf(n), primaryLabel);
            engineOf(l); // an unknown label is named now
            names.computeIfAbsent(l, k -> new ArrayList<>()).add(HostNames.localName(n));
        }
        names.forEach((l, ns) -> plan.put(l, Selection.of(ns)));
        return plan;
    }

    private <T> List<T> qualified(String label, List<T> items, Function<T, T> f) {
        if (label == null) return items;
        List<T> out = new ArrayList<>(items.size());
        for (T t : items) out.add(f.apply(t));
        return out;
    }

    /** Runs a lifecycle call on each host of the plan at once; one trace when several hosts take part. */
    private List<LifecycleResult> fanOut(String op, Selection s, java.util.function.BiFunction<Engine, Selection, List<LifecycleResult>> call) {
        Map<String, Selection> plan = route(s, false);
        if (plan.size() == 1) {
            Map.Entry<String, Selection> only = plan.entrySet().iterator().next();
            String l = only.getKey();
            return qualified(l, call.apply(engineOf(l), only.getValue()), r -> result(l, r));
        }
        IdGenerator ids = IdGenerator.random();
        String traceId = ids.generateTraceId(), spanId = ids.generateSpanId();
        SpanContext root = SpanContext.createFromRemoteParent(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
        long startNanos = epochNanos();
        long t0 = System.nanoTime();
        Map<String, CompletableFuture<List<LifecycleResult>>> futures = new LinkedHashMap<>();
        for (Map.Entry<String, Selection> p : plan.entrySet()) {
            String l = p.getKey();
            futures.put(l, CompletableFuture.supplyAsync(() -> {
                try (Scope scope = Context.root().with(Span.wrap(root)).makeCurrent()) {
                    return qualified(l, call.apply(engineOf(l), p.getValue()), r -> result(l, r));
                } catch (RuntimeException e) {
                    String host = l == null ? primaryLabel : l;
                    String m = e.getMessage() == null ? e.toString() : e.getMessage();
                    return List.of(new LifecycleResult(op, host, false, null, null, 0, m.startsWith(host) ? m : host + ": " + m, traceId, null));
                }
            }, pool));
        }
        List<LifecycleResult> all = new ArrayList<>();
        for (CompletableFuture<List<LifecycleResult>> f : futures.values()) all.addAll(f.join());
        long failed = all.stream().filter(r -> !r.success()).count();
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("sabot.operation", op);
        attrs.put("sabot.count", (long) all.size());
        List<String> hosts = new ArrayList<>();
        for (String l : plan.keySet()) hosts.add(l == null ? primaryLabel : l);
        attrs.put("sabot.hosts", hosts);
        attrs.put("sabot.failed", failed);
        if (failed > 0) attrs.put("otel.status_description", failed + " of " + all.size() + " failed");
        SpanView rootSpan = new SpanView(traceId, spanId, null, op + " (" + all.size() + " instances on " + plan.size() + " hosts)", startNanos,
                System.nanoTime() - t0, failed > 0 ? "ERROR" : "OK", attrs);
        synchronized (ownSpans) {
            ownSpans.addFirst(rootSpan);
            while (ownSpans.size() > OWN_SPANS) ownSpans.removeLast();
        }
        emit(new EngineEvent.SpanEvent(rootSpan));
        return all;
    }

    private static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Calls each connected host at once and concatenates (reads: an unreachable host is left out). */
    private <T> List<T> gather(Function<Engine, List<T>> call, java.util.function.BiFunction<String, T, T> qualify) {
        List<Member> ms = members();
        if (ms.isEmpty()) return call.apply(primary);
        List<CompletableFuture<List<T>>> fs = new ArrayList<>();
        fs.add(CompletableFuture.supplyAsync(() -> call.apply(primary), pool));
        for (Member m : ms) {
            if (!m.conn.state().connected()) continue;
            fs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return qualified(m.label, call.apply(m.conn), t -> qualify.apply(m.label, t));
                } catch (RuntimeException e) {
                    return List.<T>of(); // it says so in its state
                }
            }, pool));
        }
        List<T> out = new ArrayList<>();
        try {
            for (CompletableFuture<List<T>> f : fs) out.addAll(f.join());
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return out;
    }

    // ---- the Engine API ---------------------------------------------------------------------------------

    @Override
    public DeployResult deploy(FleetSpec spec) throws SpecException {
        if (!multiHost()) return primary.deploy(spec);
        Map<String, List<AgentSpec>> agents = new LinkedHashMap<>();
        Map<String, List<TopicSpec>> topics = new LinkedHashMap<>();
        Map<String, List<io.sabot.spec.AlertSpec>> alerts = new LinkedHashMap<>();
        Map<String, List<io.sabot.spec.GroupSpec>> groups = new LinkedHashMap<>();
        for (io.sabot.spec.GroupSpec g : spec.groups()) groups.computeIfAbsent(memberLabel(HostNames.labelOf(g.name()), primaryLabel), k -> new ArrayList<>()).add(g);
        for (io.sabot.spec.AlertSpec a : spec.alerts()) alerts.computeIfAbsent(memberLabel(HostNames.labelOf(a.name()), primaryLabel), k -> new ArrayList<>()).add(a);
        for (AgentSpec a : spec.agents()) agents.computeIfAbsent(memberLabel(HostNames.labelOf(a.name()), primaryLabel), k -> new ArrayList<>()).add(a);
        for (TopicSpec t : spec.topics()) topics.computeIfAbsent(memberLabel(HostNames.labelOf(t.name()), primaryLabel), k -> new ArrayList<>()).add(t);
        java.util.Set<String> hosts = new java.util.LinkedHashSet<>(agents.keySet());
        hosts.addAll(topics.keySet());
        hosts.addAll(alerts.keySet());
        hosts.addAll(groups.keySet());
        List<String> added = new ArrayList<>(), changed = new ArrayList<>(), unchanged = new ArrayList<>(), ts = new ArrayList<>();
        List<LifecycleResult> results = new ArrayList<>();
        for (String l : hosts) {
            // clusters and consumer groups are not named per host: a group may span hosts (Kafka coordinates it)
            java.util.Set<String> used = new java.util.HashSet<>();
            for (AgentSpec a : agents.getOrDefault(l, List.of())) used.add(a.consumerGroup());
            FleetSpec part = new FleetSpec(agents.getOrDefault(l, List.of()), topics.getOrDefault(l, List.of()),
                    groups.getOrDefault(l, List.of()), alerts.getOrDefault(l, List.of()), spec.clusters(),
                    spec.consumerGroups().stream().filter(g -> used.contains(g.name())).toList());
            DeployResult r = engineOf(l).deploy(l == null ? part : SpecNames.local(part, l + HostNames.SEP));
            java.util.function.UnaryOperator<String> q = n -> HostNames.qualify(l, n);
            r.added().stream().map(q).forEach(added::add);
            r.changed().stream().map(q).forEach(changed::add);
            r.unchanged().stream().map(q).forEach(unchanged::add);
            r.topics().stream().map(q).forEach(ts::add);
            results.addAll(qualified(l, r.results(), x -> result(l, x)));
        }
        return new DeployResult(added, changed, unchanged, ts, results);
    }

    @Override
    public List<LifecycleResult> remove(List<String> agents) {
        if (!multiHost()) return primary.remove(agents);
        return fanOut("remove", Selection.of(agents), (e, s) -> e.remove(s.names()));
    }

    @Override
    public FleetSpec spec() {
        if (!multiHost()) return primary.spec();
        List<AgentSpec> agents = new ArrayList<>();
        List<TopicSpec> topics = new ArrayList<>();
        List<io.sabot.spec.AlertSpec> alerts = new ArrayList<>();
        List<io.sabot.spec.GroupSpec> groups = new ArrayList<>();
        Map<String, io.sabot.spec.ClusterSpec> clusters = new LinkedHashMap<>();
        Map<String, io.sabot.spec.ConsumerGroupSpec> consumerGroups = new LinkedHashMap<>();
        List<FleetSpec> parts = gather(e -> List.of(e.spec()), (l, f) -> SpecNames.qualify(f, l));
        for (FleetSpec f : parts) {
            agents.addAll(f.agents());
            topics.addAll(f.topics());
            groups.addAll(f.groups());
            alerts.addAll(f.alerts());
            for (io.sabot.spec.ClusterSpec c : f.clusters()) clusters.putIfAbsent(c.name(), c);
            for (io.sabot.spec.ConsumerGroupSpec g : f.consumerGroups()) consumerGroups.putIfAbsent(g.name(), g);
        }
        return new FleetSpec(agents, topics, groups, alerts, new ArrayList<>(clusters.values()), new ArrayList<>(consumerGroups.values()));
    }

    @Override
    public List<LifecycleResult> start(Selection targets, Integer concurrency, Long timeoutMs) {
        return fanOut("start", targets, (e, s) -> e.start(s, concurrency, timeoutMs));
    }

    @Override
    public List<LifecycleResult> stop(Selection targets, boolean force, Long timeoutMs) {
        return fanOut(force ? "force-stop" : "stop", targets, (e, s) -> e.stop(s, force, timeoutMs));
    }

    @Override
    public List<LifecycleResult> restart(Selection targets, boolean rolling, Long timeoutMs) {
        return fanOut(rolling ? "rolling-restart" : "restart", targets, (e, s) -> e.restart(s, rolling, timeoutMs));
    }

    @Override
    public List<InstanceStatus> status(Selection targets) {
        Map<String, Selection> plan = route(targets, true);
        List<CompletableFuture<List<InstanceStatus>>> fs = new ArrayList<>();
        for (Map.Entry<String, Selection> p : plan.entrySet()) {
            String l = p.getKey();
            Function<Void, List<InstanceStatus>> read = v -> {
                List<InstanceStatus> st = engineOf(l).status(p.getValue());
                if (p.getValue().all() || p.getValue().names().isEmpty()) {
                    int running = (int) st.stream().filter(s -> s.state() == InstanceState.RUNNING).count();
                    loads.merge(l == null ? primaryLabel : l, NO_LOAD.withStatus(running, st.size()), (a, b) -> a.withStatus(running, st.size()));
                }
                return qualified(l, st, s -> status(l, s));
            };
            if (plan.size() == 1) {
                List<InstanceStatus> one = read.apply(null);
                hostsChanged();
                return one;
            }
            fs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return read.apply(null);
                } catch (NoEngineException e) {
                    if (l == null) throw e;
                    return List.of(); // a host that dropped: its state says so
                }
            }, pool));
        }
        List<InstanceStatus> out = new ArrayList<>();
        try {
            for (CompletableFuture<List<InstanceStatus>> f : fs) out.addAll(f.join());
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        hostsChanged();
        return out;
    }

    @Override
    public List<Transition> history(String instanceId) {
        String l = memberLabel(HostNames.labelOf(instanceId), primaryLabel);
        return qualified(l, engineOf(l).history(HostNames.localName(instanceId)), t -> transition(l, t));
    }

    @Override
    public List<String> logs(String instanceId, int lines) {
        String l = memberLabel(HostNames.labelOf(instanceId), primaryLabel);
        return engineOf(l).logs(HostNames.localName(instanceId), lines);
    }

    @Override
    public Subscription followLogs(String instanceId, java.util.function.Consumer<String> sink) {
        String l = memberLabel(HostNames.labelOf(instanceId), primaryLabel);
        return engineOf(l).followLogs(HostNames.localName(instanceId), sink);
    }

    @Override
    public List<PartitionView> partitions(String topic) {
        if (topic != null) {
            String l = memberLabel(HostNames.labelOf(topic), primaryLabel);
            return qualified(l, engineOf(l).partitions(HostNames.localName(topic)), p -> partition(l, p));
        }
        return gather(e -> e.partitions(null), HostsEngine::partition);
    }

    static PartitionView partition(String label, PartitionView p) {
        PartitionView q = Renamer.rename(p, PartitionView.class, n -> HostNames.qualify(label, n), "topic", "group");
        // an owner on another engine of a group Kafka coordinates is "instance@host" already
        return Renamer.rename(q, PartitionView.class, n -> n.indexOf('@') >= 0 ? n : HostNames.qualify(label, n), "owner");
    }

    @Override
    public List<AssignmentView> rebalance(String topic, String strategy, String reason) {
        if (topic != null || !multiHost()) {
            String l = topic == null ? null : memberLabel(HostNames.labelOf(topic), primaryLabel);
            return qualified(l, engineOf(l).rebalance(topic == null ? null : HostNames.localName(topic), strategy, reason),
                    a -> Renamer.rename(a, AssignmentView.class, n -> HostNames.qualify(l, n), "topic", "owners.*", "group"));
        }
        return gather(e -> e.rebalance(null, strategy, reason),
                (l, a) -> Renamer.rename(a, AssignmentView.class, n -> HostNames.qualify(l, n), "topic", "owners.*", "group"));
    }

    /** Every connected host's traces, joined by trace id (one operation across hosts is one trace), with the console's own root spans. */
    /** A search: the engine's own on one host; across hosts, over the joined traces (one operation across hosts is one trace). */
    @Override
    public List<TraceView> traces(io.sabot.telemetry.TraceQuery q) {
        if (!multiHost()) return primary.traces(q);
        if (q.isEmpty()) return traces(q.limit());
        return traces(10_000).stream().filter(q::matches).limit(q.limit()).toList();
    }

    @Override
    public List<TraceView> traces(int limit) {
        List<SpanView> own;
        synchronized (ownSpans) { own = new ArrayList<>(ownSpans); }
        if (!multiHost() && own.isEmpty()) return primary.traces(limit);
        List<TraceView> parts = gather(e -> e.traces(limit), (l, t) -> {
            List<SpanView> spans = new ArrayList<>();
            for (SpanView s : t.spans()) spans.add(span(l, s));
            return new TraceView(t.traceId(), t.name(), t.startEpochNanos(), t.durationNanos(), t.status(), spans);
        });
        Map<String, List<SpanView>> byTrace = new LinkedHashMap<>();
        Map<String, SpanView> roots = new HashMap<>();
        for (SpanView s : own) roots.put(s.traceId(), s);
        for (TraceView t : parts) byTrace.computeIfAbsent(t.traceId(), k -> new ArrayList<>()).addAll(t.spans());
        for (SpanView s : own) byTrace.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
        List<TraceView> out = new ArrayList<>();
        for (Map.Entry<String, List<SpanView>> e : byTrace.entrySet()) out.add(TraceView.of(roots.get(e.getKey()), e.getValue()));
        out.sort(Comparator.comparingLong(TraceView::startEpochNanos).reversed());
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    @Override
    public List<MetricPoint> metricsHistory(String instanceId, long fromMs, long toMs) {
        String l = memberLabel(HostNames.labelOf(instanceId), primaryLabel);
        return engineOf(l).metricsHistory(HostNames.localName(instanceId), fromMs, toMs);
    }

    @Override
    public List<io.sabot.engine.AlertView> alerts(int limit) {
        List<io.sabot.engine.AlertView> all = gather(e -> e.alerts(limit), HostsEngine::alert);
        if (!multiHost()) return all;
        all = new ArrayList<>(all);
        all.sort(Comparator.comparingLong(io.sabot.engine.AlertView::startedAtEpochMs).reversed());
        return all.size() > limit ? new ArrayList<>(all.subList(0, limit)) : all;
    }

    @Override
    public io.sabot.engine.AlertView testAlert(String name) {
        String l = memberLabel(HostNames.labelOf(name), primaryLabel);
        io.sabot.engine.AlertView a = engineOf(l).testAlert(HostNames.localName(name));
        return l == null ? a : alert(l, a);
    }

    @Override
    public List<io.sabot.engine.CrashReport> why(Selection targets) {
        Map<String, Selection> plan = route(targets, true);
        List<io.sabot.engine.CrashReport> out = new ArrayList<>();
        for (Map.Entry<String, Selection> p : plan.entrySet()) {
            String l = p.getKey();
            try {
                out.addAll(qualified(l, engineOf(l).why(p.getValue()),
                        r -> Renamer.rename(r, io.sabot.engine.CrashReport.class, n -> HostNames.qualify(l, n), "instance", "agent")));
            } catch (NoEngineException e) {
                if (l == null || plan.size() == 1) throw e;
            }
        }
        return out;
    }

    /** {@code agent:web1/api} is {@code agent:api} on web1. */
    @Override
    public io.sabot.engine.UsageHistory usageHistory(String subject, String range) {
        int colon = subject == null ? -1 : subject.indexOf(':');
        String name = colon < 0 ? subject : subject.substring(colon + 1);
        String l = memberLabel(HostNames.labelOf(name), primaryLabel);
        if (l == null) return primary.usageHistory(subject, range);
        String local = (colon < 0 ? "" : subject.substring(0, colon + 1)) + HostNames.localName(name);
        return Renamer.rename(engineOf(l).usageHistory(local, range), io.sabot.engine.UsageHistory.class, s -> subject, "subject");
    }

    /** Every connected host's state stores (or one agent's, {@code web1/enricher} on web1), other hosts' names qualified. */
    @Override
    public List<io.sabot.engine.StateStoreView> stateStores(String agent) {
        java.util.function.BiFunction<String, io.sabot.engine.StateStoreView, io.sabot.engine.StateStoreView> q =
                (l, v) -> Renamer.rename(v, io.sabot.engine.StateStoreView.class, n -> HostNames.qualify(l, n), "agent", "topic", "owner");
        if (agent != null) {
            String l = memberLabel(HostNames.labelOf(agent), primaryLabel);
            return qualified(l, engineOf(l).stateStores(HostNames.localName(agent)), v -> q.apply(l, v));
        }
        return gather(e -> e.stateStores(null), q);
    }

    /** Clears an agent's state on its host. */
    @Override
    public io.sabot.engine.StateViews.StateReset resetState(String agent, String store) {
        String l = memberLabel(HostNames.labelOf(agent), primaryLabel);
        io.sabot.engine.StateViews.StateReset r = engineOf(l).resetState(HostNames.localName(agent), store);
        return l == null ? r : Renamer.rename(r, io.sabot.engine.StateViews.StateReset.class, n -> HostNames.qualify(l, n), "agent");
    }

    /** Every connected host's supervision groups, other hosts' names (group, members) qualified. */
    @Override
    public List<io.sabot.engine.GroupStatus> groups() {
        return gather(Engine::groups, (l, g) -> Renamer.rename(g, io.sabot.engine.GroupStatus.class, n -> HostNames.qualify(l, n), "name", "members"));
    }

    /** The primary's exposition (each host serves its own with {@code sabot metrics}). */
    @Override
    public String metricsText() { return primary.metricsText(); }

    /** The primary's facts (the console's title and status line). */
    @Override
    public EngineInfo info() {
        EngineInfo i = primary.info();
        primaryInfo = i;
        return i;
    }

    /** Ends the other hosts' connections and this view's subscription; the primary is its owner's to close. */
    @Override
    public void close() {
        Subscription s;
        synchronized (this) {
            s = primarySub;
            primarySub = null;
        }
        if (s != null) s.close();
        for (Member m : members()) m.conn.close();
        synchronized (members) { members.clear(); }
        pool.shutdownNow();
    }

    /** For tests and the status line: how many hosts answer now. */
    public int connectedHosts() {
        AtomicInteger n = new AtomicInteger(1);
        for (Member m : members()) if (m.conn.state().connected()) n.incrementAndGet();
        return n.get();
    }
}
