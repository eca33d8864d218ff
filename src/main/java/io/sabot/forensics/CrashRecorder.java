package io.sabot.forensics;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.concurrent.Threads;
import io.sabot.engine.Cause;
import io.sabot.engine.CrashReport;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.ExitInfo;
import io.sabot.engine.GroupStatus;
import io.sabot.engine.InstanceState;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.Subscription;
import io.sabot.engine.Transition;
import io.sabot.engine.UnknownTargetException;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.InstanceIds;
import io.sabot.store.CrashRepository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Crash forensics: for every death the engine did not ask for, a {@link CrashReport} with the
 * exit code or signal, the cause (memory limit, heartbeat timeout, start timeout, liveness, the
 * kernel's OOM killer where the kernel tells, else a plain crash), uptime, the last
 * {@value #LINES} log lines before death, the restart budget left (the supervision group's) and the next backoff.
 *
 * <p>Fed by engine events and the spawn port only; it never blocks the engine: listeners offer
 * to a bounded queue, and logs, /proc and the store are read on the {@code sabot-forensics}
 * thread. Tests: {@code CrashForensicsTest} (a memory-limit kill and a heartbeat kill show as
 * such in {@code agents why}; the budget of a member is its group's).
 */
public final class CrashRecorder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.sabot.forensics");
    public static final int LINES = 50;
    static final long VMSTAT_EVERY_MS = 5000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalEngine engine;
    private final CrashRepository store;
    private final OomProbe oom;
    private final BlockingQueue<Object> inbox = new ArrayBlockingQueue<>(10_000);
    private final Subscription sub;
    private final Thread thread;
    private volatile boolean closed;
    private final Map<String, CrashReport> latest = new ConcurrentHashMap<>();

    // owned by the forensics thread
    private final Map<String, Spawned> spawned = new HashMap<>();
    private long vmstatBefore = -1;

    private record Spawned(String id, long pid, long timeMs, Path cgroup, long cgroupOomBefore) { }

    /** @param inherited whether it runs in the engine's own cgroup (nothing moves it: no CPU cap) */
    private record SpawnFact(String id, long pid, long timeMs, boolean inherited) { }

    public CrashRecorder(LocalEngine engine, CrashRepository store) {
        this(engine, store, new OomProbe());
    }

    CrashRecorder(LocalEngine engine, CrashRepository store, OomProbe oom) {
        this.engine = engine;
        this.store = store;
        this.oom = oom;
        this.sub = engine.subscribe(e -> {
            if (e instanceof EngineEvent.TransitionEvent t) inbox.offer(t.transition());
        });
        engine.onSpawn((id, pid, pgid, ticks, spec) ->
                inbox.offer(new SpawnFact(id, pid, System.currentTimeMillis(), spec.limits().cpuPercent() == null)));
        this.thread = Threads.start("sabot-forensics", this::run);
    }

    private void run() {
        long nextSample = 0;
        while (!closed) {
            try {
                long now = System.currentTimeMillis();
                if (now >= nextSample) {
                    // the system-wide counter before a death is what a death is compared with; every 5 s
                    // rather than every second: the kernel's /proc/vmstat costs ~0.2 ms to make, and this
                    // read was most of an idle engine's forensics (issue 13). An agent in a cgroup of its
                    // own is judged by that cgroup's memory.events, read at its spawn, either way.
                    vmstatBefore = oom.systemOomKills();
                    nextSample = now + VMSTAT_EVERY_MS;
                }
                Object o = inbox.poll(Math.max(1, nextSample - now), TimeUnit.MILLISECONDS);
                if (o instanceof SpawnFact s) {
                    // a child starts in its parent's cgroup: only a CPU cap's cgroup moves it (issue 13: one
                    // /proc read per spawn cost ~60 µs of this thread, 60 ms of a restart of 1,000)
                    Path cg = s.inherited() ? oom.ownCgroup() : oom.cgroupOf(s.pid());
                    spawned.put(s.id(), new Spawned(s.id(), s.pid(), s.timeMs(), cg, oom.cgroupOomKills(cg)));
                } else if (o instanceof Transition t) {
                    onTransition(t);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "forensics: " + e, e);
            }
        }
    }

    private void onTransition(Transition t) {
        if (!isCrash(t)) return;
        String id = t.instance();
        String agent = InstanceIds.agentOf(id);
        Spawned sp = spawned.get(id);
        AgentSpec spec = engine.runtime().specOf(id);
        String cause = classify(t);
        String evidence = null;
        if (CrashReport.CRASH.equals(cause) && "SIGKILL".equals(t.signal())) {
            evidence = oomEvidence(sp);
            if (evidence != null) cause = CrashReport.OOM_KILLER;
        }
        // the intensity is the supervision group's (every restart it performs counts, strategy restarts
        // included): its supervisor's own count, read here just after the decision that counted this crash
        GroupStatus group = spec == null ? null : engine.groups().stream().filter(g -> g.name().equals(spec.group())).findFirst().orElse(null);
        int max = group != null ? group.maxRestarts() : spec == null ? 0 : spec.restart().maxRestarts();
        int window = group != null ? group.withinSeconds() : spec == null ? 0 : spec.restart().withinSeconds();
        int inWindow = group != null ? group.restartsInWindow() : 0;
        Integer left = group == null ? null : t.to() == InstanceState.FAILED ? 0 : Math.max(0, max - inWindow);
        List<String> lines = lastLines(id, sp == null ? -1 : sp.pid());
        ExitInfo exit = new ExitInfo(t.exitCode(), t.signal(), t.reason());
        CrashReport r = new CrashReport(id, agent, t.timeMs(), sp == null ? null : sp.pid(), exit.code(), exit.signal(), cause,
                t.reason(), evidence, sp == null ? 0 : Math.max(0, t.timeMs() - sp.timeMs()), lines, left, inWindow, max, window,
                backoffMs(t), t.to().name(), t.traceId(), spec == null ? null : spec.group());
        latest.put(id, r);
        if (store != null) {
            try {
                store.save(id, agent, t.timeMs(), JSON.writeValueAsString(r));
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "forensics: could not store the crash of " + id + ": " + e.getMessage());
            }
        }
    }

    private static final Pattern DELAY = Pattern.compile("restart in (\\d+) ms");

    /** The delay of the restart a BACKOFF transition announces ("...; restart in N ms"), else null. */
    static Long backoffMs(Transition t) {
        if (t.to() != InstanceState.BACKOFF || t.reason() == null) return null;
        Matcher m = DELAY.matcher(t.reason());
        return m.find() ? Long.valueOf(m.group(1)) : null;
    }

    /** A death the engine did not ask for: a restart after it, a FAILED, or a stop by policy after an abnormal end. */
    static boolean isCrash(Transition t) {
        if (t.to() == InstanceState.BACKOFF) return true;
        String c = t.cause();
        boolean engineCause = Cause.CRASH.equals(c) || Cause.LIMIT.equals(c) || Cause.HEALTH.equals(c) || Cause.START_TIMEOUT.equals(c);
        if (t.to() == InstanceState.FAILED) return engineCause;
        if (t.to() == InstanceState.STOPPED && t.from() != InstanceState.STOPPING) {
            return engineCause || (Cause.EXIT.equals(c) && (t.signal() != null || (t.exitCode() != null && t.exitCode() != 0)));
        }
        return false;
    }

    static String classify(Transition t) {
        String reason = t.reason() == null ? "" : t.reason();
        if (Cause.LIMIT.equals(t.cause())) return reason.contains("memory") ? CrashReport.MEMORY_LIMIT : "limit";
        if (Cause.HEALTH.equals(t.cause())) return reason.contains("liveness") ? CrashReport.LIVENESS : CrashReport.HEARTBEAT_TIMEOUT;
        if (Cause.START_TIMEOUT.equals(t.cause())) return CrashReport.START_TIMEOUT;
        return CrashReport.CRASH;
    }

    private String oomEvidence(Spawned sp) {
        if (sp != null && sp.cgroup() != null && sp.cgroupOomBefore() >= 0) {
            long now = oom.cgroupOomKillsNow(sp.cgroup());
            if (now > sp.cgroupOomBefore()) {
                return "cgroup " + sp.cgroup() + " memory.events oom_kill " + sp.cgroupOomBefore() + " -> " + now;
            }
        }
        long after = oom.systemOomKills();
        if (vmstatBefore >= 0 && after > vmstatBefore) {
            return "/proc/vmstat oom_kill " + vmstatBefore + " -> " + after + " around the death (SIGKILL not sent by Sabot)";
        }
        return null;
    }

    /** Up to {@link #LINES} lines ending with the engine's death line of this process ({@code [sabot] ID (pid P) ...}). */
    private List<String> lastLines(String id, long pid) {
        List<String> tail;
        try {
            tail = engine.logs(id, 400);
        } catch (UnknownTargetException e) {
            return List.of();
        }
        int end = tail.size();
        if (pid > 0) {
            String marker = "[sabot] " + id + " (pid " + pid + ") ";
            for (int i = tail.size() - 1; i >= 0; i--) {
                if (tail.get(i).contains(marker)) {
                    end = i + 1;
                    break;
                }
            }
        }
        return new ArrayList<>(tail.subList(Math.max(0, end - LINES), end));
    }

    /** The last crash of each instance that has one (memory first, then the store). */
    public List<CrashReport> crashes(List<String> ids) {
        List<CrashReport> out = new ArrayList<>();
        for (String id : ids) {
            CrashReport r = latest.get(id);
            if (r == null && store != null) {
                try {
                    String json = store.latest(id).orElse(null);
                    if (json != null) r = JSON.readValue(json, CrashReport.class);
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "forensics: stored crash of " + id + " unreadable: " + e.getMessage());
                }
            }
            if (r != null) out.add(r);
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        sub.close();
        io.sabot.concurrent.Threads.stop(thread, 5000);
    }
}
