package io.sabot.engine;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.sabot.engine.supervision.Action;
import io.sabot.engine.supervision.Decision;
import io.sabot.engine.supervision.GroupSettings;
import io.sabot.engine.supervision.GroupState;
import io.sabot.engine.supervision.GroupSupervisor;
import io.sabot.engine.supervision.Member;
import io.sabot.engine.supervision.SupervisionEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One supervision group at work: its events are handled one at a time (a {@link Mailbox}), each
 * by asking {@link GroupSupervisor#decide} with the members' current states, then carrying the
 * actions out. Stops run on the engine's operation pool and report back when done; starts only
 * spawn (the member's RUNNING comes back as an event); backoff waits are timers. Nothing here
 * decides anything.
 */
final class GroupRunner {
    private final String name;
    private final Supplier<Fleet> fleet;
    private final InstanceRunner runner;
    private final ExecutorService ops;
    private final ScheduledExecutorService timers;
    private final EventBus bus;
    private final LongSupplier clock;
    private final Mailbox mailbox;
    private GroupState state; // touched on the mailbox only
    private volatile GroupState published; // the state after the last decision, for status

    GroupRunner(String name, Supplier<Fleet> fleet, InstanceRunner runner, ExecutorService ops, ScheduledExecutorService timers,
                EventBus bus, LongSupplier clock, java.util.concurrent.Executor pool) {
        this.name = name;
        this.fleet = fleet;
        this.runner = runner;
        this.ops = ops;
        this.timers = timers;
        this.bus = bus;
        this.clock = clock;
        this.mailbox = new Mailbox(pool);
        this.state = GroupState.initial(name, new GroupSettings(null, 0, 1, null), List.of(), ThreadLocalRandom.current().nextLong());
    }

    void post(SupervisionEvent e) { mailbox.execute(() -> handle(e)); }

    /** The group's state as of now (for status and tests); read on the mailbox. */
    GroupState snapshot() {
        java.util.concurrent.CompletableFuture<GroupState> f = new java.util.concurrent.CompletableFuture<>();
        mailbox.execute(() -> f.complete(state));
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    /** The state after the last decision (null before the first), without waiting for the mailbox. */
    GroupState published() { return published; }

    private void handle(SupervisionEvent e) {
        Fleet f = fleet.get();
        List<Instance> members = f.members().get(name);
        GroupSettings settings = f.groups().get(name);
        if (members == null || settings == null) return; // the group was removed
        List<Member> facts = new ArrayList<>(members.size());
        for (Instance in : members) facts.add(new Member(in.id, in.spec.restart().policy(), status(in)));
        Decision d = GroupSupervisor.decide(state.withFacts(settings, facts), e);
        state = d.state();
        published = state;
        traceRestarts(settings, e);
        for (Action a : d.actions()) carryOut(a, f, members.size());
    }

    // ---- traces: each restart (and escalation) is a trace of its own --------------------------

    /** A root span per restart under way, from the decision that began it until it is done or overtaken. */
    private final Map<Long, Span> restartSpans = new HashMap<>();
    /** The backoff wait of a restart, from its Schedule until its timer fires. */
    private final Map<Long, Span> backoffSpans = new HashMap<>();

    private void traceRestarts(GroupSettings settings, SupervisionEvent e) {
        java.util.Set<Long> live = new java.util.HashSet<>();
        for (GroupState.Plan p : state.plans()) {
            live.add(p.token());
            if (restartSpans.containsKey(p.token())) continue;
            String spanName = p.escalation() ? "escalation " + name : "crash-restart " + p.origin()
                    + (state.members().size() > 1 ? " (group " + name + ", " + settings.strategy().wireName() + ")" : "");
            Span root = runner.tracer().spanBuilder(spanName).setNoParent().startSpan();
            root.setAttribute("sabot.instance", p.origin());
            root.setAttribute("sabot.group", name);
            root.setAttribute("sabot.strategy", settings.strategy().wireName());
            root.setAttribute("sabot.exit", p.why());
            root.setAttribute("sabot.backoff_ms", p.delayMs());
            restartSpans.put(p.token(), root);
        }
        if (e instanceof SupervisionEvent.TimerFired t) endSpan(backoffSpans.remove(t.token()), null);
        for (java.util.Iterator<Map.Entry<Long, Span>> it = restartSpans.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Span> x = it.next();
            if (live.contains(x.getKey())) continue;
            endSpan(backoffSpans.remove(x.getKey()), "overtaken");
            endSpan(x.getValue(), null);
            it.remove();
        }
    }

    private static void endSpan(Span s, String outcome) {
        if (s == null) return;
        if (outcome != null) s.setAttribute("sabot.outcome", outcome);
        s.end();
    }

    /** The context of the restart that involves this member (its own or a sibling's), or the root context. */
    private Context restartContext(String member) {
        for (GroupState.Plan p : state.plans()) {
            if (member.equals(p.origin()) || member.equals(p.current()) || p.starts().contains(member) || p.stopping().contains(member)) {
                Span s = restartSpans.get(p.token());
                if (s != null) return Context.root().with(s);
            }
        }
        return Context.root();
    }

    private Context restartContext(long token) {
        Span s = restartSpans.get(token);
        return s == null ? Context.root() : Context.root().with(s);
    }

    private static Member.Status status(Instance in) {
        synchronized (in) {
            return switch (in.state) {
                case RUNNING -> Member.Status.UP;
                case STARTING -> Member.Status.STARTING;
                case STOPPING -> Member.Status.STOPPING;
                case BACKOFF -> Member.Status.WAITING;
                case FAILED -> Member.Status.FAILED;
                default -> Member.Status.DOWN;
            };
        }
    }

    private void carryOut(Action a, Fleet f, int size) {
        try {
            if (a instanceof Action.Stop s) {
                boolean escalation = state.plans().stream().anyMatch(p -> p.token() == s.token() && p.escalation());
                Map<String, Long> seen = new HashMap<>();
                for (String id : s.members()) with(f, id, in -> seen.put(id, in.operatorActions));
                Context ctx = restartContext(s.token());
                ops.execute(() -> stop(s, escalation, seen, ctx));
            } else if (a instanceof Action.Backoff b) {
                for (String id : b.members()) {
                    String trace = InstanceRunner.traceId(restartContext(id));
                    with(f, id, in -> runner.backoff(in, b.reason(), trace));
                }
            } else if (a instanceof Action.Schedule s) {
                if (s.delayMs() > 0) { // a wait of nothing is no step of the trace
                    Span wait = runner.tracer().spanBuilder("backoff").setParent(restartContext(s.token())).startSpan();
                    wait.setAttribute("sabot.backoff_ms", s.delayMs());
                    backoffSpans.put(s.token(), wait);
                }
                if (s.delayMs() <= 0) post(new SupervisionEvent.TimerFired(clock.getAsLong(), s.token()));
                else timers.schedule(() -> post(new SupervisionEvent.TimerFired(clock.getAsLong(), s.token())), s.delayMs(), TimeUnit.MILLISECONDS);
            } else if (a instanceof Action.Start s) {
                Context ctx = restartContext(s.member());
                with(f, s.member(), in -> runner.startForGroup(in, s.crashed() ? Cause.BACKOFF : Cause.STRATEGY, name, ctx));
            } else if (a instanceof Action.Finish fin) {
                String trace = InstanceRunner.traceId(restartContext(fin.member()));
                with(f, fin.member(), in -> runner.finish(in, fin.reason(), trace));
            } else if (a instanceof Action.Fail fail) {
                for (String id : fail.members()) {
                    String trace = InstanceRunner.traceId(restartContext(id));
                    with(f, id, in -> {
                        if (runner.fail(in, fail.reason(), trace) && size == 1) bus.publish(new EngineEvent.NoticeEvent(id + " FAILED: " + fail.reason()));
                    });
                }
            } else if (a instanceof Action.Escalated esc) {
                bus.publish(new EngineEvent.GroupEvent(new EngineEvent.GroupChange(name, InstanceState.FAILED.name(), esc.reason(),
                        esc.members(), System.currentTimeMillis())));
                if (size > 1) bus.publish(new EngineEvent.NoticeEvent("group " + name + " FAILED: " + esc.reason()));
            }
        } catch (RejectedExecutionException e) {
            // the engine is closing: its shutdown stops everything anyway
        }
    }

    /** Stops members one after the other in the order given, each within its grace, then reports back. */
    private void stop(Action.Stop s, boolean escalation, Map<String, Long> seen, Context parent) {
        Span root = runner.tracer().spanBuilder("stop " + String.join(", ", s.members())).setParent(parent).startSpan();
        root.setAttribute("sabot.group", name);
        root.setAttribute("sabot.reason", s.reason());
        try {
            Context ctx = Context.root().with(root);
            Fleet f = fleet.get();
            for (String id : s.members()) {
                with(f, id, in -> runner.stopForGroup(in, seen.getOrDefault(id, -1L), escalation ? Cause.ESCALATION : Cause.STRATEGY,
                        s.reason(), ctx));
            }
        } finally {
            root.end();
            post(new SupervisionEvent.Stopped(clock.getAsLong(), s.token()));
        }
    }

    private static void with(Fleet f, String id, java.util.function.Consumer<Instance> act) {
        Instance in = f.byId().get(id);
        if (in != null) act.accept(in);
    }
}
