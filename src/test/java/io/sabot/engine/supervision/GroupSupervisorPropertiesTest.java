package io.sabot.engine.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.supervision.Member.Status;
import io.sabot.spec.BackoffSpec;
import io.sabot.spec.RestartPolicy;
import io.sabot.spec.SupervisionStrategy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link GroupSupervisor#decide} against a small reference model of OTP's supervisor rules,
 * written independently and synchronously, as {@code supervisor.erl} runs: a crash restarts the
 * strategy's members at once (stop in termination order, start in startup order), a start that
 * fails goes round the restart path again, and more than {@code maxRestarts} restarts within the
 * period stop everything. The harness below plays the engine: it carries decide's actions out at
 * once and feeds the results back, so both sides must produce the same stops, starts, backoff
 * delays and final states for any sequence of crashes, operator actions and broken starts.
 */
class GroupSupervisorPropertiesTest {

    // ---- the scenario -------------------------------------------------------------------------

    sealed interface Op permits Crash, OpStop, OpStart, Break, Fix, Wait { }
    record Crash(int member, boolean abnormal) implements Op { }
    record OpStop(int member) implements Op { }
    record OpStart(int member) implements Op { }
    record Break(int member) implements Op { }
    record Fix(int member) implements Op { }
    record Wait(long ms) implements Op { }

    record Scenario(GroupSettings settings, List<RestartPolicy> types, List<Op> ops) { }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<GroupSettings> settings = Combinators.combine(
                Arbitraries.of(SupervisionStrategy.values()),
                Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(1, 20),
                Arbitraries.longs().between(0, 200),
                Arbitraries.longs().between(0, 3000)).as((st, max, within, initial, reset) ->
                new GroupSettings(st, max, within, new BackoffSpec(initial, 1000, 2.0, 0, reset)));
        Arbitrary<List<RestartPolicy>> types = Arbitraries.of(RestartPolicy.PERMANENT, RestartPolicy.PERMANENT, RestartPolicy.TRANSIENT,
                RestartPolicy.TEMPORARY).list().ofMinSize(1).ofMaxSize(5);
        return Combinators.combine(settings, types).flatAs((s, t) -> {
            Arbitrary<Integer> m = Arbitraries.integers().between(0, t.size() - 1);
            Arbitrary<Op> op = Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(10, Combinators.combine(m, Arbitraries.of(true, true, false)).as(Crash::new)),
                    net.jqwik.api.Tuple.of(2, m.map(OpStop::new)),
                    net.jqwik.api.Tuple.of(3, m.map(OpStart::new)),
                    net.jqwik.api.Tuple.of(1, m.map(Break::new)),
                    net.jqwik.api.Tuple.of(2, m.map(Fix::new)),
                    net.jqwik.api.Tuple.of(4, Arbitraries.longs().between(0, 8000).map(Wait::new)));
            return op.list().ofMaxSize(40).map(ops -> new Scenario(s, t, ops));
        });
    }

    @Property(tries = 1500)
    void decideAgreesWithTheReferenceModel(@ForAll("scenarios") Scenario sc) {
        Harness h = new Harness(sc);
        Reference r = new Reference(sc);
        h.bootstrap();
        r.bootstrap();
        for (Op op : sc.ops()) {
            h.apply(op);
            r.apply(op);
            assertThat(h.log).as("after %s in %s", op, sc).isEqualTo(r.log);
            assertThat(h.statuses()).as("after %s in %s", op, sc).isEqualTo(r.statuses());
            assertThat(h.state.failed() != null).as("group failed after %s in %s", op, sc).isEqualTo(r.groupFailed);
            assertThat(h.state.plans()).as("no restart left half done after %s", op).isEmpty();
        }
    }

    @Property(tries = 500)
    void operatorStopsAreNeverUndone(@ForAll("scenarios") Scenario sc) {
        Harness h = new Harness(sc);
        h.bootstrap();
        boolean[] stopped = new boolean[sc.types().size()];
        for (Op op : sc.ops()) {
            int before = h.log.size();
            h.apply(op);
            if (op instanceof OpStop s) stopped[s.member()] = true;
            if (op instanceof OpStart s) stopped[s.member()] = false;
            for (String line : h.log.subList(before, h.log.size())) {
                for (int i = 0; i < stopped.length; i++) {
                    if (stopped[i]) assertThat(line).as("%s started after an operator stopped it", id(i)).isNotEqualTo("start " + id(i));
                }
            }
        }
    }

    @Property(tries = 300)
    void decideIsAFunction(@ForAll("scenarios") Scenario sc) {
        Harness h = new Harness(sc);
        h.checkPurity = true;
        h.bootstrap();
        for (Op op : sc.ops()) h.apply(op);
    }

    static String id(int i) { return "m-" + i; }

    // ---- the engine, played synchronously around decide -----------------------------------------

    static final class Harness {
        final Scenario sc;
        final int n;
        final Status[] status;
        final boolean[] broken;
        final List<String> log = new ArrayList<>();
        final Deque<SupervisionEvent> inbox = new ArrayDeque<>();
        GroupState state;
        long now = 1_000_000_000L;
        boolean checkPurity;
        boolean loggedBackoff;

        Harness(Scenario sc) {
            this.sc = sc;
            this.n = sc.types().size();
            this.status = new Status[n];
            Arrays.fill(status, Status.DOWN);
            this.broken = new boolean[n];
            this.state = GroupState.initial("g", sc.settings(), members(), 42);
        }

        List<Member> members() {
            List<Member> out = new ArrayList<>();
            for (int i = 0; i < n; i++) out.add(new Member(id(i), sc.types().get(i), status[i]));
            return out;
        }

        void bootstrap() {
            for (int i = 0; i < n; i++) apply(new OpStart(i));
        }

        void apply(Op op) {
            if (op instanceof Crash c) {
                if (status[c.member()] != Status.UP) return;
                post(new SupervisionEvent.Exited(now, id(c.member()), c.abnormal(), c.abnormal() ? "exited with code 1" : "exited normally"));
            } else if (op instanceof OpStop s) {
                post(new SupervisionEvent.OperatorStop(now, List.of(id(s.member()))));
                status[s.member()] = Status.DOWN;
            } else if (op instanceof OpStart s) {
                int i = s.member();
                post(new SupervisionEvent.OperatorStart(now, List.of(id(i))));
                if (status[i] == Status.UP) return;
                if (broken[i]) {
                    status[i] = Status.FAILED; // an operator's start that fails leaves the member FAILED and restarts nothing
                } else {
                    status[i] = Status.UP;
                    post(new SupervisionEvent.Started(now, id(i)));
                }
            } else if (op instanceof Break b) {
                broken[b.member()] = true;
            } else if (op instanceof Fix f) {
                broken[f.member()] = false;
            } else if (op instanceof Wait w) {
                now += w.ms() * 1_000_000L;
            }
        }

        void post(SupervisionEvent e) {
            inbox.add(e);
            while (!inbox.isEmpty()) {
                SupervisionEvent next = inbox.poll();
                GroupState s = state.withFacts(sc.settings(), members());
                Decision d = GroupSupervisor.decide(s, next);
                if (checkPurity) assertThat(GroupSupervisor.decide(s, next)).isEqualTo(d);
                state = d.state();
                // a restart's backoff is the first Backoff of the decision on an exit or a failed start
                loggedBackoff = !(next instanceof SupervisionEvent.Exited || next instanceof SupervisionEvent.StartFailed);
                for (Action a : d.actions()) carryOut(a);
            }
        }

        void carryOut(Action a) {
            if (a instanceof Action.Stop s) {
                for (String m : s.members()) {
                    log.add("stop " + m);
                    status[index(m)] = Status.DOWN;
                }
                inbox.add(new SupervisionEvent.Stopped(now, s.token()));
            } else if (a instanceof Action.Backoff b) {
                for (String m : b.members()) status[index(m)] = Status.WAITING;
                if (!loggedBackoff) log.add("backoff " + b.members().get(0) + " " + b.delayMs() + " ms");
                loggedBackoff = true;
            } else if (a instanceof Action.Schedule s) {
                inbox.add(new SupervisionEvent.TimerFired(now, s.token()));
            } else if (a instanceof Action.Start s) {
                int i = index(s.member());
                log.add("start " + s.member());
                if (broken[i]) {
                    status[i] = Status.FAILED;
                    inbox.add(new SupervisionEvent.StartFailed(now, s.member(), "cannot start"));
                } else {
                    status[i] = Status.UP;
                    inbox.add(new SupervisionEvent.Started(now, s.member()));
                }
            } else if (a instanceof Action.Finish f) {
                status[index(f.member())] = Status.DOWN;
            } else if (a instanceof Action.Fail f) {
                for (String m : f.members()) status[index(m)] = Status.FAILED;
            } else if (a instanceof Action.Escalated e) {
                log.add("escalated");
            }
        }

        int index(String id) { return Integer.parseInt(id.substring(2)); }

        List<Status> statuses() { return List.of(status); }
    }

    // ---- the reference: OTP's rules, synchronous, with its own bookkeeping ----------------------

    static final class Reference {
        final Scenario sc;
        final int n;
        final boolean[] running, pending, failed, broken;
        final List<Long> history = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        boolean groupFailed;
        long now = 1_000_000_000L;
        int attempt;
        Long lastRestart;

        Reference(Scenario sc) {
            this.sc = sc;
            this.n = sc.types().size();
            running = new boolean[n];
            pending = new boolean[n];
            failed = new boolean[n];
            broken = new boolean[n];
        }

        void bootstrap() {
            for (int i = 0; i < n; i++) apply(new OpStart(i));
        }

        void apply(Op op) {
            if (op instanceof Crash c) crash(c.member(), c.abnormal());
            else if (op instanceof OpStop s) {
                running[s.member()] = false;
                pending[s.member()] = false;
                failed[s.member()] = false;
            } else if (op instanceof OpStart s) {
                int i = s.member();
                if (groupFailed) {
                    groupFailed = false;
                    history.clear();
                    attempt = 0;
                    lastRestart = null;
                }
                pending[i] = false;
                if (running[i]) return;
                if (broken[i]) failed[i] = true;
                else {
                    running[i] = true;
                    failed[i] = false;
                }
            } else if (op instanceof Break b) broken[b.member()] = true;
            else if (op instanceof Fix f) broken[f.member()] = false;
            else if (op instanceof Wait w) now += w.ms() * 1_000_000L;
        }

        RestartPolicy type(int i) { return sc.types().get(i); }

        void crash(int i, boolean abnormal) {
            if (!running[i]) return;
            running[i] = false;
            boolean restart = type(i) == RestartPolicy.PERMANENT || (type(i) == RestartPolicy.TRANSIENT && abnormal);
            if (!restart) return;
            restartPath(i);
        }

        /** OTP restart/2: count, maybe give up, else restart the strategy's members now. */
        void restartPath(int i) {
            GroupSettings s = sc.settings();
            long period = s.withinSeconds() * 1_000_000_000L;
            history.add(now);
            long recent = history.stream().filter(t -> t > now - period).count();
            if (recent > s.maxRestarts()) {
                for (int j = n - 1; j >= 0; j--) {
                    if (j != i && running[j]) log.add("stop " + id(j));
                }
                for (int j = 0; j < n; j++) {
                    if (j == i || running[j] || pending[j] || failed[j]) failed[j] = true;
                    running[j] = false;
                    pending[j] = false;
                }
                log.add("escalated");
                groupFailed = true;
                return;
            }
            long reset = s.backoff().resetAfterMs() * 1_000_000L;
            if (lastRestart == null || now - lastRestart >= reset) attempt = 0;
            long delay = Math.round(Math.min(s.backoff().initialMs() * Math.pow(s.backoff().multiplier(), attempt), s.backoff().maxMs()));
            attempt++;
            lastRestart = now;
            log.add("backoff " + id(i) + " " + delay + " ms");
            int from = switch (s.strategy()) {
                case ONE_FOR_ALL -> 0;
                case REST_FOR_ONE -> i;
                default -> -1;
            };
            List<Integer> set = new ArrayList<>();
            if (from < 0) set.add(i);
            else for (int j = from; j < n; j++) set.add(j);
            for (int k = set.size() - 1; k >= 0; k--) {
                int j = set.get(k);
                if (j != i && running[j]) log.add("stop " + id(j));
            }
            List<Integer> toStart = new ArrayList<>();
            for (int j : set) {
                boolean again = j == i || (type(j) != RestartPolicy.TEMPORARY && (running[j] || pending[j]));
                running[j] = false;
                if (again) toStart.add(j);
                else pending[j] = false;
            }
            for (int j : toStart) {
                pending[j] = true;
                failed[j] = false;
            }
            for (int j : toStart) {
                log.add("start " + id(j));
                if (broken[j]) {
                    restartPath(j); // OTP's try_again: a failed start is a restart of its own
                    return;
                }
                running[j] = true;
                pending[j] = false;
            }
        }

        List<Status> statuses() {
            List<Status> out = new ArrayList<>();
            for (int j = 0; j < n; j++) out.add(running[j] ? Status.UP : failed[j] ? Status.FAILED : pending[j] ? Status.WAITING : Status.DOWN);
            return out;
        }
    }
}
