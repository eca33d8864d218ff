package io.sabot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.Await;
import io.sabot.testing.EngineFixture;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restart policies, backoff, intensity, strategies and dependencies, with real processes. */
class SupervisionTest {
    @TempDir
    Path home;

    private static String crasher(String name, String restart) {
        return "{\"name\":\"" + name + "\",\"command\":[\"sh\",\"-c\",\"exit 3\"],\"restart\":" + restart + "}";
    }

    @Test
    void backoffDelaysGrowAndCap() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.deploy(Specs.parse(Specs.fleet(crasher("c",
                    "{\"maxRestarts\":100,\"withinSeconds\":60,\"backoff\":{\"initialMs\":50,\"maxMs\":200,\"multiplier\":2.0,\"jitter\":0}}")), home));
            f.engine.start(Selection.of("c"), null, null);
            Await.until(Duration.ofSeconds(10), () -> backoffs(f).size() >= 5, () -> "5 backoffs, got " + backoffs(f));
            List<Transition> hist = f.engine.history("c-0");
            List<Long> delays = new ArrayList<>();
            Pattern p = Pattern.compile("restart in (\\d+) ms");
            for (Transition t : backoffs(f)) {
                Matcher m = p.matcher(t.reason());
                assertThat(m.find()).as(t.reason()).isTrue();
                delays.add(Long.parseLong(m.group(1)));
            }
            assertThat(delays.subList(0, 5)).containsExactly(50L, 100L, 200L, 200L, 200L);
            // and the engine really waited: BACKOFF -> next STARTING takes at least the delay
            for (int i = 0; i < hist.size() - 1; i++) {
                Transition t = hist.get(i);
                if (t.to() != InstanceState.BACKOFF) continue;
                Matcher m = p.matcher(t.reason());
                m.find();
                Transition next = hist.get(i + 1);
                assertThat(next.to()).isEqualTo(InstanceState.STARTING);
                assertThat(next.timeMs() - t.timeMs()).isGreaterThanOrEqualTo(Long.parseLong(m.group(1)) - 2);
            }
        }
    }

    private static List<Transition> backoffs(EngineFixture f) {
        return f.engine.history("c-0").stream().filter(t -> t.to() == InstanceState.BACKOFF).toList();
    }

    @Test
    void intensityExceededEndsInFailedAndOnlyAnOperatorStartsItAgain() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.deploy(Specs.parse(Specs.fleet(crasher("c",
                    "{\"maxRestarts\":3,\"withinSeconds\":60,\"backoff\":{\"initialMs\":0,\"maxMs\":0}}")), home));
            f.engine.start(Selection.of("c"), null, null);
            Await.until(Duration.ofSeconds(10), () -> f.status("c-0").state() == InstanceState.FAILED, "FAILED");
            InstanceStatus s = f.status("c-0");
            assertThat(s.reason()).contains("restart intensity exceeded").contains("3 restarts within 60 s");
            assertThat(s.restarts()).isEqualTo(3);
            long spawns = f.engine.history("c-0").stream().filter(t -> t.to() == InstanceState.STARTING).count();
            assertThat(spawns).isEqualTo(4);
            // an operator start clears FAILED and tries again
            f.engine.start(Selection.of("c"), null, null);
            Await.until(Duration.ofSeconds(10), () -> f.engine.history("c-0").stream().filter(t -> t.to() == InstanceState.STARTING).count() > 4, "spawned again");
        }
    }

    @Test
    void transientRestartsOnlyAbnormalExits() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            String ok = "{\"name\":\"ok\",\"command\":[\"sh\",\"-c\",\"exit 0\"],\"restart\":{\"policy\":\"transient\"}}";
            String bad = "{\"name\":\"bad\",\"command\":[\"sh\",\"-c\",\"exit 1\"],\"restart\":{\"policy\":\"transient\",\"maxRestarts\":2,\"backoff\":{\"initialMs\":0,\"maxMs\":0}}}";
            f.engine.deploy(Specs.parse(Specs.fleet(ok, bad), home));
            f.engine.start(Selection.everything(), null, null);
            Await.until(Duration.ofSeconds(5), () -> f.status("ok-0").state() == InstanceState.STOPPED, "ok stopped");
            Await.until(Duration.ofSeconds(5), () -> f.status("bad-0").state() == InstanceState.FAILED, "bad failed after restarts");
            assertThat(f.status("ok-0").restarts()).isZero();
            assertThat(f.status("ok-0").lastExit().code()).isZero();
            assertThat(f.status("bad-0").restarts()).isEqualTo(2);
        }
    }

    @Test
    void temporaryIsNeverRestarted() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("t", 1, "\"restart\":{\"policy\":\"temporary\"}")), home));
            f.engine.start(Selection.of("t"), null, null);
            Procs.sigkill(f.status("t-0").pid());
            Await.until(Duration.ofSeconds(5), () -> f.status("t-0").state() == InstanceState.STOPPED, "stopped");
            assertThat(f.status("t-0").restarts()).isZero();
            assertThat(f.status("t-0").lastExit().signal()).isEqualTo("SIGKILL");
        }
    }

    private static String member(String name, String strategy) {
        return Specs.sleeper(name, 1, "\"group\":\"g\",\"strategy\":\"" + strategy + "\",\"restart\":{\"backoff\":{\"initialMs\":0,\"maxMs\":0}}");
    }

    @Test
    void oneForAllRestartsEveryMemberOfTheGroup() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.deploy(Specs.parse(Specs.fleet(member("a", "one_for_all"), member("b", "one_for_all"), member("c", "one_for_all"),
                    Specs.sleeper("outsider", 1, null)), home));
            f.engine.start(Selection.everything(), null, null);
            long a = f.status("a-0").pid(), b = f.status("b-0").pid(), c = f.status("c-0").pid(), o = f.status("outsider-0").pid();
            Procs.sigkill(b);
            Await.until(Duration.ofSeconds(10), () -> newPid(f, "a-0", a) && newPid(f, "b-0", b) && newPid(f, "c-0", c),
                    () -> "all of group g restarted: " + f.status());
            assertThat(f.status("outsider-0").pid()).isEqualTo(o);
            assertThat(f.engine.history("a-0")).anyMatch(t -> t.cause().equals(Cause.STRATEGY));
            assertThat(f.status("b-0").restarts()).isEqualTo(1);
        }
    }

    @Test
    void restForOneRestartsOnlyTheMembersAfterTheCrashedOne() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.deploy(Specs.parse(Specs.fleet(member("a", "rest_for_one"), member("b", "rest_for_one"), member("c", "rest_for_one")), home));
            f.engine.start(Selection.everything(), null, null);
            long a = f.status("a-0").pid(), b = f.status("b-0").pid(), c = f.status("c-0").pid();
            Procs.sigkill(b);
            Await.until(Duration.ofSeconds(10), () -> newPid(f, "b-0", b) && newPid(f, "c-0", c), () -> "b and c restarted: " + f.status());
            assertThat(f.status("a-0").pid()).isEqualTo(a);
            assertThat(f.engine.history("a-0")).noneMatch(t -> t.cause().equals(Cause.STRATEGY));
        }
    }

    private static boolean newPid(EngineFixture f, String id, long old) {
        InstanceStatus s = f.status(id);
        return s.state() == InstanceState.RUNNING && s.pid() != null && s.pid() != old;
    }

    @Test
    void dependenciesStartFirstAndStopLast() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("db", 1, null),
                    Specs.sleeper("app", 2, "\"dependsOn\":[\"db\"]"), Specs.sleeper("web", 1, "\"dependsOn\":[\"app\"]")), home));
            List<LifecycleResult> rs = f.engine.start(Selection.of("web"), null, null);
            assertThat(rs).extracting(LifecycleResult::instance).containsExactly("db-0", "app-0", "app-1", "web-0");
            long dbUp = runningAt(f, "db-0"), app0Start = startingAt(f, "app-0"), appUp = Math.max(runningAt(f, "app-0"), runningAt(f, "app-1"));
            assertThat(app0Start).isGreaterThanOrEqualTo(dbUp);
            assertThat(startingAt(f, "web-0")).isGreaterThanOrEqualTo(appUp);
            List<LifecycleResult> stops = f.engine.stop(Selection.everything(), false, null);
            assertThat(stops).allMatch(LifecycleResult::success);
            long webDown = stoppedAt(f, "web-0"), dbStopping = f.engine.history("db-0").stream()
                    .filter(t -> t.to() == InstanceState.STOPPING).mapToLong(Transition::timeMs).max().orElseThrow();
            assertThat(dbStopping).isGreaterThanOrEqualTo(webDown);
        }
    }

    private static long runningAt(EngineFixture f, String id) {
        return f.engine.history(id).stream().filter(t -> t.to() == InstanceState.RUNNING).mapToLong(Transition::timeMs).min().orElseThrow();
    }

    private static long startingAt(EngineFixture f, String id) {
        return f.engine.history(id).stream().filter(t -> t.to() == InstanceState.STARTING).mapToLong(Transition::timeMs).min().orElseThrow();
    }

    private static long stoppedAt(EngineFixture f, String id) {
        return f.engine.history(id).stream().filter(t -> t.to() == InstanceState.STOPPED).mapToLong(Transition::timeMs).max().orElseThrow();
    }

    @Test
    void startSecondsMakesAnEarlyExitAFailedStart() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.deploy(Specs.parse(Specs.fleet("{\"name\":\"early\",\"command\":[\"sh\",\"-c\",\"exit 2\"],\"health\":{\"startSeconds\":1},\"restart\":{\"policy\":\"temporary\"}}"), home));
            LifecycleResult r = f.engine.start(Selection.of("early"), null, null).get(0);
            assertThat(r.success()).isFalse();
            assertThat(r.error()).contains("exited during start").contains("code 2");
        }
    }

    @Test
    void rollingRestartGoesOneAtATime() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("r", 3, null)), home));
            f.engine.start(Selection.of("r"), null, null);
            List<LifecycleResult> rs = f.engine.restart(Selection.of("r"), true, null);
            assertThat(rs).hasSize(3).allMatch(LifecycleResult::success);
            // each instance was RUNNING again before the next one began stopping
            for (int i = 0; i < 2; i++) {
                long up = f.engine.history("r-" + i).stream().filter(t -> t.to() == InstanceState.RUNNING).mapToLong(Transition::timeMs).max().orElseThrow();
                long nextStop = f.engine.history("r-" + (i + 1)).stream().filter(t -> t.to() == InstanceState.STOPPING).mapToLong(Transition::timeMs).max().orElseThrow();
                assertThat(nextStop).isGreaterThanOrEqualTo(up);
            }
        }
    }
}
