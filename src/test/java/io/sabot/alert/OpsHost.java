package io.sabot.alert;

import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.Selection;
import io.sabot.host.EngineHost;
import io.sabot.testing.Procs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The engine as the daemon hosts it (store, telemetry, alerts, forensics, history, metrics), in this JVM; closing kills every agent pid it saw. */
public final class OpsHost implements AutoCloseable {
    public final Path home;
    public final EngineHost host;
    public final LocalEngine engine;
    private final Set<Long> seen = ConcurrentHashMap.newKeySet();

    public OpsHost(Path home) throws IOException {
        this.home = home;
        this.host = EngineHost.open(home, "test");
        this.engine = host.engine();
        engine.onSpawn((id, pid, pgid, ticks, spec) -> seen.add(pid));
    }

    public InstanceStatus status(String id) { return engine.status(Selection.of(id)).get(0); }

    @Override
    public void close() {
        List<Long> descendants = new ArrayList<>();
        for (long p : seen) descendants.addAll(Procs.descendants(p));
        long watchdog = engine.watchdog().pid();
        try {
            host.close();
        } finally {
            for (long p : seen) Procs.kill(p);
            for (long p : descendants) Procs.kill(p);
            Procs.kill(watchdog);
        }
    }
}
