package io.sabot.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sabot.engine.supervision.GroupState;
import io.sabot.spec.SpecException;
import io.sabot.spec.SpecParser;
import io.sabot.testing.Await;
import io.sabot.testing.EngineFixture;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervision rules of {@code GroupSupervisor}, one test each, with real processes. Every
 * member is a small {@code sh} script that appends {@code start ID PID} when it starts,
 * {@code ready ID PID} just before it tells the engine it is ready, and {@code term ID PID} when
 * it gets SIGTERM: stop order and start order are read from what the processes themselves wrote.
 */
class GroupSupervisionTest {
    static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path home;
    Path script;
    Path out;

    @BeforeEach
    void writeScript() throws IOException {
        out = home.resolve("order.log");
        Files.writeString(out, "");
        script = home.resolve("member.sh");
        Files.writeString(script, "#!/bin/sh\n"
                + "echo \"start $SABOT_INSTANCE $$\" >> \"$OUT\"\n"
                + "trap 'echo \"term $SABOT_INSTANCE $$\" >> \"$OUT\"; exit 0' TERM\n"
                + "sleep 0.1\n"
                + "echo \"ready $SABOT_INSTANCE $$\" >> \"$OUT\"\n"
                + "echo '@sabot {\"type\":\"ready\"}'\n"
                + "while :; do sleep 1 & wait $!; done\n");
        script.toFile().setExecutable(true);
    }

    /** A member agent of group g: the script above, speaking the protocol (only to say ready), no heartbeats. */
    String member(String name, int n, String extra) {
        return "{\"name\":\"" + name + "\",\"command\":[\"" + script + "\"],\"protocol\":true,\"concurrency\":" + n
                + ",\"group\":\"g\",\"env\":{\"OUT\":\"" + out + "\"},\"health\":{\"heartbeatTimeoutMs\":0},\"stopGraceMs\":3000"
                + (extra == null ? "" : "," + extra) + "}";
    }

    static String backoff0(int max) {
        return "\"restart\":{\"maxRestarts\":" + max + ",\"withinSeconds\":60,\"backoff\":{\"initialMs\":0,\"maxMs\":0}}";
    }

    List<String> lines() throws IOException { return Files.readAllLines(out); }

    /** The process lines written after the first {@code skip} lines, as "verb id". */
    List<String> since(int skip) throws IOException {
        List<String> l = lines();
        List<String> outl = new ArrayList<>();
        for (String s : l.subList(Math.min(skip, l.size()), l.size())) outl.add(s.substring(0, s.lastIndexOf(' ')));
        return outl;
    }

    static List<String> only(List<String> lines, String verb) {
        List<String> outl = new ArrayList<>();
        for (String s : lines) if (s.startsWith(verb + " ")) outl.add(s.substring(verb.length() + 1));
        return outl;
    }

    static boolean allRunningWithNewPids(EngineFixture f, Map<String, Long> before, List<String> ids) {
        for (String id : ids) {
            InstanceStatus s = f.status(id);
            if (s.state() != InstanceState.RUNNING || s.pid() == null || s.pid().equals(before.get(id))) return false;
        }
        return true;
    }

    static Map<String, Long> pids(EngineFixture f) {
        Map<String, Long> m = new ConcurrentHashMap<>();
        for (InstanceStatus s : f.status()) if (s.pid() != null) m.put(s.id(), s.pid());
        return m;
    }

    /** Each member that starts waits for the one before it: the earlier one's ready line comes before the later one's start line. */
    static void assertStartedOneAfterTheOther(List<String> lines, List<String> order) {
        for (int i = 1; i < order.size(); i++) {
            int ready = lines.indexOf("ready " + order.get(i - 1)), start = lines.indexOf("start " + order.get(i));
            assertThat(ready).as("%s was ready before %s started, in %s", order.get(i - 1), order.get(i), lines).isBetween(0, start);
        }
    }

    @Test
    void oneForAllStopsInTerminationOrderAndStartsInStartupOrder() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            String all = "\"strategy\":\"one_for_all\"," + backoff0(10);
            f.engine.deploy(Specs.parse(Specs.fleet(member("a", 1, all), member("b", 2, all), member("c", 1, all)), home));
            f.engine.start(Selection.everything(), null, null);
            // an operator start of a one_for_all group also goes in startup order
            assertThat(only(since(0), "start")).containsExactly("a-0", "b-0", "b-1", "c-0");
            assertStartedOneAfterTheOther(since(0), List.of("a-0", "b-0", "b-1", "c-0"));
            int mark = lines().size();
            Map<String, Long> before = pids(f);
            Procs.sigkill(before.get("b-0"));
            Await.until(T, () -> allRunningWithNewPids(f, before, List.of("a-0", "b-0", "b-1", "c-0")), () -> "group g restarted: " + f.status());
            List<String> after = since(mark);
            // the others stopped in termination order (the reverse of spec order), b-0 was dead already
            assertThat(only(after, "term")).containsExactly("c-0", "b-1", "a-0");
            // then all started again in startup order, each once the one before it was ready
            assertThat(only(after, "start")).containsExactly("a-0", "b-0", "b-1", "c-0");
            assertThat(after.indexOf("term a-0")).isLessThan(after.indexOf("start a-0"));
            assertStartedOneAfterTheOther(after, List.of("a-0", "b-0", "b-1", "c-0"));
            assertThat(f.engine.history("c-0")).anyMatch(t -> t.cause().equals(Cause.STRATEGY));
            assertThat(f.status("b-0").restarts()).isEqualTo(1);
        }
    }

    @Test
    void restForOneRestartsTheRestInOrder() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            String rest = "\"strategy\":\"rest_for_one\"," + backoff0(10);
            f.engine.deploy(Specs.parse(Specs.fleet(member("a", 1, rest), member("b", 1, rest), member("c", 1, rest), member("d", 1, rest)), home));
            f.engine.start(Selection.everything(), null, null);
            int mark = lines().size();
            Map<String, Long> before = pids(f);
            Procs.sigkill(before.get("b-0"));
            Await.until(T, () -> allRunningWithNewPids(f, before, List.of("b-0", "c-0", "d-0")), () -> "b, c, d restarted: " + f.status());
            List<String> after = since(mark);
            assertThat(only(after, "term")).containsExactly("d-0", "c-0");
            assertThat(only(after, "start")).containsExactly("b-0", "c-0", "d-0");
            assertStartedOneAfterTheOther(after, List.of("b-0", "c-0", "d-0"));
            assertThat(f.status("a-0").pid()).as("the member before the crashed one keeps running").isEqualTo(before.get("a-0"));
        }
    }

    @Test
    void oneForOneRestartsOnlyTheMemberThatCrashed() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            String one = "\"strategy\":\"one_for_one\"," + backoff0(10);
            f.engine.deploy(Specs.parse(Specs.fleet(member("a", 2, one), member("b", 1, one)), home));
            f.engine.start(Selection.everything(), null, null);
            int mark = lines().size();
            Map<String, Long> before = pids(f);
            Procs.sigkill(before.get("a-1"));
            Await.until(T, () -> allRunningWithNewPids(f, before, List.of("a-1")), () -> "a-1 restarted: " + f.status());
            assertThat(only(since(mark), "term")).isEmpty();
            assertThat(only(since(mark), "start")).containsExactly("a-1");
            assertThat(f.status("a-0").pid()).isEqualTo(before.get("a-0"));
            assertThat(f.status("b-0").pid()).isEqualTo(before.get("b-0"));
        }
    }

    @Test
    void groupIntensityEscalatesAndStopsEveryMember() throws Exception {
        List<EngineEvent.GroupChange> escalations = new CopyOnWriteArrayList<>();
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.subscribe(e -> {
                if (e instanceof EngineEvent.GroupEvent g) escalations.add(g.change());
            });
            // one_for_one, 2 restarts within 60 s for the whole group: no member crashes more than
            // once, so only a group-wide count can reach the limit
            String one = backoff0(2);
            f.engine.deploy(Specs.parse(Specs.fleet(member("a", 1, one), member("b", 1, one), member("c", 1, one)), home));
            f.engine.start(Selection.everything(), null, null);
            for (String id : List.of("a-0", "b-0")) {
                Map<String, Long> before = pids(f);
                Procs.sigkill(before.get(id));
                Await.until(T, () -> allRunningWithNewPids(f, before, List.of(id)), () -> id + " restarted: " + f.status());
            }
            int mark = lines().size();
            Procs.sigkill(f.status("c-0").pid());
            Await.until(T, () -> f.status().stream().allMatch(s -> s.state() == InstanceState.FAILED), () -> "all FAILED: " + f.status());
            // every other member was stopped, in termination order
            assertThat(only(since(mark), "term")).containsExactly("b-0", "a-0");
            for (InstanceStatus s : f.status()) {
                assertThat(s.pid()).isNull();
                assertThat(s.reason()).contains("restart intensity exceeded").contains("more than 2 restarts within 60 s").contains("group g");
            }
            Await.until(T, () -> !escalations.isEmpty(), "group event");
            assertThat(escalations.get(0).group()).isEqualTo("g");
            assertThat(escalations.get(0).members()).containsExactly("a-0", "b-0", "c-0");
            // nothing of the group is pending: no timer, no restart under way
            GroupState g = f.engine.runtime().group("g").snapshot();
            assertThat(g.failed()).contains("restart intensity exceeded");
            assertThat(g.plans()).isEmpty();
            assertThat(only(since(mark), "start")).isEmpty();
            GroupStatus status = f.engine.groups().stream().filter(x -> x.name().equals("g")).findFirst().orElseThrow();
            assertThat(status.members()).containsExactly("a-0", "b-0", "c-0");
            assertThat(status.restartsLeft()).isZero();
            assertThat(status.failedReason()).contains("restart intensity exceeded");
            // an operator start brings it back with a clean history
            f.engine.start(Selection.everything(), null, null);
            assertThat(f.status()).allMatch(s -> s.state() == InstanceState.RUNNING);
            assertThat(f.engine.runtime().group("g").snapshot().failed()).isNull();
        }
    }

    @Test
    void temporaryAndTransientInsideAGroup() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            String all = "\"strategy\":\"one_for_all\"";
            String r = "\"restart\":{\"policy\":\"%s\",\"maxRestarts\":10,\"backoff\":{\"initialMs\":0,\"maxMs\":0}}";
            f.engine.deploy(Specs.parse(Specs.fleet(member("a", 1, all + "," + r.formatted("permanent")),
                    member("t", 1, all + "," + r.formatted("temporary")), member("r", 1, all + "," + r.formatted("transient")),
                    member("b", 1, all + "," + r.formatted("permanent"))), home));
            f.engine.start(Selection.everything(), null, null);
            // a sibling's crash stops the temporary member and does not start it again
            int mark = lines().size();
            Map<String, Long> before = pids(f);
            Procs.sigkill(before.get("b-0"));
            Await.until(T, () -> allRunningWithNewPids(f, before, List.of("a-0", "r-0", "b-0")), () -> "restarted: " + f.status());
            assertThat(only(since(mark), "term")).containsExactly("r-0", "t-0", "a-0");
            assertThat(only(since(mark), "start")).containsExactly("a-0", "r-0", "b-0");
            assertThat(f.status("t-0").state()).isEqualTo(InstanceState.STOPPED);
            // a transient member that exits normally is not restarted, and restarts nobody
            mark = lines().size();
            Map<String, Long> now = pids(f);
            Procs.sigterm(now.get("r-0")); // its trap exits 0
            Await.until(T, () -> f.status("r-0").state() == InstanceState.STOPPED, () -> "r-0 stopped: " + f.status());
            assertThat(f.status("r-0").lastExit().code()).isZero();
            assertThat(f.status("a-0").pid()).isEqualTo(now.get("a-0"));
            assertThat(f.status("b-0").pid()).isEqualTo(now.get("b-0"));
            // after an abnormal exit it is restarted, with its group
            f.engine.start(Selection.of("r"), null, null);
            Map<String, Long> again = pids(f);
            mark = lines().size();
            Procs.sigkill(again.get("r-0"));
            Await.until(T, () -> allRunningWithNewPids(f, again, List.of("a-0", "r-0", "b-0")), () -> "restarted: " + f.status());
            assertThat(only(since(mark), "start")).containsExactly("a-0", "r-0", "b-0");
            // the temporary member was never started again
            assertThat(only(since(0), "start").stream().filter("t-0"::equals)).hasSize(1);
            assertThat(f.status("t-0").state()).isEqualTo(InstanceState.STOPPED);
        }
    }

    /**
     * Backoff is the group's: in a one_for_all restart no member starts before the group's delay
     * has passed, the siblings wait in BACKOFF with the group's reason, and the delay is the
     * group's, whichever member crashed (a lower bound only: load can make it later, never sooner).
     */
    @Test
    void backoffHoldsTheWholeGroupNotOneMember() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            String all = "\"strategy\":\"one_for_all\",\"restart\":{\"maxRestarts\":10,\"withinSeconds\":60,"
                    + "\"backoff\":{\"initialMs\":1500,\"maxMs\":1500,\"jitter\":0}}";
            f.engine.deploy(Specs.parse(Specs.fleet(member("a", 1, all), member("b", 1, all), member("c", 1, all)), home));
            f.engine.start(Selection.everything(), null, null);
            int mark = lines().size();
            Map<String, Long> before = pids(f);
            Procs.sigkill(before.get("b-0"));
            Await.until(T, () -> allRunningWithNewPids(f, before, List.of("a-0", "b-0", "c-0")), () -> "group g restarted: " + f.status());
            assertThat(only(since(mark), "term")).containsExactly("c-0", "a-0");
            assertThat(only(since(mark), "start")).containsExactly("a-0", "b-0", "c-0");
            Transition crashed = last(f.engine.history("b-0"), InstanceState.BACKOFF);
            assertThat(crashed.reason()).contains("restart in 1500 ms");
            for (String id : List.of("a-0", "c-0")) {
                Transition waiting = last(f.engine.history(id), InstanceState.BACKOFF);
                assertThat(waiting.reason()).as(id).contains("group g restarts after b-0").contains("restart in 1500 ms");
            }
            for (String id : List.of("a-0", "b-0", "c-0")) {
                Transition started = last(f.engine.history(id), InstanceState.STARTING);
                assertThat(started.timeMs() - crashed.timeMs()).as("%s started %d ms after b-0's crash", id, started.timeMs() - crashed.timeMs())
                        .isGreaterThanOrEqualTo(1500 - 5);
            }
        }
    }

    static Transition last(List<Transition> history, InstanceState to) {
        Transition found = null;
        for (Transition t : history) if (t.to() == to) found = t;
        assertThat(found).as("a transition to %s in %s", to, history).isNotNull();
        return found;
    }

    @Test
    void aDependencyAgainstGroupOrderIsRefusedNamingBothSides() {
        String spec = "{\"agents\":["
                + "{\"name\":\"api\",\"command\":[\"sleep\",\"1\"],\"group\":\"g\",\"dependsOn\":[\"cache\"]},"
                + "{\"name\":\"db\",\"command\":[\"sleep\",\"1\"],\"group\":\"g\"},"
                + "{\"name\":\"cache\",\"command\":[\"sleep\",\"1\"],\"group\":\"g\"}]}";
        assertThatThrownBy(() -> SpecParser.parse(spec, false, "fleet.json", home))
                .isInstanceOf(SpecException.class)
                .satisfies(e -> {
                    SpecException s = (SpecException) e;
                    assertThat(s.errors()).hasSize(1);
                    assertThat(s.errors().get(0).path()).isEqualTo("agents[0].dependsOn[0]");
                    assertThat(s.errors().get(0).message()).contains("\"api\" depends on \"cache\"").contains("group \"g\"")
                            .contains("spec order [api, db, cache]").contains("\"cache\" (agents[2]) would start after \"api\" (agents[0])");
                });
        // through another agent, outside the group, too
        String through = "{\"agents\":["
                + "{\"name\":\"api\",\"command\":[\"sleep\",\"1\"],\"group\":\"g\",\"dependsOn\":[\"proxy\"]},"
                + "{\"name\":\"proxy\",\"command\":[\"sleep\",\"1\"],\"dependsOn\":[\"cache\"]},"
                + "{\"name\":\"cache\",\"command\":[\"sleep\",\"1\"],\"group\":\"g\"}]}";
        assertThatThrownBy(() -> SpecParser.parse(through, false, "fleet.json", home))
                .isInstanceOf(SpecException.class).hasMessageContaining("(through proxy)");
    }

    @Test
    void aDeployThatWouldContradictTheGroupOrderChangesNothing() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("a", 1, "\"group\":\"g\""), Specs.sleeper("b", 1, "\"group\":\"g\"")), home));
            FleetSpecHolder before = new FleetSpecHolder(f.engine.spec().toString());
            // in this file b comes first, but a deploy keeps deployed agents in their place: a, then b
            assertThatThrownBy(() -> f.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("b", 1, "\"group\":\"g\""),
                    Specs.sleeper("a", 1, "\"group\":\"g\",\"dependsOn\":[\"b\"]")), home)))
                    .isInstanceOf(SpecException.class)
                    .satisfies(e -> {
                        SpecException s = (SpecException) e;
                        assertThat(s.errors().get(0).path()).isEqualTo("agents[1].dependsOn[0]");
                        assertThat(s.errors().get(0).message()).contains("\"a\" depends on \"b\"").contains("spec order [a, b]")
                                .contains("deployed agents keep their place");
                    });
            assertThat(f.engine.spec().toString()).isEqualTo(before.text());
        }
    }

    record FleetSpecHolder(String text) { }

    @Test
    void conflictingStrategiesInOneGroupAreRefusedNamingBothSides() {
        String agents = "{\"groups\":[{\"name\":\"g\",\"strategy\":\"one_for_all\"}],\"agents\":["
                + "{\"name\":\"a\",\"command\":[\"sleep\",\"1\"],\"group\":\"g\",\"strategy\":\"rest_for_one\"}]}";
        assertThatThrownBy(() -> SpecParser.parse(agents, false, "fleet.json", home))
                .isInstanceOf(SpecException.class)
                .satisfies(e -> {
                    SpecException s = (SpecException) e;
                    assertThat(s.errors().get(0).path()).isEqualTo("agents[0].strategy");
                    assertThat(s.errors().get(0).message()).contains("\"rest_for_one\" contradicts groups[0].strategy \"one_for_all\"");
                });
        String two = "{\"agents\":["
                + "{\"name\":\"a\",\"command\":[\"sleep\",\"1\"],\"group\":\"g\",\"strategy\":\"one_for_all\"},"
                + "{\"name\":\"b\",\"command\":[\"sleep\",\"1\"],\"group\":\"g\",\"strategy\":\"rest_for_one\"}]}";
        assertThatThrownBy(() -> SpecParser.parse(two, false, "fleet.json", home))
                .isInstanceOf(SpecException.class)
                .satisfies(e -> {
                    SpecException s = (SpecException) e;
                    assertThat(s.errors().get(0).path()).isEqualTo("agents[1].strategy");
                    assertThat(s.errors().get(0).message()).contains("contradicts agents[0].strategy \"one_for_all\"")
                            .contains("\"a\" and \"b\" are both in group \"g\"");
                });
    }

    @Test
    void aGroupWithoutAnEntryTakesItsStrategyFromItsAgentsAndItsIntensityFromTheFirst() throws Exception {
        String spec = "{\"agents\":["
                + "{\"name\":\"a\",\"command\":[\"sleep\",\"1\"],\"group\":\"g\",\"restart\":{\"maxRestarts\":7,\"withinSeconds\":9}},"
                + "{\"name\":\"b\",\"command\":[\"sleep\",\"1\"],\"group\":\"g\",\"strategy\":\"rest_for_one\",\"restart\":{\"maxRestarts\":1}}]}";
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.deploy(SpecParser.parse(spec, false, "fleet.json", home));
            var settings = f.engine.runtime().fleet().groups().get("g");
            assertThat(settings.strategy().wireName()).isEqualTo("rest_for_one");
            assertThat(settings.maxRestarts()).isEqualTo(7);
            assertThat(settings.withinSeconds()).isEqualTo(9);
            // a groups entry overrides
            f.engine.deploy(SpecParser.parse("{\"groups\":[{\"name\":\"g\",\"maxRestarts\":3}],\"agents\":[]}", false, "g.json", home));
            assertThat(f.engine.runtime().fleet().groups().get("g").maxRestarts()).isEqualTo(3);
            assertThat(f.engine.spec().groups()).extracting(io.sabot.spec.GroupSpec::name).containsExactly("g");
        }
    }
}
