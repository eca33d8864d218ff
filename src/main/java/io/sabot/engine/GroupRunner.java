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
        for (Action a : d.actions()) carryOut(a, f, members.size());
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
                ops.execute(() -> stop(s, escalation, seen));
            } else if (a instanceof Action.Backoff b) {
                for (String id : b.members()) with(f, id, in -> runner.backoff(in, b.reason()));
            } else if (a instanceof Action.Schedule s) {
                if (s.delayMs() <= 0) post(new SupervisionEvent.TimerFired(clock.getAsLong(), s.token()));
                else timers.schedule(() -> post(new SupervisionEvent.TimerFired(clock.getAsLong(), s.token())), s.delayMs(), TimeUnit.MILLISECONDS);
            } else if (a instanceof Action.Start s) {
                with(f, s.member(), in -> runner.startForGroup(in, s.cause(), name));
            } else if (a instanceof Action.Finish fin) {
                with(f, fin.member(), in -> runner.finish(in, fin.reason()));
            } else if (a instanceof Action.Fail fail) {
                for (String id : fail.members()) {
                    with(f, id, in -> {
                        if (runner.fail(in, fail.reason()) && size == 1) bus.publish(new EngineEvent.NoticeEvent(id + " FAILED: " + fail.reason()));
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
    private void stop(Action.Stop s, boolean escalation, Map<String, Long> seen) {
        Span root = runner.tracer().spanBuilder((escalation ? "escalation " : "group-stop ") + name).setNoParent().startSpan();
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
