package io.sabot.multihost;

import io.sabot.control.NoEngineException;
import io.sabot.control.RemoteEngine;
import io.sabot.control.Transport;
import io.sabot.control.UnixSocketTransport;
import io.sabot.engine.AssignmentView;
import io.sabot.engine.DeployResult;
import io.sabot.engine.Engine;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.EngineInfo;
import io.sabot.engine.EngineListener;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.MetricPoint;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.engine.Subscription;
import io.sabot.engine.Transition;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.SpecException;
import io.sabot.ssh.Ssh;
import io.sabot.ssh.SshAddress;
import io.sabot.telemetry.TraceView;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One host's engine for long-lived users (the console, {@code logs --follow}): an {@link Engine} that
 * reconnects. When the connection drops (a call fails, or an event stream ends) it reports
 * {@code reconnecting} with the reason, retries with {@link RetryDelays} (reusing the ssh session
 * while it lives, so an engine restart costs no new ssh handshake), reports {@code unreachable}
 * after {@link RetryDelays#UNREACHABLE_AFTER} failed attempts, and keeps retrying every 10 s.
 * Subscriptions and log follows made through it are opened again on every reconnect.
 *
 * <p>Guarantees, held by {@code HostConnectionTest} (a real daemon killed and started again) and
 * {@code SshRemoteTest.aDroppedSessionIsReconnected}: calls while not connected fail at once with
 * {@link NoEngineException} naming the state and reason (they never block on a reconnect); state
 * changes reach every watcher in order, and subscribed listeners also get them as notices; after
 * {@link #close} nothing reconnects and no thread is left.
 */
public final class HostConnection implements Engine {
    private final String label;
    private final Supplier<Transport> connector;
    private final ScheduledExecutorService timer;
    private final List<Consumer<HostState>> watchers = new CopyOnWriteArrayList<>();
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private RemoteEngine engine; // guarded by this
    private Transport spare; // a live transport kept for the next attempt; guarded by this
    private HostState state = new HostState(HostState.Kind.CONNECTING, null, null, System.currentTimeMillis(), 0);
    private boolean closed, scheduled, everConnected;

    public HostConnection(String label, Supplier<Transport> connector) {
        this.label = label;
        this.connector = connector;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sabot-host-" + label);
            t.setDaemon(true);
            return t;
        });
    }

    /** A host reached through ssh. */
    public static HostConnection ssh(String label, SshAddress a) { return new HostConnection(label, () -> Ssh.connect(a)); }

    /** The engine of a home on this machine. */
    public static HostConnection local(String label, Path socket) { return new HostConnection(label, () -> new UnixSocketTransport(socket)); }

    public String label() { return label; }

    public synchronized HostState state() { return state; }

    /** Hears every state change (on the connection's own thread; keep it quick). */
    public void watch(Consumer<HostState> w) { watchers.add(w); }

    /** Tries to connect now, on this thread. False: the state says why, and retries continue in the background. */
    public boolean connect() {
        attempt();
        return state().connected();
    }

    /** Connects in the background. */
    public void start() { schedule(0); }

    private void schedule(long delayMs) {
        synchronized (this) {
            if (closed || scheduled) return;
            scheduled = true;
        }
        try {
            timer.schedule(() -> {
                synchronized (this) { scheduled = false; }
                attempt();
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void attempt() {
        Transport t;
        synchronized (this) {
            if (closed || engine != null) return;
            t = spare != null && spare.alive() ? spare : null;
            spare = null;
        }
        RemoteEngine e;
        try {
            if (t == null) t = connector.get();
            e = new RemoteEngine(t, true);
        } catch (RuntimeException ex) {
            synchronized (this) {
                if (t != null && t.alive() && !closed) spare = t;
                else if (t != null) t.close();
            }
            failed(reason(ex));
            return;
        }
        boolean again;
        HostState now;
        synchronized (this) {
            if (closed) {
                e.close();
                return;
            }
            engine = e;
            again = everConnected;
            everConnected = true;
            now = new HostState(HostState.Kind.CONNECTED, null, e.peer().version(), System.currentTimeMillis(), 0);
            state = now;
        }
        for (Stream s : streams) s.open(e);
        changed(now, again ? label + ": connected again" : null);
    }

    private void failed(String reason) {
        HostState now;
        synchronized (this) {
            if (closed) return;
            int n = state.attempts() + 1;
            boolean first = !everConnected;
            HostState.Kind k = first || n >= RetryDelays.UNREACHABLE_AFTER ? HostState.Kind.UNREACHABLE : HostState.Kind.RECONNECTING;
            // one notice per change of kind or reason, not one per attempt
            boolean news = k != state.state() || !java.util.Objects.equals(reason, state.reason());
            now = new HostState(k, reason, state.version(), news ? System.currentTimeMillis() : state.sinceMs(), n);
            state = now;
            if (!news) {
                notifyWatchers(now);
                schedule(RetryDelays.delayMs(n));
                return;
            }
        }
        changed(now, label + ": " + now.describe());
        schedule(RetryDelays.delayMs(now.attempts()));
    }

    /** The connection behind {@code e} dropped: report it and start reconnecting (once per connection). */
    void lost(RemoteEngine e, String reason) {
        HostState now;
        synchronized (this) {
            if (closed || engine != e || e == null) return;
            engine = null;
            if (e.alive()) {
                e.release();
                spare = e.transport();
            } else {
                e.close();
            }
            now = new HostState(HostState.Kind.RECONNECTING, reason, state.version(), System.currentTimeMillis(), 0);
            state = now;
        }
        changed(now, label + ": connection lost (" + reason + "); reconnecting");
        schedule(RetryDelays.delayMs(1));
    }

    private void changed(HostState now, String notice) {
        notifyWatchers(now);
        if (notice == null) return;
        EngineEvent n = new EngineEvent.NoticeEvent(notice);
        for (Stream s : streams) if (s.listener != null) s.listener.onEvent(n);
    }

    private void notifyWatchers(HostState now) {
        for (Consumer<HostState> w : watchers) {
            try {
                w.accept(now);
            } catch (RuntimeException ignored) {
                // a watcher's failure is its own
            }
        }
    }

    private static String reason(RuntimeException ex) {
        String m = ex.getMessage();
        return m == null || m.isBlank() ? ex.getClass().getSimpleName() : m;
    }

    private RemoteEngine current() {
        synchronized (this) {
            if (engine != null) return engine;
            throw new NoEngineException(label + " is " + state.describe());
        }
    }

    private <T> T call(Function<RemoteEngine, T> f) {
        RemoteEngine e = current();
        try {
            return f.apply(e);
        } catch (NoEngineException ex) {
            lost(e, reason(ex));
            throw ex;
        }
    }

    // ---- the Engine API, through whichever connection is current ------------------------------------

    @Override
    public DeployResult deploy(FleetSpec spec) throws SpecException {
        RemoteEngine e = current();
        try {
            return e.deploy(spec);
        } catch (NoEngineException ex) {
            lost(e, reason(ex));
            throw ex;
        }
    }

    @Override
    public List<LifecycleResult> remove(List<String> agents) { return call(e -> e.remove(agents)); }

    @Override
    public FleetSpec spec() { return call(RemoteEngine::spec); }

    @Override
    public List<LifecycleResult> start(Selection targets, Integer concurrency, Long timeoutMs) { return call(e -> e.start(targets, concurrency, timeoutMs)); }

    @Override
    public List<LifecycleResult> stop(Selection targets, boolean force, Long timeoutMs) { return call(e -> e.stop(targets, force, timeoutMs)); }

    @Override
    public List<LifecycleResult> restart(Selection targets, boolean rolling, Long timeoutMs) { return call(e -> e.restart(targets, rolling, timeoutMs)); }

    @Override
    public List<InstanceStatus> status(Selection targets) { return call(e -> e.status(targets)); }

    @Override
    public List<Transition> history(String instanceId) { return call(e -> e.history(instanceId)); }

    @Override
    public List<String> logs(String instanceId, int lines) { return call(e -> e.logs(instanceId, lines)); }

    @Override
    public Subscription watchFigures() {
        return () -> { }; // nothing to send: the remote daemon counts this connection's event streams as viewers
    }

    @Override
    public List<PartitionView> partitions(String topic) { return call(e -> e.partitions(topic)); }

    @Override
    public List<AssignmentView> rebalance(String topic, String strategy, String reason) { return call(e -> e.rebalance(topic, strategy, reason)); }

    @Override
    public List<TraceView> traces(int limit) { return call(e -> e.traces(limit)); }

    @Override
    public List<TraceView> traces(io.sabot.telemetry.TraceQuery q) { return call(e -> e.traces(q)); }

    @Override
    public List<MetricPoint> metricsHistory(String instanceId, long fromMs, long toMs) { return call(e -> e.metricsHistory(instanceId, fromMs, toMs)); }

    @Override
    public EngineInfo info() { return call(RemoteEngine::info); }

    @Override
    public List<io.sabot.engine.AlertView> alerts(int limit) { return call(e -> e.alerts(limit)); }

    @Override
    public io.sabot.engine.AlertView testAlert(String name) { return call(e -> e.testAlert(name)); }

    @Override
    public List<io.sabot.engine.CrashReport> why(Selection targets) { return call(e -> e.why(targets)); }

    @Override
    public io.sabot.engine.UsageHistory usageHistory(String subject, String range) { return call(e -> e.usageHistory(subject, range)); }

    @Override
    public List<io.sabot.engine.GroupStatus> groups() { return call(RemoteEngine::groups); }

    @Override
    public List<io.sabot.engine.StateStoreView> stateStores(String agent) { return call(e -> e.stateStores(agent)); }

    @Override
    public io.sabot.engine.StateViews.StateReset resetState(String agent, String store) { return call(e -> e.resetState(agent, store)); }

    @Override
    public String metricsText() { return call(RemoteEngine::metricsText); }

    /** Hears the engine's events across reconnects, plus a notice for each change of the connection. */
    @Override
    public Subscription subscribe(EngineListener listener) { return add(new Stream(listener, null, null, null)); }

    /**
     * Follows an instance's log across reconnects (lines written while disconnected are not
     * replayed). {@code onFail} hears a follow that cannot be opened again for another reason than
     * the connection (the instance was removed).
     */
    public Subscription followLogs(String instanceId, Consumer<String> sink, Consumer<RuntimeException> onFail) {
        return add(new Stream(null, instanceId, sink, onFail));
    }

    @Override
    public Subscription followLogs(String instanceId, Consumer<String> sink) { return followLogs(instanceId, sink, null); }

    private Subscription add(Stream s) {
        streams.add(s);
        RemoteEngine e;
        synchronized (this) { e = engine; }
        if (e != null) s.open(e);
        return s::close;
    }

    /** Ends the connection and every stream; nothing reconnects afterwards. */
    @Override
    public void close() {
        RemoteEngine e;
        Transport t;
        HostState now;
        synchronized (this) {
            if (closed) return;
            closed = true;
            e = engine;
            engine = null;
            t = spare;
            spare = null;
            now = new HostState(HostState.Kind.CLOSED, null, state.version(), System.currentTimeMillis(), 0);
            state = now;
        }
        for (Stream s : streams) s.close();
        timer.shutdownNow();
        if (e != null) e.close();
        if (t != null) t.close();
        notifyWatchers(now);
    }

    /** A subscription or a log follow, opened again on each connection. */
    private final class Stream {
        final EngineListener listener;
        final String instance;
        final Consumer<String> sink;
        final Consumer<RuntimeException> onFail;
        private Subscription current; // guarded by this
        private boolean closed; // guarded by this

        Stream(EngineListener listener, String instance, Consumer<String> sink, Consumer<RuntimeException> onFail) {
            this.listener = listener;
            this.instance = instance;
            this.sink = sink;
            this.onFail = onFail;
        }

        void open(RemoteEngine e) {
            Subscription sub;
            try {
                sub = listener != null ? e.subscribe(listener, () -> ended(e)) : e.followLogs(instance, sink, () -> ended(e));
            } catch (NoEngineException ex) {
                lost(e, reason(ex));
                return;
            } catch (RuntimeException ex) {
                streams.remove(this);
                if (onFail != null) onFail.accept(ex);
                return;
            }
            Subscription old;
            synchronized (this) {
                if (closed) {
                    old = sub;
                } else {
                    old = current;
                    current = sub;
                }
            }
            if (old != null) old.close();
        }

        /** The stream of {@code e} ended: the connection is lost, unless this side closed it. */
        void ended(RemoteEngine e) {
            synchronized (this) {
                if (closed) return;
            }
            String f = e.transport().failure();
            lost(e, f != null ? f : "the engine on " + e.where() + " ended the connection (did it stop?)");
        }

        void close() {
            Subscription s;
            synchronized (this) {
                if (closed) return;
                closed = true;
                s = current;
                current = null;
            }
            streams.remove(this);
            if (s != null) s.close();
        }
    }
}
