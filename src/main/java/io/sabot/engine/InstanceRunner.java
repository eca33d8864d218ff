package io.sabot.engine;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.sabot.engine.supervision.SupervisionEvent;
import io.sabot.process.AgentProcess;
import io.sabot.process.LaunchRequest;
import io.sabot.process.ProcessLauncher;
import io.sabot.process.Signals;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.ExecutableCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The mechanics of single instances: spawn, readiness, graceful and forced stop of the whole
 * process tree, and noticing deaths. It decides nothing about restarts: a death goes to the
 * instance's group ({@code GroupRunner}) as a {@link SupervisionEvent.Exited}, and the group's
 * decision comes back as calls to {@link #startForGroup}, {@link #stopForGroup},
 * {@link #backoff}, {@link #finish} and {@link #fail}. Every step is a span; every state
 * change a {@link Transition}, published without waiting for any listener.
 *
 * <p>Operator operations (start, stop, restart) hold the instance's {@code opLock} for their whole
 * length and may wait; crash handling and the group's actions take only the instance's monitor,
 * so they never wait behind an operator.
 */
final class InstanceRunner {
    static final int HISTORY = 200;

    /** Where an instance's supervision events go (its group). */
    @FunctionalInterface
    interface GroupSink {
        void post(Instance in, SupervisionEvent e);
    }

    private final EngineConfig cfg;
    private final ProcessLauncher launcher;
    private final Tracer tracer;
    private final ScheduledExecutorService timers;
    private final Executor exits;
    private final EventBus bus;
    private final AgentProtocol protocol;
    private final LongSupplier clock;
    private final GroupSink groups;
    private final List<SpawnListener> spawnListeners = new CopyOnWriteArrayList<>();
    /** A probe runner is attached: an agent with a readiness probe is RUNNING only when the probe says so. */
    private volatile boolean probes;

    InstanceRunner(EngineConfig cfg, ProcessLauncher launcher, ScheduledExecutorService timers, Executor exits, EventBus bus,
                   AgentProtocol protocol, LongSupplier clock, GroupSink groups) {
        this.cfg = cfg;
        this.launcher = launcher;
        this.tracer = cfg.tracer();
        this.timers = timers;
        this.exits = exits;
        this.bus = bus;
        this.protocol = protocol;
        this.clock = clock;
        this.groups = groups;
    }

    Tracer tracer() { return tracer; }

    Subscription addSpawnListener(SpawnListener l) {
        spawnListeners.add(l);
        return () -> spawnListeners.remove(l);
    }

    void probesAttached() { probes = true; }

    private boolean probed(AgentSpec s) { return probes && s.health().readiness() != null; }

    /** The readiness probe of the process {@code pid} passed: it is RUNNING (false if that process is no longer starting). */
    boolean probeReady(Instance in, long pid) {
        synchronized (in) {
            if (in.proc == null || in.proc.pid() != pid || in.state != InstanceState.STARTING) return false;
            in.log.line("[sabot] " + in.id + " readiness probe passed");
            markRunning(in, in.generation, null, true);
            return true;
        }
    }

    // ---- operator operations (hold opLock for their whole length) ----------------------------

    LifecycleResult start(Instance in, long timeoutMs, String cause, Context parent) {
        in.opLock.lock();
        long t0 = clock.getAsLong();
        Span span = tracer.spanBuilder("start " + in.id).setParent(parent).startSpan();
        span.setAttribute("sabot.instance", in.id);
        in.operatorActions++;
        try {
            groups.post(in, new SupervisionEvent.OperatorStart(clock.getAsLong(), List.of(in.id)));
            Context ctx = parent.with(span);
            InstanceState prev;
            CompletableFuture<Void> ready;
            synchronized (in) {
                prev = in.state;
                in.desired = true;
                if (prev == InstanceState.RUNNING) return result("start", in, true, prev, null, t0, span);
                if (prev == InstanceState.STARTING) {
                    ready = in.ready;
                } else {
                    in.cancelTimer();
                    String err = spawn(in, cause, ctx, false);
                    if (err != null) return result("start", in, false, prev, err, t0, span);
                    ready = in.ready;
                }
            }
            String err = awaitReady(in, ready, timeoutMs, ctx);
            return result("start", in, err == null, prev, err, t0, span);
        } finally {
            span.end();
            in.opLock.unlock();
        }
    }

    LifecycleResult stop(Instance in, boolean force, long graceMs, String cause, Context parent, boolean clearDesired) {
        in.opLock.lock();
        long t0 = clock.getAsLong();
        Span span = tracer.spanBuilder((force ? "force-stop " : "stop ") + in.id).setParent(parent).startSpan();
        span.setAttribute("sabot.instance", in.id);
        if (clearDesired) in.operatorActions++;
        try {
            if (clearDesired) groups.post(in, new SupervisionEvent.OperatorStop(clock.getAsLong(), List.of(in.id)));
            InstanceState prev = stopLocked(in, force, graceMs, cause, parent.with(span), clearDesired);
            return result(force ? "force-stop" : "stop", in, true, prev, null, t0, span);
        } finally {
            span.end();
            in.opLock.unlock();
        }
    }

    LifecycleResult restart(Instance in, long timeoutMs, long graceMs, String cause, Context parent) {
        in.opLock.lock();
        long t0 = clock.getAsLong();
        Span span = tracer.spanBuilder("restart " + in.id).setParent(parent).startSpan();
        span.setAttribute("sabot.instance", in.id);
        in.operatorActions++;
        try {
            groups.post(in, new SupervisionEvent.OperatorStart(clock.getAsLong(), List.of(in.id)));
            Context ctx = parent.with(span);
            InstanceState prev;
            synchronized (in) { prev = in.state; }
            stopLocked(in, false, graceMs, cause, ctx, false);
            String err;
            CompletableFuture<Void> ready;
            synchronized (in) {
                in.desired = true;
                err = spawn(in, cause, ctx, false);
                ready = in.ready;
            }
            if (err == null) err = awaitReady(in, ready, timeoutMs, ctx);
            return result("restart", in, err == null, prev, err, t0, span);
        } finally {
            span.end();
            in.opLock.unlock();
        }
    }

    /** Stops {@code in} (caller holds opLock); returns the state it was in. */
    private InstanceState stopLocked(Instance in, boolean force, long graceMs, String cause, Context ctx, boolean clearDesired) {
        AgentProcess p;
        InstanceState prev;
        synchronized (in) {
            prev = in.state;
            if (clearDesired) in.desired = false;
            in.cancelTimer();
            if (prev == InstanceState.STOPPED) return prev;
            if (prev == InstanceState.FAILED || prev == InstanceState.BACKOFF) {
                transition(in, InstanceState.STOPPED, cause, null, "stopped while " + prev, traceId(ctx));
                return prev;
            }
            in.stopRequested = true;
            p = in.proc;
            transition(in, InstanceState.STOPPING, cause, null, force ? "force stop" : "stop", traceId(ctx));
        }
        int exitValue = p == null ? 0 : terminate(p, force, graceMs, ctx);
        synchronized (in) {
            ExitInfo exit = ExitInfo.of(exitValue, (force ? "force stopped" : "stopped") + " (" + cause + ")");
            in.lastExit = exit;
            in.pendingExit = null;
            in.proc = null;
            in.ready.completeExceptionally(new IllegalStateException("stopped"));
            transition(in, InstanceState.STOPPED, cause, exit, exit.reason(), traceId(ctx));
        }
        if (p != null) forgetGroup(p.pgid());
        return prev;
    }

    private String awaitReady(Instance in, CompletableFuture<Void> ready, long timeoutMs, Context ctx) {
        Span wait = tracer.spanBuilder("await_ready").setParent(ctx).startSpan();
        try {
            ready.get(timeoutMs, TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            String why = "start timeout after " + timeoutMs + " ms";
            wait.setStatus(StatusCode.ERROR, why);
            AgentProcess p;
            synchronized (in) {
                p = in.proc;
                in.stopRequested = true;
            }
            int exitValue = p == null ? 0 : terminate(p, true, 0, ctx);
            synchronized (in) {
                ExitInfo exit = ExitInfo.of(exitValue, why);
                in.lastExit = exit;
                in.proc = null;
                transition(in, InstanceState.FAILED, Cause.START_TIMEOUT, exit, why, traceId(ctx));
            }
            return why;
        } catch (ExecutionException e) {
            String why = "exited during start: " + e.getCause().getMessage();
            wait.setStatus(StatusCode.ERROR, why);
            return why;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            wait.end();
        }
    }

    // ---- the group's actions (monitor only; never wait behind an operator) --------------------

    /**
     * Starts a member for its group's restart, unless an operator took it over meanwhile (it no
     * longer should run, or it already runs). False when it did not spawn; a spawn error is
     * reported to the group as {@link SupervisionEvent.StartFailed}.
     */
    boolean startForGroup(Instance in, String cause, String group, Context parent) {
        Span root = tracer.spanBuilder("start " + in.id).setParent(parent).startSpan();
        root.setAttribute("sabot.instance", in.id);
        root.setAttribute("sabot.cause", cause);
        root.setAttribute("sabot.group", group);
        String err;
        synchronized (in) {
            if (!in.desired || in.removed || in.state.live()) {
                root.setAttribute("sabot.outcome", "superseded");
                root.end();
                return false;
            }
            in.restarts++;
            err = spawn(in, cause, parent.with(root), true);
            if (err == null) {
                Span wait = tracer.spanBuilder("await_ready").setParent(parent.with(root)).startSpan();
                in.ready.whenComplete((v, t) -> {
                    if (t != null) {
                        wait.setStatus(StatusCode.ERROR, String.valueOf(t.getMessage()));
                        root.setStatus(StatusCode.ERROR, String.valueOf(t.getMessage()));
                    }
                    wait.end();
                    root.end();
                });
                return true;
            }
        }
        root.setStatus(StatusCode.ERROR, err);
        root.end();
        groups.post(in, new SupervisionEvent.StartFailed(clock.getAsLong(), in.id, err));
        return false;
    }

    /**
     * Stops a live member gracefully for its group (a restart's or an escalation's stop); its
     * desired state is kept. Skipped if an operator acted on it since the group decided
     * ({@code operatorActions} is no longer {@code seen}): the operator's word is the later one.
     */
    void stopForGroup(Instance in, long seen, String cause, String reason, Context ctx) {
        in.opLock.lock();
        try {
            synchronized (in) {
                if (in.operatorActions != seen || !in.state.live() || in.state == InstanceState.STOPPING) return;
            }
            Span span = tracer.spanBuilder("stop " + in.id).setParent(ctx).startSpan();
            span.setAttribute("sabot.instance", in.id);
            span.setAttribute("sabot.reason", reason);
            try {
                stopLocked(in, false, in.spec.stopGraceMs(), cause, ctx.with(span), false);
            } finally {
                span.end();
            }
        } finally {
            in.opLock.unlock();
        }
    }

    /** The member is down and waits for its group's restart: BACKOFF, with the exit that took it down if it crashed. */
    void backoff(Instance in, String reason, String traceId) {
        synchronized (in) {
            if (in.removed || !in.desired || in.state == InstanceState.STOPPING || (in.state.live() && in.proc != null)) return;
            ExitInfo exit = in.pendingExit;
            String cause = exit != null ? in.pendingCause : Cause.STRATEGY;
            in.pendingExit = null;
            transition(in, InstanceState.BACKOFF, cause, exit, reason, traceId);
        }
    }

    /** The member's exit was final for its restart type: STOPPED, and it no longer should run. */
    void finish(Instance in, String reason, String traceId) {
        synchronized (in) {
            if (in.state.live() && in.proc != null) return;
            in.desired = false;
            ExitInfo exit = in.pendingExit;
            in.pendingExit = null;
            if (in.state == InstanceState.STOPPED && exit == null) return;
            transition(in, InstanceState.STOPPED, exit != null ? in.pendingCause : Cause.STRATEGY, exit, reason, traceId);
        }
    }

    /** The member's group escalated: FAILED with the reason. False if it runs again (an operator started it meanwhile). */
    boolean fail(Instance in, String reason, String traceId) {
        synchronized (in) {
            if (in.state.live() && in.proc != null) return false;
            if (in.state == InstanceState.STOPPED && !in.desired) return false;
            ExitInfo exit = in.pendingExit;
            in.pendingExit = null;
            transition(in, InstanceState.FAILED, exit != null ? in.pendingCause : Cause.ESCALATION, exit, reason, traceId);
            return true;
        }
    }

    /**
     * Ends a process tree: SIGTERM to its group (or SIGKILL when forced), wait up to the grace,
     * SIGKILL what is left, then make sure no member of the group survives. Returns the exit value.
     */
    int terminate(AgentProcess p, boolean force, long graceMs, Context ctx) {
        Span sig = tracer.spanBuilder("stop.signal").setParent(ctx).startSpan();
        sig.setAttribute("signal", force ? "SIGKILL" : "SIGTERM");
        p.signal(force ? Signals.Sig.KILL : Signals.Sig.TERM);
        if (!force && p.pgid() > 1 && !p.numberTakenByAnother()) Signals.process(p.pid(), Signals.Sig.TERM); // the group may not exist yet right after spawn
        if (!force) p.signal(Signals.Sig.CONT); // a process paused by the CPU duty cycle must run to handle TERM
        sig.end();
        Span await = tracer.spanBuilder("stop.await_exit").setParent(ctx).startSpan();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(force ? 5000 : graceMs);
            boolean exited = waitExit(p, deadline);
            if (!exited) {
                await.addEvent("grace of " + graceMs + " ms expired: SIGKILL");
                p.signal(Signals.Sig.KILL);
                exited = waitExit(p, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
            }
            // the leader is gone; the rest of its tree gets what is left of the grace, then SIGKILL
            while (p.treeAlive() && System.nanoTime() < deadline) pause(10);
            if (p.treeAlive()) {
                await.addEvent("tree outlived the leader: SIGKILL to group");
                p.signal(Signals.Sig.KILL);
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (p.treeAlive() && System.nanoTime() < until) pause(5);
            }
            return exited ? p.exitValue() : 128 + 9;
        } finally {
            await.end();
        }
    }

    private static boolean waitExit(AgentProcess p, long deadlineNanos) {
        try {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) return !p.isAlive();
            p.onExit().get(left, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        } catch (ExecutionException e) {
            return !p.isAlive();
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- spawning and readiness (caller holds the instance monitor) --------------------------

    /** Spawns a new process for {@code in}; null on success, else the error (the instance is then FAILED). */
    private String spawn(Instance in, String cause, Context ctx, boolean armStartTimer) {
        AgentSpec s = in.spec;
        Span span = tracer.spanBuilder("spawn").setParent(ctx).startSpan();
        try {
            List<String> argv = s.builtin() != null ? cfg.builtins().argv(s.builtin(), s.limits().memoryMb()) : s.command();
            in.generation++;
            final long gen = in.generation;
            in.ready = new CompletableFuture<>();
            in.stopRequested = false;
            in.killCause = null;
            in.killReason = null;
            in.pendingExit = null;
            transition(in, InstanceState.STARTING, cause, null, null, traceId(ctx));
            Map<String, String> env = new HashMap<>(s.env());
            env.put("SABOT_INSTANCE", in.id);
            env.put("SABOT_AGENT", in.agent);
            env.put("SABOT_HOME", cfg.home().toString());
            if (s.protocol()) env.put("SABOT_PROTOCOL", "1");
            // state stores: where the consumer group's stores live, the backend, the checkpoint interval
            if (s.state() != null) env.putAll(io.sabot.statestore.Stores.env(cfg.home(), s.consumerGroup(), s.state().backend(), s.state().checkpointIntervalMs()));
            SpanContext sc = span.getSpanContext();
            if (sc.isValid()) env.put("TRACEPARENT", "00-" + sc.getTraceId() + "-" + sc.getSpanId() + "-" + sc.getTraceFlags().asHex());
            in.log.lineLater("[sabot] " + in.id + " starting (" + cause + ")"); // written once the process is on its way
            AgentProcess p;
            try {
                p = launcher.launch(new LaunchRequest(in.id, argv, s.workdir() == null ? null : Path.of(s.workdir()), env,
                        s.protocol(), in.log, line -> onProtocolLine(in, gen, line)));
            } catch (IOException e) {
                // the kernel is asked first and the file examined only when it refused: three file system
                // calls (~50 us) off every spawn, a crash's respawn included (issue 13); the message is the same
                String problem = commandProblem(argv.get(0), s.workdir());
                return spawnFailed(in, span, problem != null ? problem : "cannot start " + argv.get(0) + ": " + e.getMessage(), ctx);
            }
            in.proc = p;
            in.startedAtMs = System.currentTimeMillis();
            in.lastHeartbeatNanos = clock.getAsLong();
            in.healthy = true;
            span.setAttribute("pid", p.pid());
            for (SpawnListener l : spawnListeners) {
                try {
                    l.spawned(in.id, p.pid(), p.pgid(), p.startTicks(), s);
                } catch (RuntimeException e) {
                    in.log.line("[sabot] spawn listener failed: " + io.sabot.errors.UserMessages.describe(e));
                }
            }
            p.onExit().thenRun(() -> {
                // a lone exit is handled on the reaper's thread, respawn included: no hand-off (issue 13)
                if (io.sabot.process.LoneExit.now()) Mailbox.drainHere(() -> onExit(in, gen));
                else exits.execute(() -> onExit(in, gen));
            });
            if (probed(s)) {
                // the readiness probe decides RUNNING (ProbeRunner calls probeReady)
                if (armStartTimer) in.timer = timers.schedule(() -> startTimedOut(in, gen), s.startTimeoutMs(), TimeUnit.MILLISECONDS);
            } else if (!s.protocol()) {
                long delayMs = Math.round(s.health().startSeconds() * 1000);
                if (delayMs == 0) markRunning(in, gen, traceId(ctx));
                else in.timer = timers.schedule(() -> markRunning(in, gen, traceId(ctx)), delayMs, TimeUnit.MILLISECONDS);
            } else if (armStartTimer) {
                in.timer = timers.schedule(() -> startTimedOut(in, gen), s.startTimeoutMs(), TimeUnit.MILLISECONDS);
            }
            return null;
        } finally {
            span.end();
            in.log.flushPending();
        }
    }

    private String spawnFailed(Instance in, Span span, String error, Context ctx) {
        span.setStatus(StatusCode.ERROR, error);
        in.log.line("[sabot] " + error);
        ExitInfo exit = new ExitInfo(null, null, error);
        in.lastExit = exit;
        in.ready.completeExceptionally(new IllegalStateException(error));
        transition(in, InstanceState.FAILED, Cause.CRASH, exit, error, traceId(ctx));
        bus.publish(new EngineEvent.NoticeEvent(in.id + " failed: " + error));
        return error;
    }

    private static String commandProblem(String exe, String workdir) {
        if (exe.contains("/")) {
            Path p = Path.of(exe);
            if (!p.isAbsolute() && workdir != null) p = Path.of(workdir).resolve(p);
            return ExecutableCheck.problem(p);
        }
        return ExecutableCheck.onPath(exe) == null ? "command \"" + exe + "\" not found on PATH" : null;
    }

    private void markRunning(Instance in, long gen, String traceId) { markRunning(in, gen, traceId, false); }

    private void markRunning(Instance in, long gen, String traceId, boolean byProbe) {
        synchronized (in) {
            if (in.generation != gen || in.state != InstanceState.STARTING) return;
            if (!byProbe && probed(in.spec)) return; // a readiness probe decides (a protocol agent's "ready" does not)
            if (in.timer != null) in.cancelTimer();
            transition(in, InstanceState.RUNNING, Cause.READY, null, null, traceId);
            in.ready.complete(null);
        }
        groups.post(in, new SupervisionEvent.Started(clock.getAsLong(), in.id));
    }

    /** A start the group asked for took too long: the process is killed and the death is a failed start. */
    private void startTimedOut(Instance in, long gen) {
        synchronized (in) {
            if (in.generation != gen || in.state != InstanceState.STARTING || in.proc == null) return;
            in.killCause = Cause.START_TIMEOUT;
            in.killReason = "start timeout after " + in.spec.startTimeoutMs() + " ms";
            in.proc.signal(Signals.Sig.KILL);
        }
    }

    private void onProtocolLine(Instance in, long gen, String line) {
        protocol.onLine(in, line, () -> markRunning(in, gen, null));
    }

    // ---- deaths -----------------------------------------------------------------------------

    /** Engine-initiated kill (health, limits): the process dies and its group handles it like a crash with this cause. */
    boolean kill(Instance in, String cause, String reason) { return kill(in, -1, cause, reason); }

    /** As {@link #kill(Instance, String, String)}, only if the process is still {@code pid} (any when -1). */
    boolean kill(Instance in, long pid, String cause, String reason) {
        synchronized (in) {
            if (in.proc == null || in.stopRequested || !in.state.live()) return false;
            if (pid > 0 && in.proc.pid() != pid) return false;
            in.killCause = cause;
            in.killReason = reason;
            in.log.line("[sabot] killing " + in.id + ": " + reason);
            in.proc.signal(Signals.Sig.KILL);
            return true;
        }
    }

    /**
     * A process ended. Unless someone asked for it, its group decides what happens next, and that
     * comes first: the respawn is under way before the old process's bookkeeping (the failed
     * readiness, the kill of what is left of its group, the log lines), which cost the crash path
     * ~0.4 ms when they came first (issue 13, docs/benchmarks.md "Session 6").
     */
    private void onExit(Instance in, long gen) {
        ExitInfo exit;
        boolean abnormal;
        AgentProcess p;
        CompletableFuture<Void> ready;
        boolean desired; // as of the death: an operator's later word goes through its own operation
        synchronized (in) {
            if (gen != in.generation || in.proc == null) return;
            p = in.proc;
            exit = ExitInfo.of(p.exitValue(), in.killReason);
            in.lastExit = exit;
            ready = in.ready;
            if (in.stopRequested) { // the stopping operation records the rest
                ready.completeExceptionally(new IllegalStateException(exit.reason()));
                return;
            }
            in.proc = null;
            in.cancelTimer();
            in.log.lineLater("[sabot] " + in.id + " (pid " + p.pid() + ") " + exit.reason());
            abnormal = exit.abnormal() || in.killCause != null;
            in.pendingExit = exit;
            in.pendingCause = in.killCause != null ? in.killCause : (exit.abnormal() ? Cause.CRASH : Cause.EXIT);
            desired = in.desired;
            if (!desired) {
                in.pendingExit = null;
                transition(in, InstanceState.STOPPED, in.pendingCause, exit, exit.reason(), null);
            }
        }
        if (desired) {
            // on this (supervision) thread the group decides and respawns at once (Mailbox); its events wake
            // the event thread only after that, so the store's work does not run ahead of the respawn
            SupervisionEvent.Exited exited = new SupervisionEvent.Exited(clock.getAsLong(), in.id, abnormal, exit.reason());
            bus.holdingWakes(() -> groups.post(in, exited));
        }
        ready.completeExceptionally(new IllegalStateException(exit.reason()));
        in.log.flushPending();
        // a crashed leader may leave children behind: the group goes with it. The kernel keeps the
        // number of a group with members from being reused, and signal() never reaches a stranger
        // that took the leader's number once the group was empty (nor the respawn, if it got it).
        long deadGroup = p.pgid();
        if (deadGroup <= 1) return;
        AgentProcess now;
        synchronized (in) {
            now = in.proc;
        }
        if (now != null && now.pgid() == deadGroup) return; // the respawn got the number back (wrap-around): announced already
        p.signal(Signals.Sig.KILL);
        // told after the respawn: the write wakes the watchdog's shell, which took the CPU from this thread
        // before the spawn (0.3 ms in a perf trace at 1,000 agents); the group is dead and killed already.
        forgetGroup(deadGroup);
    }

    private void forgetGroup(long pgid) {
        if (pgid > 1 && launcher.watchdog() != null) launcher.watchdog().forget(pgid);
    }

    // ---- transitions --------------------------------------------------------------------------

    /** Caller holds the monitor of {@code in}. Publishing only queues the event: no listener runs under the lock. */
    void transition(Instance in, InstanceState to, String cause, ExitInfo exit, String reason, String traceId) {
        InstanceState from = in.state;
        in.state = to;
        if (reason != null || to == InstanceState.RUNNING || to == InstanceState.STARTING) in.reason = reason;
        Transition t = new Transition(System.currentTimeMillis(), in.id, from, to, cause,
                exit == null ? null : exit.code(), exit == null ? null : exit.signal(), reason,
                in.proc == null ? -1 : in.proc.pid(), traceId);
        if (in.history.size() == HISTORY) in.history.removeFirst();
        in.history.addLast(t);
        bus.publish(new EngineEvent.TransitionEvent(t));
    }

    static String traceId(Context ctx) {
        if (ctx == null) return null;
        SpanContext sc = Span.fromContext(ctx).getSpanContext();
        return sc.isValid() ? sc.getTraceId() : null;
    }

    private LifecycleResult result(String op, Instance in, boolean ok, InstanceState prev, String err, long t0, Span span) {
        InstanceState now;
        long pid;
        synchronized (in) {
            now = in.state;
            pid = in.pid();
        }
        if (!ok) span.setStatus(StatusCode.ERROR, err);
        span.setAttribute("sabot.success", ok);
        SpanContext sc = span.getSpanContext();
        LifecycleResult r = new LifecycleResult(op, in.id, ok, prev, now, (clock.getAsLong() - t0) / 1_000_000, err,
                sc.isValid() ? sc.getTraceId() : null, pid > 0 ? pid : null);
        bus.publish(new EngineEvent.ResultEvent(r));
        return r;
    }
}
