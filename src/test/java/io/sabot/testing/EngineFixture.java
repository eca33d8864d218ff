package io.sabot.testing;

import io.sabot.engine.EngineConfig;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.Selection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An engine on a temp home that remembers every pid it ever saw, and on close stops the engine
 * and kills any of those pids still alive (tests clean up by pid).
 */
public final class EngineFixture implements AutoCloseable {
    public final LocalEngine engine;
    public final Path home;
    private final Set<Long> seen = new HashSet<>();

    public EngineFixture(Path home) {
        this(EngineConfig.defaults(home));
    }

    public EngineFixture(EngineConfig cfg) {
        this(new LocalEngine(cfg));
    }

    /** Around an engine built by the caller (with services wired in). */
    public EngineFixture(LocalEngine engine) {
        this.home = engine.config().home();
        this.engine = engine;
        engine.subscribe(e -> {
            if (e instanceof io.sabot.engine.EngineEvent.TransitionEvent te && te.transition().pid() > 0) {
                synchronized (seen) { seen.add(te.transition().pid()); }
            }
        });
    }

    public List<InstanceStatus> status() {
        List<InstanceStatus> s = engine.status(Selection.everything());
        synchronized (seen) { for (InstanceStatus i : s) if (i.pid() != null) seen.add(i.pid()); }
        return s;
    }

    public InstanceStatus status(String id) {
        return engine.status(Selection.of(id)).get(0);
    }

    public List<Long> pids() {
        List<Long> out = new ArrayList<>();
        for (InstanceStatus s : status()) if (s.pid() != null) out.add(s.pid());
        return out;
    }

    @Override
    public void close() {
        List<Long> descendants = new ArrayList<>();
        synchronized (seen) {
            for (long p : seen) descendants.addAll(Procs.descendants(p));
        }
        engine.close();
        synchronized (seen) {
            for (long p : seen) Procs.kill(p);
        }
        for (long p : descendants) Procs.kill(p);
        long watchdog = engine.watchdog().pid();
        Procs.kill(watchdog);
    }
}
