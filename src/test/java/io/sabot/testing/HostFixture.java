package io.sabot.testing;

import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.Selection;
import io.sabot.host.EngineHost;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine as the daemon hosts it ({@link EngineHost}: home lock, H2 store, recovery,
 * telemetry, partitions, metrics, limits, control socket), in this JVM, remembering every agent
 * pid it ever spawned. Closing closes the host, then kills by pid whatever of those is left.
 */
public final class HostFixture implements AutoCloseable {
    public final Path home;
    public final EngineHost host;
    public final LocalEngine engine;
    public final Set<Long> seen = ConcurrentHashMap.newKeySet();
    /** Which instance each pid was spawned for (for failure messages). */
    public final java.util.Map<Long, String> spawnedFor = new ConcurrentHashMap<>();
    private boolean closed;

    public HostFixture(Path home) throws IOException {
        this.home = home;
        this.host = EngineHost.open(home, "test");
        this.engine = host.engine();
        engine.onSpawn((id, pid, pgid, ticks, spec) -> {
            spawnedFor.put(pid, id);
            seen.add(pid);
        });
    }

    public List<InstanceStatus> status() { return engine.status(Selection.everything()); }

    public InstanceStatus status(String id) { return engine.status(Selection.of(id)).get(0); }

    /** Closes the host (agents stopped gracefully, store written) and kills any remembered pid still alive. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        List<Long> descendants = new ArrayList<>();
        for (long p : seen) descendants.addAll(Procs.descendants(p));
        long watchdog = engine.watchdog().pid();
        try {
            host.close();
        } finally {
            for (long p : seen) Procs.kill(p); // SIGKILL ends a stopped (SIGSTOP) process too
            for (long p : descendants) Procs.kill(p);
            Procs.kill(watchdog);
        }
    }
}
