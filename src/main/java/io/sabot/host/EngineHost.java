package io.sabot.host;

import io.sabot.control.ControlServer;
import io.sabot.engine.EngineConfig;
import io.sabot.engine.LocalEngine;
import io.sabot.limits.LimitEnforcer;
import io.sabot.metrics.MetricsService;
import io.sabot.partition.PartitionService;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Hosts the one engine of a home, for the daemon and for the console: takes the home lock
 * first (a second engine fails here, before touching anything), then builds the engine and
 * opens the control socket. Closing stops the agents gracefully and releases the home.
 */
public final class EngineHost implements AutoCloseable {
    private final HomeLock lock;
    private final LocalEngine engine;
    private final ControlServer server;
    private final LimitEnforcer limits;
    private final PartitionService partitions;
    private final MetricsService metrics;
    private volatile boolean closed;

    private EngineHost(HomeLock lock, LocalEngine engine, ControlServer server, LimitEnforcer limits, PartitionService partitions,
                       MetricsService metrics) {
        this.lock = lock;
        this.engine = engine;
        this.server = server;
        this.limits = limits;
        this.partitions = partitions;
        this.metrics = metrics;
    }

    public static EngineHost open(Path home, String role) throws HomeLockedException, IOException {
        HomeLock lock = HomeLock.acquire(home, role);
        LocalEngine engine = null;
        try {
            engine = new LocalEngine(EngineConfig.defaults(home));
            LimitEnforcer limits = new LimitEnforcer(engine, true);
            PartitionService partitions = new PartitionService(engine);
            MetricsService metrics = new MetricsService(engine, 1000);
            ControlServer server = ControlServer.start(engine, Homes.socket(home));
            return new EngineHost(lock, engine, server, limits, partitions, metrics);
        } catch (IOException | RuntimeException e) {
            if (engine != null) engine.close();
            lock.close();
            throw e;
        }
    }

    public LocalEngine engine() { return engine; }

    public Path home() { return lock.home(); }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        server.close();
        metrics.close();
        engine.close();
        partitions.close();
        limits.close();
        lock.close();
    }
}
