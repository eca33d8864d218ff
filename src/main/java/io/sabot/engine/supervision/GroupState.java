package io.sabot.engine.supervision;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything {@link GroupSupervisor#decide} knows of one group: the facts the engine refreshes
 * before every decision (settings, members in spec order with their status) and the group's own
 * memory (recent restart times, backoff attempt, restarts under way, escalation). Immutable.
 *
 * @param restarts         monotonic times of the restarts within the period, oldest first (OTP's {@code restarts})
 * @param attempt          backoff attempt of the group's next restart (0: {@code initialMs})
 * @param lastRestartNanos when the group last restarted; {@link Long#MIN_VALUE} if never
 * @param plans            restarts under way (several only under one_for_one, one member each)
 * @param failed           why the group escalated, while it is FAILED; else null
 * @param seed             state of the jitter's random sequence (so decide stays a function)
 */
public record GroupState(String name, GroupSettings settings, List<Member> members, List<Long> restarts, int attempt,
                         long lastRestartNanos, List<Plan> plans, String failed, long nextToken, long seed) {

    public GroupState {
        members = List.copyOf(members);
        restarts = List.copyOf(restarts);
        plans = List.copyOf(plans);
    }

    /** A group as deployed, with no history. */
    public static GroupState initial(String name, GroupSettings settings, List<Member> members, long seed) {
        return new GroupState(name, settings, members, List.of(), 0, Long.MIN_VALUE, List.of(), null, 1, seed);
    }

    /** The same memory with fresh facts (the engine's view of settings and members right now). */
    public GroupState withFacts(GroupSettings s, List<Member> m) {
        return new GroupState(name, s, m, restarts, attempt, lastRestartNanos, plans, failed, nextToken, seed);
    }

    public Member member(String id) {
        for (Member m : members) if (m.id().equals(id)) return m;
        return null;
    }

    int indexOf(String id) {
        for (int i = 0; i < members.size(); i++) if (members.get(i).id().equals(id)) return i;
        return -1;
    }

    /** The plan that is stopping, waiting for or starting this member, or null. */
    Plan planOf(String id) {
        for (Plan p : plans) if (p.involves(id)) return p;
        return null;
    }

    Plan plan(long token) {
        for (Plan p : plans) if (p.token() == token) return p;
        return null;
    }

    GroupState withPlans(List<Plan> p) {
        return new GroupState(name, settings, members, restarts, attempt, lastRestartNanos, p, failed, nextToken, seed);
    }

    GroupState replacing(Plan old, Plan now) {
        List<Plan> out = new ArrayList<>();
        for (Plan p : plans) {
            if (p.token() != old.token()) out.add(p);
            else if (now != null) out.add(now);
        }
        return withPlans(out);
    }

    GroupState adding(Plan p) {
        List<Plan> out = new ArrayList<>(plans);
        out.add(p);
        return withPlans(out);
    }

    GroupState withMemory(List<Long> r, int att, long last, String f, long token, long s) {
        return new GroupState(name, settings, members, r, att, last, plans, f, token, s);
    }

    /**
     * A restart under way. {@code stopping}: the members being stopped first (termination order);
     * {@code starts}: the members still to start, in startup order; {@code current}: the member
     * started last, whose RUNNING the next start waits for; {@code origin}: the member whose exit
     * caused it. An escalation is a plan too: it stops {@code stopping}, then fails {@code starts}.
     */
    public record Plan(long token, Phase phase, List<String> stopping, List<String> starts, String current,
                       long delayMs, String origin, String why, boolean escalation) {
        public Plan {
            stopping = List.copyOf(stopping);
            starts = List.copyOf(starts);
        }

        boolean involves(String id) {
            return id.equals(current) || stopping.contains(id) || starts.contains(id);
        }

        Plan with(Phase ph, List<String> stop, List<String> st, String cur) {
            return new Plan(token, ph, stop, st, cur, delayMs, origin, why, escalation);
        }
    }

    /** Where a restart is: stopping the members it affects, waiting out the backoff, starting them in order. */
    public enum Phase { STOPPING, WAITING, STARTING }
}
