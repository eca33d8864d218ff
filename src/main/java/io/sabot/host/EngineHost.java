package io.sabot.host;

import io.sabot.control.ControlServer;
import io.sabot.engine.Answers;
import io.sabot.engine.EngineConfig;
import io.sabot.engine.EngineRuntime;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.MetricPoint;
import io.sabot.limits.LimitEnforcer;
import io.sabot.metrics.MetricsService;
import io.sabot.partition.PartitionService;
import io.sabot.store.HomeLock;
import io.sabot.store.MetricRecord;
import io.sabot.store.RecoveredState;
import io.sabot.store.SafetyPolicy;
import io.sabot.store.Store;
import io.sabot.store.StoreOptions;
import io.sabot.telemetry.Telemetry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Hosts the one engine of a home, for the daemon and for the console. Order matters: the home
 * lock first (a second engine fails here, before touching anything, with
 * {@link io.sabot.store.HomeLockedException}), then the store and what the last engine left,
 * telemetry, the engine and its services, recovery, and last the control socket. Closing stops
 * the agents gracefully (their desired state is kept), writes what is queued and releases the home.
 */
public final class EngineHost implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.sabot.host");
    private final List<AutoCloseable> closeInOrder = new ArrayList<>();
    private final HomeLock lock;
    private final LocalEngine engine;
    private volatile Store store;
    private Operations operations;
    private volatile boolean closed;

    private EngineHost(HomeLock lock, LocalEngine engine) {
        this.lock = lock;
        this.engine = engine;
    }

    public static EngineHost open(Path home, String role) throws IOException {
        StartupClock clock = new StartupClock();
        OutOfMemoryGuard.install(); // an engine out of heap dies, whichever way the JVM was started
        HomeLock lock = HomeLock.acquire(home);
        HomePermissions.tighten(lock.home()); // whatever a library or an agent's JVM left with the umask's modes
        clock.lap("lock");
        Store store = null;
        Telemetry tel = null;
        java.util.concurrent.CompletableFuture<Integer> sweep = null;
        // what a start that fails half-way must stop again, in the normal closing order
        AutoCloseable[] started = new AutoCloseable[6]; // server, metrics, engine, partitions, limits, bridge
        try {
            store = Store.open(lock, StoreOptions.defaults().withSafety(SafetyPolicy.fromEnvironment(System.getenv())));
            clock.lap("store");
            RecoveredState rec = store.recovery().load();
            clock.lap("load");
            // the sweep of what the last engine left (a /proc look per stored pid, slow under load) runs beside the
            // rest of the start (deploying the stored specs spawns nothing); joined before the socket opens
            java.util.concurrent.CompletableFuture<Integer> leftovers = new java.util.concurrent.CompletableFuture<>();
            io.sabot.concurrent.Threads.start("sabot-leftovers", () -> {
                try {
                    leftovers.complete(Recovery.stopLeftovers(rec));
                } catch (RuntimeException e) {
                    leftovers.completeExceptionally(e);
                }
            });
            sweep = leftovers;
            tel = Telemetry.create(store, System.getenv());
            clock.lap("telemetry");
            tel.warnings().forEach(w -> LOG.log(System.Logger.Level.WARNING, "telemetry: " + w));
            final Store st = store;
            StoreWatch watch = new StoreWatch(store);
            EngineConfig cfg = EngineConfig.defaults(home).withTracer(tel.tracer()).withDurability(watch);
            // the engine's insides first, then each service with the ports it needs, then the API over them
            EngineRuntime rt = new EngineRuntime(cfg);
            started[2] = rt;
            StoreBridge bridge = new StoreBridge(rt, rt, store.journal());
            started[5] = bridge;
            tel.addListener(span -> rt.publish(new EngineEvent.SpanEvent(span)));
            LimitEnforcer limits = new LimitEnforcer(rt, rt, true);
            started[4] = limits;
            // Kafka topics: the Kafka side is created (and Kafka's classes loaded) only when a spec has one
            PartitionService partitions = new PartitionService(rt, rt, rt, new io.sabot.spec.FleetSpec(List.of(), List.of()),
                    io.sabot.partition.PartitionManager.Options.DEFAULTS, groups -> new io.sabot.partition.KafkaTopics(rt, rt, groups));
            started[3] = partitions;
            partitions.traceHandoffs(new io.sabot.partition.HandoffSpans(tel.tracer(), tel.spanIndex()::parentFor));
            MetricsService metrics = new MetricsService(rt, rt, 1000);
            started[1] = metrics;
            Answers.MetricsHistory history = (id, from, to) -> {
                List<MetricPoint> out = new ArrayList<>();
                for (MetricRecord m : st.metrics().series(id, Instant.ofEpochMilli(from), Instant.ofEpochMilli(Math.min(to, 32_503_680_000_000L)))) {
                    out.add(new MetricPoint(m.time().toEpochMilli(), m.cpu(), m.rss()));
                }
                return out;
            };
            clock.lap("services");
            final Telemetry t = tel;
            LocalEngine engine = new LocalEngine(rt, new Answers(partitions, t::recentTraces, history, t::searchTraces));
            CrashPathWarmUp.inBackground(); // compiled before the first crash, not after the 200th
            started[2] = engine; // closing the engine stops the agents, then ends the runtime
            // before any agent starts (recovery resurrects them below); its threads are daemons
            io.sabot.probe.ProbeRunner probes = new io.sabot.probe.ProbeRunner(new io.sabot.probe.EngineProbes(rt, rt, rt, home));
            EngineHost host = new EngineHost(lock, engine);
            host.store = store;
            watch.attach(engine); // after the bridge: the notices of opening go into the event log
            io.sabot.state.StateService state = new io.sabot.state.StateService(rt, rt, engine, home);
            engine.stateSource(state);
            List<String> resurrect = Recovery.restore(engine, partitions, rec);
            clock.lap("restore");
            // before the socket: no request may start an agent while one of the last engine may still be alive
            int stopped = leftovers.join();
            if (stopped > 0) LOG.log(System.Logger.Level.WARNING, "stopped " + stopped + " agent processes left by an earlier engine");
            clock.lap("leftovers");
            ControlServer server = ControlServer.start(engine, Homes.socket(home));
            started[0] = server;
            server.addOp("store-check", q -> st.check());
            server.addOp("store-backup", q -> StoreOps.backupNow(st));
            clock.lap("socket");
            // after the socket: the CLI gets its answer while these start (ops requests before then say so)
            Operations ops;
            ops = new Operations(engine, store);
            host.operations = ops;
            // closed in this order: no new requests, no new samples, agents stopped, then the rest
            host.closeInOrder.addAll(List.of(server, metrics, probes, engine, ops, partitions, state, limits, bridge, tel, store));
            clock.lap("operations");
            Recovery.resurrect(engine, resurrect);
            clock.print(role);
            return host;
        } catch (IOException | RuntimeException e) {
            if (sweep != null) sweep.exceptionally(x -> 0).join(); // the sweep ends before the home is released
            for (AutoCloseable c : started) {
                if (c == null) continue;
                try {
                    c.close();
                } catch (Exception ignored) {
                    // stopping what started; the first error is what the caller hears
                }
            }
            if (tel != null) tel.close();
            if (store != null) store.close();
            lock.close();
            throw e;
        }
    }

    public LocalEngine engine() { return engine; }

    /** The home's store (for tests and tools in this JVM). */
    public Store store() { return store; }

    public Path home() { return lock.home(); }

    /** Alerts, crash forensics, history and metrics export of this engine. */
    public Operations operations() { return operations; }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (AutoCloseable c : closeInOrder) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "while stopping: " + io.sabot.errors.UserMessages.describe(e));
            }
        }
        HomePermissions.tighten(lock.home());
        lock.close();
    }
}
