package io.sabot.host;

import io.sabot.engine.supervision.Action;
import io.sabot.engine.supervision.Decision;
import io.sabot.engine.supervision.GroupSettings;
import io.sabot.engine.supervision.GroupState;
import io.sabot.engine.supervision.GroupSupervisor;
import io.sabot.engine.supervision.Member;
import io.sabot.engine.supervision.SupervisionEvent;
import io.sabot.process.ProcessLauncher;
import io.sabot.process.ThreadNice;
import io.sabot.spec.BackoffSpec;
import io.sabot.spec.RestartPolicy;
import io.sabot.spec.SupervisionStrategy;
import io.sabot.telemetry.Telemetry;
import java.util.List;

/**
 * Runs the pure parts of a crash's restart a few hundred times when an engine opens, on a thread
 * of low priority that then ends: the group's decision ({@link GroupSupervisor#decide} for a
 * death, its zero backoff and the start), the spans of the restart, the agent's environment.
 *
 * <p>Why: the JIT compiles a method after ~200 calls, and a crash path runs once per crash, so in
 * a daemon where crashes are rare it runs interpreted for good. Interpreted, one span cost ~0.1 ms
 * and one decision ~0.1 ms of a respawn at 100 agents (nanoTime marks on the crash path,
 * docs/benchmarks.md "Session 6"). Nothing here touches the fleet, the store or a process; its
 * guarantee, that it leaves no trace, is held by {@code CrashPathWarmUpTest}.
 */
public final class CrashPathWarmUp {
    /** Above C1's thresholds (200 calls, or 2,000 calls and loops with at least 100 calls). */
    static final int ROUNDS = 300;

    private CrashPathWarmUp() {}

    /** Starts the warm-up in the background; returns its thread. */
    public static Thread inBackground() {
        Thread t = new Thread(() -> {
            ThreadNice.lowerCurrentThread(10); // never ahead of the engine's own work
            run(ROUNDS);
        }, "sabot-warm-up");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** One warm-up, on the calling thread. */
    static void run(int rounds) {
        decisions(rounds);
        Telemetry.warmUp(rounds);
        ProcessLauncher.warmUp(rounds);
    }

    /** Death, zero backoff, start, RUNNING: the decisions of a permanent member's crash, on a group of its own; how many starts they gave. */
    static int decisions(int rounds) {
        GroupSettings settings = new GroupSettings(SupervisionStrategy.ONE_FOR_ONE, 1_000_000, 1, new BackoffSpec(0, 0, 1.0, 0, 10_000));
        String id = "warm-up-0";
        List<Member> up = List.of(new Member(id, RestartPolicy.PERMANENT, Member.Status.UP));
        List<Member> down = List.of(new Member(id, RestartPolicy.PERMANENT, Member.Status.DOWN));
        List<Member> starting = List.of(new Member(id, RestartPolicy.PERMANENT, Member.Status.STARTING));
        GroupState s = GroupState.initial("warm-up", settings, up, 42);
        long now = 0;
        int starts = 0;
        for (int i = 0; i < rounds; i++) {
            now += 1_000_000_000L;
            Decision d = GroupSupervisor.decide(s.withFacts(settings, up), new SupervisionEvent.Exited(now, id, true, "killed by signal 9"));
            s = d.state();
            for (Action a : d.actions()) {
                if (!(a instanceof Action.Schedule sch)) continue;
                Decision fired = GroupSupervisor.decide(s.withFacts(settings, down), new SupervisionEvent.TimerFired(now, sch.token()));
                s = fired.state();
                starts += (int) fired.actions().stream().filter(x -> x instanceof Action.Start).count();
            }
            s = GroupSupervisor.decide(s.withFacts(settings, starting), new SupervisionEvent.Started(now, id)).state();
        }
        return starts;
    }
}
