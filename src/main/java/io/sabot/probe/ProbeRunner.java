package io.sabot.probe;

import io.sabot.spec.AgentSpec;
import io.sabot.spec.ProbeSpec;
import io.sabot.engine.Subscription;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the readiness and liveness probes of every agent that has them (contract, "Probes"): one
 * {@link ProbeSession} per process, from its spawn to its end. Off the engine's critical threads:
 * one scheduler thread of its own decides and counts; exec probes are waited for by the JDK's
 * process reaper, HTTP and TCP probes are asynchronous, and a small pool reads exec output, so no
 * check ever blocks a thread of the engine or of this runner. The engine's hooks are the narrow
 * {@link ProbeTarget}.
 *
 * <p>Guarantees (tests: {@code ProbeTest}, with real processes): an HTTP server agent becomes
 * RUNNING only once it answers; a hung one is killed by its liveness probe and restarted with
 * reason "liveness probe failed: ..."; a log probe gates readiness; dependents start only after a
 * probed dependency is RUNNING. Cost at 100 agents: {@code ProbeBench}.
 */
public final class ProbeRunner implements AutoCloseable {
    private final ProbeTarget target;
    private final ScheduledExecutorService timers;
    private final ExecutorService io;
    private final HttpClient http;
    /** Instance id -> its process's session. Scheduler thread only. */
    private final Map<String, ProbeSession> sessions = new HashMap<>();
    /**
     * Ids that have a session or one on its way (added by the hooks before they hand over, removed
     * with the session): the hooks of an agent without probes return at once instead of waking the
     * scheduler thread three times per spawn, which ran beside a respawned agent's first steps (issue 13).
     */
    private final java.util.Set<String> probed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Subscription spawns, ends, runs;

    public ProbeRunner(ProbeTarget target) {
        this.target = target;
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("sabot-probes"));
        AtomicInteger n = new AtomicInteger();
        this.io = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sabot-probe-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().executor(io).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30)).version(HttpClient.Version.HTTP_1_1).build();
        // both hooks are called from the engine's own threads (under an instance's lock): hand over and return
        this.spawns = target.onSpawn((id, pid, spec) -> {
            if (spec.health().hasProbes()) {
                probed.add(id);
                timers.execute(() -> begin(id, pid, spec));
            } else if (probed.contains(id)) {
                timers.execute(() -> drop(id));
            }
        });
        this.ends = target.onEnded((id, pid) -> {
            if (probed.contains(id)) timers.execute(() -> endFor(id, pid));
        });
        this.runs = target.onRunning((id, pid) -> {
            if (!probed.contains(id)) return;
            timers.execute(() -> {
                ProbeSession s = sessions.get(id);
                if (s != null && (pid <= 0 || s.pid == pid)) s.running();
            });
        });
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private void begin(String id, long pid, AgentSpec spec) {
        ProbeSession old = sessions.remove(id); // the previous process's (its id stays in probed)
        if (old != null) old.end();
        ProbeSpec r = spec.health().readiness(), l = spec.health().liveness();
        ProbeSession s = new ProbeSession(id, pid, target, timers, r, r == null ? null : check(r, id, spec, true),
                l, l == null ? null : check(l, id, spec, false));
        sessions.put(id, s);
        probed.add(id); // again, if an end of the previous process took it out meanwhile
        s.start();
    }

    /** A new process of the instance was spawned: whatever was probed before is over. */
    private void drop(String id) {
        ProbeSession s = sessions.remove(id);
        probed.remove(id); // a begin queued after this adds it again
        if (s != null) s.end();
    }

    private void endFor(String id, long pid) {
        ProbeSession s = sessions.get(id);
        if (s == null || (pid > 0 && s.pid != pid)) return;
        // an end without a pid (STOPPED, BACKOFF: the process is gone) is delivered by the event thread and may
        // arrive after the next process was spawned and its session begun: a live process keeps its session
        if (pid <= 0 && ProcessHandle.of(s.pid).map(ProcessHandle::isAlive).orElse(false)) return;
        sessions.remove(id);
        probed.remove(id);
        s.end();
    }

    private Check check(ProbeSpec p, String id, AgentSpec spec, boolean readiness) {
        switch (p.kind()) {
            case "exec": {
                Map<String, String> env = new HashMap<>(spec.env());
                env.put("SABOT_INSTANCE", id);
                env.put("SABOT_AGENT", spec.name());
                env.put("SABOT_HOME", target.home().toString());
                return new ExecCheck(p.exec(), spec.workdir() == null ? null : Path.of(spec.workdir()), env, p.timeoutMs(), io);
            }
            case "http":
                return new HttpCheck(p.http().url(), p.http().status(), p.timeoutMs(), http);
            case "tcp":
                return new TcpCheck(p.tcp().host(), p.tcp().port(), p.timeoutMs(), timers);
            default:
                return new LogCheck(target.logFile(id), p.log().pattern(), id, readiness);
        }
    }

    /** Processes probed right now (tests, status). */
    public int sessions() {
        try {
            return timers.submit(sessions::size).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void close() {
        spawns.close();
        ends.close();
        runs.close();
        timers.execute(() -> {
            sessions.values().forEach(ProbeSession::end);
            sessions.clear();
        });
        timers.shutdown();
        try {
            timers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        io.shutdownNow();
    }
}
