package io.sabot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.Await;
import io.sabot.testing.EngineFixture;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes through the engine: start, crash, stop, grace, trees, bulk. */
class LifecycleTest {
    @TempDir
    Path home;

    @Test
    void sigkilledInstanceRunsAgainWithNewPid() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("s", 2, "\"restart\":{\"backoff\":{\"initialMs\":0,\"maxMs\":0}}")), home));
            List<LifecycleResult> rs = f.engine.start(Selection.of("s"), null, null);
            assertThat(rs).hasSize(2).allMatch(LifecycleResult::success);
            long pid = f.status("s-0").pid();
            assertThat(Procs.alive(pid)).isTrue();
            Procs.sigkill(pid);
            Await.until(Duration.ofSeconds(5), () -> {
                InstanceStatus s = f.status("s-0");
                return s.state() == InstanceState.RUNNING && s.pid() != null && s.pid() != pid;
            }, () -> "s-0 running with a new pid, now " + f.status("s-0"));
            InstanceStatus s = f.status("s-0");
            assertThat(s.restarts()).isEqualTo(1);
            assertThat(s.lastExit().signal()).isEqualTo("SIGKILL");
            assertThat(f.engine.history("s-0")).extracting(Transition::to)
                    .containsSubsequence(InstanceState.STARTING, InstanceState.RUNNING, InstanceState.BACKOFF, InstanceState.STARTING, InstanceState.RUNNING);
            assertThat(f.engine.history("s-0")).anyMatch(t -> t.to() == InstanceState.BACKOFF && t.cause().equals(Cause.CRASH) && "SIGKILL".equals(t.signal()));
            // the sibling was untouched (one_for_one)
            assertThat(f.status("s-1").restarts()).isZero();
        }
    }

    @Test
    void agentIgnoringSigtermIsKilledAfterItsGrace() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            String stubborn = "{\"name\":\"stubborn\",\"command\":[\"sh\",\"-c\",\"trap '' TERM; echo armed; while true; do sleep 0.05; done\"],\"stopGraceMs\":700}";
            f.engine.deploy(Specs.parse(Specs.fleet(stubborn), home));
            f.engine.start(Selection.of("stubborn"), null, null);
            Await.until(Duration.ofSeconds(5), () -> f.engine.logs("stubborn-0", 10).contains("armed"), "trap installed");
            long pid = f.status("stubborn-0").pid();
            long t0 = System.nanoTime();
            LifecycleResult r = f.engine.stop(Selection.of("stubborn"), false, null).get(0);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.success()).isTrue();
            assertThat(r.newState()).isEqualTo(InstanceState.STOPPED);
            assertThat(ms).as("waited for the grace before SIGKILL").isGreaterThanOrEqualTo(650);
            assertThat(Procs.alive(pid)).isFalse();
            assertThat(f.status("stubborn-0").lastExit().signal()).isEqualTo("SIGKILL");
        }
    }

    @Test
    void stopLeavesNoGrandchildAlive() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            // a shell that starts two grandchildren, one of them deaf to SIGTERM
            String tree = "{\"name\":\"tree\",\"command\":[\"sh\",\"-c\",\"sleep 100000 & (trap '' TERM; echo armed; sleep 100000) & wait\"],\"stopGraceMs\":500}";
            f.engine.deploy(Specs.parse(Specs.fleet(tree), home));
            f.engine.start(Selection.of("tree"), null, null);
            long pid = f.status("tree-0").pid();
            Await.until(Duration.ofSeconds(5), () -> Procs.descendants(pid).size() >= 2 && f.engine.logs("tree-0", 10).contains("armed"), "two grandchildren");
            List<Long> grandchildren = Procs.descendants(pid);
            f.engine.stop(Selection.of("tree"), false, null);
            assertThat(Procs.alive(pid)).isFalse();
            Await.until(Duration.ofSeconds(2), () -> grandchildren.stream().noneMatch(Procs::alive),
                    () -> "grandchildren gone: " + grandchildren.stream().filter(Procs::alive).collect(Collectors.toList()));
        }
    }

    @Test
    void crashOfTheLeaderTakesItsTreeWithIt() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            String tree = "{\"name\":\"tree\",\"command\":[\"sh\",\"-c\",\"sleep 100000 & wait\"],\"restart\":{\"policy\":\"temporary\"}}";
            f.engine.deploy(Specs.parse(Specs.fleet(tree), home));
            f.engine.start(Selection.of("tree"), null, null);
            long pid = f.status("tree-0").pid();
            Await.until(Duration.ofSeconds(5), () -> !Procs.descendants(pid).isEmpty(), "a grandchild");
            List<Long> grandchildren = Procs.descendants(pid);
            Procs.sigkill(pid);
            Await.until(Duration.ofSeconds(3), () -> f.status("tree-0").state() == InstanceState.STOPPED, "STOPPED (temporary)");
            Await.until(Duration.ofSeconds(2), () -> grandchildren.stream().noneMatch(Procs::alive), "grandchild gone");
        }
    }

    @Test
    void bulkRestartWithOneMissingCommandRestartsAllOthers() throws Exception {
        Path script = home.resolve("run.sh");
        Files.writeString(script, "#!/bin/sh\nexec sleep 100000\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (EngineFixture f = new EngineFixture(home)) {
            String fragile = "{\"name\":\"fragile\",\"command\":[\"" + script + "\"],\"restart\":{\"policy\":\"temporary\"}}";
            f.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("a", 3, null), Specs.sleeper("b", 2, null), fragile), home));
            assertThat(f.engine.start(Selection.everything(), null, null)).allMatch(LifecycleResult::success);
            List<Long> before = f.pids();
            Files.delete(script);
            List<LifecycleResult> rs = f.engine.restart(Selection.everything(), false, null);
            assertThat(rs).hasSize(6);
            LifecycleResult bad = rs.stream().filter(r -> r.instance().equals("fragile-0")).findFirst().orElseThrow();
            assertThat(bad.success()).isFalse();
            assertThat(bad.error()).contains(script.toString()).contains("does not exist");
            assertThat(bad.newState()).isEqualTo(InstanceState.FAILED);
            assertThat(rs.stream().filter(r -> !r.instance().equals("fragile-0"))).hasSize(5).allMatch(LifecycleResult::success)
                    .allMatch(r -> r.newState() == InstanceState.RUNNING);
            for (InstanceStatus s : f.status()) {
                if (s.agent().equals("fragile")) continue;
                assertThat(s.pid()).isNotNull();
                assertThat(before).doesNotContain(s.pid());
                assertThat(Procs.alive(s.pid())).isTrue();
            }
            assertThat(rs).allMatch(r -> r.traceId() == null || r.traceId().length() == 32);
        }
    }

    @Test
    void missingCommandAtStartIsAFailedResultNotAnException() throws Exception {
        Path script = home.resolve("x.sh");
        Files.writeString(script, "#!/bin/sh\nsleep 100000\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.deploy(Specs.parse(Specs.fleet("{\"name\":\"x\",\"command\":[\"" + script + "\"]}"), home));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
            LifecycleResult r = f.engine.start(Selection.of("x"), null, null).get(0);
            assertThat(r.success()).isFalse();
            assertThat(r.error()).contains("not executable");
            assertThat(f.status("x-0").state()).isEqualTo(InstanceState.FAILED);
        }
    }

    @Test
    void unknownTargetIsAClearError() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("s", 1, null)), home));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.engine.start(Selection.of("nope"), null, null))
                    .isInstanceOf(UnknownTargetException.class).hasMessageContaining("\"nope\"").hasMessageContaining("[s]");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.engine.start(Selection.of("s-7"), null, null))
                    .isInstanceOf(UnknownTargetException.class);
        }
    }

    @Test
    void scaleUpAndDownAtRunTime() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("w", 1, null)), home));
            f.engine.start(Selection.of("w"), 3, null);
            assertThat(f.status()).hasSize(3).allMatch(s -> s.state() == InstanceState.RUNNING);
            long pid2 = f.status("w-2").pid();
            List<LifecycleResult> rs = f.engine.start(Selection.of("w"), 1, null);
            assertThat(rs).anyMatch(r -> r.instance().equals("w-2") && r.newState() == InstanceState.STOPPED);
            assertThat(f.status()).hasSize(1);
            assertThat(Procs.alive(pid2)).isFalse();
            assertThat(f.engine.spec().agents().get(0).concurrency()).isEqualTo(1);
        }
    }

    @Test
    void stopOfStoppedIsANoOpAndStartOfRunningToo() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("s", 1, null)), home));
            assertThat(f.engine.stop(Selection.of("s"), false, null).get(0).success()).isTrue();
            f.engine.start(Selection.of("s"), null, null);
            long pid = f.status("s-0").pid();
            LifecycleResult again = f.engine.start(Selection.of("s"), null, null).get(0);
            assertThat(again.success()).isTrue();
            assertThat(f.status("s-0").pid()).isEqualTo(pid);
        }
    }

    @Test
    void forceStopKillsAtOnce() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            String stubborn = "{\"name\":\"st\",\"command\":[\"sh\",\"-c\",\"trap '' TERM; while true; do sleep 0.05; done\"],\"stopGraceMs\":30000}";
            f.engine.deploy(Specs.parse(Specs.fleet(stubborn), home));
            f.engine.start(Selection.of("st"), null, null);
            long t0 = System.nanoTime();
            LifecycleResult r = f.engine.stop(Selection.of("st"), true, null).get(0);
            assertThat(r.operation()).isEqualTo("force-stop");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
            assertThat(f.status("st-0").state()).isEqualTo(InstanceState.STOPPED);
        }
    }

    @Test
    void logsCaptureStdoutAndStderr() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            String talker = "{\"name\":\"talk\",\"command\":[\"sh\",\"-c\",\"echo to-stdout; echo to-stderr >&2; exec sleep 100000\"]}";
            f.engine.deploy(Specs.parse(Specs.fleet(talker), home));
            f.engine.start(Selection.of("talk"), null, null);
            Await.until(Duration.ofSeconds(5), () -> {
                List<String> l = f.engine.logs("talk-0", 50);
                return l.contains("to-stdout") && l.contains("to-stderr");
            }, () -> "both streams in the log: " + f.engine.logs("talk-0", 50));
        }
    }
}
