package io.sabot.engine.supervision;

import io.sabot.engine.supervision.GroupState.Phase;
import io.sabot.engine.supervision.GroupState.Plan;
import io.sabot.engine.supervision.Member.Status;
import io.sabot.engine.supervision.SupervisionEvent.Exited;
import io.sabot.engine.supervision.SupervisionEvent.OperatorStart;
import io.sabot.engine.supervision.SupervisionEvent.OperatorStop;
import io.sabot.engine.supervision.SupervisionEvent.StartFailed;
import io.sabot.engine.supervision.SupervisionEvent.Started;
import io.sabot.engine.supervision.SupervisionEvent.Stopped;
import io.sabot.engine.supervision.SupervisionEvent.TimerFired;
import io.sabot.spec.RestartPolicy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Where every restart is decided: a supervision group is an OTP supervisor, and this is its
 * {@code restart/2}. A pure function: {@link #decide} takes the group's state and one event and
 * returns the next state and the actions, in order; the engine ({@code GroupRunner}) carries
 * them out on its threads and reports back with events. Nothing here blocks, reads a clock or
 * touches a process. The model is Erlang/OTP's {@code supervisor.erl}: a group's members are the
 * instances of its agents in spec order (startup order); termination order is the reverse.
 *
 * <h2>Guarantees</h2>
 * <ol>
 * <li><b>one_for_one</b>: a member that exits and is to be restarted is the only one restarted.
 *     ({@code GroupSupervisorPropertiesTest.decideAgreesWithTheReferenceModel},
 *     {@code GroupSupervisionTest.oneForOneRestartsOnlyTheMemberThatCrashed})</li>
 * <li><b>one_for_all</b>: the other live members are stopped one at a time in termination order,
 *     each gracefully, then every member is started again in startup order, each only once the one
 *     before it is RUNNING. ({@code GroupSupervisionTest.oneForAllStopsInTerminationOrderAndStartsInStartupOrder})</li>
 * <li><b>rest_for_one</b>: the same for the crashed member and the members after it; the ones
 *     before it keep running. ({@code GroupSupervisionTest.restForOneRestartsTheRestInOrder})</li>
 * <li><b>Intensity is the group's</b>: every restart the group performs counts, strategy restarts
 *     and failed starts included. More than {@code maxRestarts} within {@code withinSeconds}
 *     (monotonic time) escalates: every live member is stopped in termination order, the group and
 *     its members go FAILED with the reason, and nothing of it starts again until an operator
 *     starts it, which clears the history. ({@code GroupSupervisionTest.groupIntensityEscalatesAndStopsEveryMember},
 *     {@code SupervisionTest.intensityExceededEndsInFailedAndOnlyAnOperatorStartsItAgain})</li>
 * <li><b>Restart types</b>: a temporary member is never restarted, not even by a sibling's crash
 *     (a restart that takes it down leaves it STOPPED); a transient member only after an abnormal
 *     exit; an exit that is final for its type restarts nobody. ({@code GroupSupervisionTest.temporaryAndTransientInsideAGroup})</li>
 * <li><b>Backoff is the group's</b>: a restart waits {@code initialMs * multiplier^n} (capped,
 *     jittered) after its stops, n counting the group's consecutive restarts and starting over
 *     once the group has gone {@code resetAfterMs} without one; no member of the restart starts before it.
 *     ({@code GroupSupervisionTest.backoffHoldsTheWholeGroupNotOneMember}, {@code SupervisionTest.backoffDelaysGrowAndCap},
 *     {@code GroupSupervisorPropertiesTest.decideAgreesWithTheReferenceModel})</li>
 * <li><b>The operator wins</b>: a member an operator stops is left out of any restart under way and
 *     of later ones until started again; members STOPPED or FAILED on their own are not started
 *     by a sibling's restart. ({@code GroupSupervisorPropertiesTest.operatorStopsAreNeverUndone})</li>
 * <li><b>A function</b>: the same state and event always give the same decision (the jitter's
 *     random draw comes from the state). ({@code GroupSupervisorPropertiesTest.decideIsAFunction})</li>
 * </ol>
 *
 * <h2>Example</h2>
 * Group {@code g}, one_for_all, members {@code a-0, b-0, c-0} all RUNNING; {@code b-0} exits
 * with code 3. {@code decide} counts the restart, then returns {@code Backoff([b-0])} and
 * {@code Stop([c-0, a-0])}. When they are stopped: {@code Backoff([a-0, c-0])},
 * {@code Schedule(100 ms)}. When the timer fires: {@code Start(a-0)}; on its RUNNING
 * {@code Start(b-0)}; then {@code Start(c-0)}; then the group is idle again.
 * ({@code GroupSupervisorTest.theClassCommentsExample})
 *
 * <p>One deliberate difference from OTP: a member that is STOPPED (an operator stopped it, or its
 * exit was final for its restart type) is not started by a sibling's restart; OTP would restart a
 * finished transient child along with its siblings. An operator start brings it back.
 */
public final class GroupSupervisor {
    private GroupSupervisor() {}

    /** The group's next state and the actions, in order, after one event. */
    public static Decision decide(GroupState s, SupervisionEvent e) {
        if (e instanceof Exited x) return exited(s, x);
        if (e instanceof StartFailed f) return startFailed(s, f);
        if (e instanceof Started st) return started(s, st);
        if (e instanceof Stopped st) return stopped(s, st);
        if (e instanceof TimerFired t) return timerFired(s, t);
        if (e instanceof OperatorStart o) return operatorStart(s, o);
        if (e instanceof OperatorStop o) return operatorStop(s, o);
        throw new IllegalArgumentException("unknown supervision event " + e);
    }

    // ---- events ---------------------------------------------------------------------------------

    /** OTP's do_restart: the restart type says whether the exit restarts anything. */
    private static Decision exited(GroupState s, Exited x) {
        Member m = s.member(x.member());
        if (m == null) return none(s);
        Plan p = s.planOf(m.id());
        // a member this group is stopping anyway: its exit is part of the stop (OTP's unlink_flush)
        if (p != null && p.phase() == Phase.STOPPING && p.stopping().contains(m.id())) return none(s);
        if (!m.status().live()) return none(s);
        if (s.failed() != null) return new Decision(s, List.of(new Action.Fail(List.of(m.id()), s.failed())));
        boolean restart = m.type() == RestartPolicy.PERMANENT || (m.type() == RestartPolicy.TRANSIENT && x.abnormal());
        if (!restart) {
            List<Action> out = new ArrayList<>();
            out.add(new Action.Finish(m.id(), x.reason() + " (policy " + m.type().wireName() + ")"));
            return leaveOut(s, List.of(m.id()), x.nanos(), out);
        }
        return restart(s, m.id(), x.reason(), x.nanos());
    }

    /** A start that could not spawn goes round the restart path again, and counts (OTP's try_again). */
    private static Decision startFailed(GroupState s, StartFailed f) {
        Plan p = s.planOf(f.member());
        if (p == null || p.escalation() || !f.member().equals(p.current())) return none(s);
        return restart(s, f.member(), "failed to start: " + f.reason(), f.nanos());
    }

    /** The member started last is RUNNING: start the next one of its restart. */
    private static Decision started(GroupState s, Started st) {
        Plan p = s.planOf(st.member());
        if (p == null || p.escalation() || p.phase() != Phase.STARTING || !st.member().equals(p.current())) return none(s);
        List<Action> out = new ArrayList<>();
        GroupState next = startNext(s, p, out);
        return new Decision(next, out);
    }

    private static Decision stopped(GroupState s, Stopped st) {
        Plan p = s.plan(st.token());
        if (p == null || p.phase() != Phase.STOPPING) return none(s);
        List<Action> out = new ArrayList<>();
        if (p.escalation()) {
            List<String> fail = new ArrayList<>();
            for (String id : p.starts()) if (s.member(id) != null) fail.add(id);
            out.add(new Action.Fail(fail, p.why()));
            out.add(new Action.Escalated(s.name(), fail, p.why()));
            return new Decision(s.replacing(p, null), out);
        }
        // temporaries stopped by a restart are not part of it (OTP's terminate_children removes them)
        for (String id : p.stopping()) {
            Member m = s.member(id);
            if (m != null && m.type() == RestartPolicy.TEMPORARY) out.add(new Action.Finish(id, "stopped by the restart of group " + s.name()
                    + " (policy temporary: not restarted)"));
        }
        Plan waiting = p.with(Phase.WAITING, List.of(), p.starts(), null);
        List<String> show = new ArrayList<>();
        for (String id : p.starts()) {
            Member m = s.member(id);
            if (m != null && m.status() != Status.WAITING && !id.equals(p.origin())) show.add(id);
        }
        if (!show.isEmpty()) out.add(new Action.Backoff(show, p.delayMs(), siblingReason(s, p)));
        out.add(new Action.Schedule(p.token(), p.delayMs()));
        return new Decision(s.replacing(p, waiting), out);
    }

    private static Decision timerFired(GroupState s, TimerFired t) {
        Plan p = s.plan(t.token());
        if (p == null || p.phase() != Phase.WAITING) return none(s);
        List<Action> out = new ArrayList<>();
        GroupState next = startNext(s, p.with(Phase.STARTING, List.of(), p.starts(), null), out);
        return new Decision(next, out);
    }

    /** An operator starts members: a FAILED group starts over (OTP: a new supervisor, no history). */
    private static Decision operatorStart(GroupState s, OperatorStart o) {
        GroupState g = s;
        if (s.failed() != null) {
            List<Plan> keep = new ArrayList<>();
            for (Plan p : s.plans()) if (!p.escalation()) keep.add(p);
            g = s.withPlans(keep).withMemory(List.of(), 0, Long.MIN_VALUE, null, s.nextToken(), s.seed());
        }
        return leaveOut(g, o.members(), o.nanos(), new ArrayList<>());
    }

    private static Decision operatorStop(GroupState s, OperatorStop o) {
        return leaveOut(s, o.members(), o.nanos(), new ArrayList<>());
    }

    // ---- the restart path (OTP's restart/2 and restart/3) ------------------------------------

    private static Decision restart(GroupState s, String id, String why, long now) {
        GroupSettings set = s.settings();
        // add_restart: trim the history to the period, count this one, compare with the intensity
        List<Long> window = new ArrayList<>();
        for (long t : s.restarts()) if (t > now - set.periodNanos()) window.add(t);
        window.add(now);
        String last = s.members().size() > 1 ? id + " " + why : why;
        if (window.size() > set.maxRestarts()) {
            String reason = "restart intensity exceeded: more than " + set.maxRestarts() + " restarts within " + set.withinSeconds()
                    + " s" + (s.members().size() > 1 ? " in group " + s.name() : "") + " (last: " + last + ")";
            return escalate(s.withMemory(window, s.attempt(), s.lastRestartNanos(), reason, s.nextToken(), s.seed()), id, reason);
        }
        long resetAfter = set.backoff().resetAfterMs() * 1_000_000L;
        int attempt = s.lastRestartNanos() == Long.MIN_VALUE || now - s.lastRestartNanos() >= resetAfter ? 0 : s.attempt();
        double draw = new SplittableRandom(s.seed()).nextDouble();
        long delay = Backoff.delayMs(set.backoff(), attempt, draw);
        long token = s.nextToken();

        // which members the strategy affects, and what restarts under way this one takes over
        int at = s.indexOf(id);
        Set<String> affected = new LinkedHashSet<>();
        switch (set.strategy()) {
            case ONE_FOR_ALL -> s.members().forEach(m -> affected.add(m.id()));
            case REST_FOR_ONE -> s.members().subList(at, s.members().size()).forEach(m -> affected.add(m.id()));
            default -> affected.add(id);
        }
        Set<String> inherited = new LinkedHashSet<>();
        List<Plan> keep = new ArrayList<>();
        for (Plan p : s.plans()) {
            boolean overlaps = affected.stream().anyMatch(p::involves);
            if (!overlaps || p.escalation()) {
                keep.add(p);
                continue;
            }
            inherited.addAll(p.stopping());
            inherited.addAll(p.starts());
            if (p.current() != null) inherited.add(p.current());
        }
        List<String> starts = new ArrayList<>();
        List<String> stops = new ArrayList<>();
        for (Member m : s.members()) {
            boolean mine = affected.contains(m.id()) || inherited.contains(m.id());
            if (!mine) continue;
            boolean temporary = m.type() == RestartPolicy.TEMPORARY;
            if (m.id().equals(id)) starts.add(id);
            else if (!temporary && (inherited.contains(m.id()) || m.status().live() || m.status() == Status.WAITING)) starts.add(m.id());
            // termination order: reverse of spec order; a member an earlier restart is still stopping is
            // stopped again (the stop waits for that one), so this restart waits until it is down
            if (!m.id().equals(id) && (m.status().live() || stoppingForUs(s, m))) stops.add(0, m.id());
        }
        Plan plan = new Plan(token, stops.isEmpty() ? Phase.WAITING : Phase.STOPPING, stops, starts, null, delay, id, why, false);
        GroupState next = s.withPlans(keep).adding(plan)
                .withMemory(window, attempt + 1, now, null, token + 1, s.seed() + 0x9E3779B97F4A7C15L);
        List<Action> out = new ArrayList<>();
        out.add(new Action.Backoff(List.of(id), delay, why + "; restart in " + delay + " ms"));
        if (!stops.isEmpty()) {
            out.add(new Action.Stop(token, stops, "restart of group " + s.name() + " after " + id + " " + why));
        } else {
            List<String> others = new ArrayList<>();
            for (String m : starts) if (!m.equals(id) && s.member(m).status() != Status.WAITING) others.add(m);
            if (!others.isEmpty()) out.add(new Action.Backoff(others, delay, siblingReason(s, plan)));
            out.add(new Action.Schedule(token, delay));
        }
        return new Decision(next, out);
    }

    /**
     * The group gives up: every live member is stopped in termination order, then the group and
     * its members are FAILED. Members STOPPED on their own stay STOPPED.
     */
    private static Decision escalate(GroupState s, String id, String reason) {
        List<String> stops = new ArrayList<>();
        List<String> fail = new ArrayList<>();
        for (Member m : s.members()) {
            boolean ours = stoppingForUs(s, m);
            if (!m.id().equals(id) && (m.status().live() || ours)) stops.add(0, m.id());
            if (m.id().equals(id) || ours || (m.status() != Status.DOWN && m.status() != Status.STOPPING)) fail.add(m.id());
        }
        List<Plan> keep = new ArrayList<>();
        long token = s.nextToken();
        List<Action> out = new ArrayList<>();
        if (stops.isEmpty()) {
            out.add(new Action.Fail(fail, reason));
            out.add(new Action.Escalated(s.name(), fail, reason));
        } else {
            out.add(new Action.Fail(List.of(id), reason)); // the one that crashed is down already
            keep.add(new Plan(token, Phase.STOPPING, stops, fail, null, 0, id, reason, true));
            out.add(new Action.Stop(token, stops, reason));
        }
        GroupState next = s.withPlans(keep).withMemory(s.restarts(), s.attempt(), s.lastRestartNanos(), reason, token + 1, s.seed());
        return new Decision(next, out);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Starts the next member of a restart that nobody else has started meanwhile, or ends the restart. */
    private static GroupState startNext(GroupState s, Plan p, List<Action> out) {
        List<String> rest = new ArrayList<>(p.starts());
        while (!rest.isEmpty()) {
            String id = rest.remove(0);
            Member m = s.member(id);
            if (m == null || m.status().live() || m.status() == Status.STOPPING) continue; // gone, or started by someone else
            out.add(new Action.Start(id, id.equals(p.origin())));
            return s.replacing(p, p.with(Phase.STARTING, List.of(), rest, id));
        }
        return s.replacing(p, null);
    }

    /** An operator took these members over (or their exit was final): no restart under way touches them any more. */
    private static Decision leaveOut(GroupState s, List<String> ids, long now, List<Action> out) {
        GroupState g = s;
        for (Plan p : s.plans()) {
            if (ids.stream().noneMatch(p::involves)) continue;
            List<String> starts = new ArrayList<>(p.starts());
            starts.removeAll(ids);
            if (p.escalation()) {
                g = g.replacing(p, p.with(p.phase(), p.stopping(), starts, null));
                continue;
            }
            boolean wasCurrent = p.current() != null && ids.contains(p.current());
            Plan q = p.with(p.phase(), p.stopping(), starts, wasCurrent ? null : p.current());
            if (q.phase() == Phase.STARTING && q.current() == null) {
                g = startNext(g, q.with(Phase.STARTING, List.of(), starts, null), out);
            } else if (q.phase() == Phase.WAITING && starts.isEmpty()) {
                g = g.replacing(p, null);
            } else {
                g = g.replacing(p, q);
            }
        }
        return new Decision(g, out);
    }

    /** A member this group's own restart is stopping right now (not an operator's stop). */
    private static boolean stoppingForUs(GroupState s, Member m) {
        if (m.status() != Status.STOPPING) return false;
        for (Plan p : s.plans()) if (p.phase() == Phase.STOPPING && p.stopping().contains(m.id())) return true;
        return false;
    }

    private static String siblingReason(GroupState s, Plan p) {
        return "group " + s.name() + " restarts after " + p.origin() + " " + p.why() + "; restart in " + p.delayMs() + " ms";
    }

    private static Decision none(GroupState s) { return new Decision(s, List.of()); }
}
