package io.sabot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.Await;
import io.sabot.testing.EngineFixture;
import io.sabot.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heartbeat deadlines on the runtime's injectable monotonic clock (a real engine, a real silent
 * protocol agent; only time is the test's): a clock that does not move never expires a deadline
 * however long real time passes (so a wall clock jump cannot either), a jump between two checks
 * (the engine itself paused) restarts the deadlines from the resumption, and a silence a full
 * timeout after that is still killed.
 */
class HealthMonitorPauseTest {
    @TempDir
    Path tmp;

    @Test
    void aPauseOfTheEngineRestartsHeartbeatDeadlinesButASilentAgentIsStillKilledAfterIt() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000_000L);
        EngineRuntime rt = new EngineRuntime(EngineConfig.defaults(tmp.resolve("home")), clock::get);
        try (EngineFixture x = new EngineFixture(new LocalEngine(rt, Answers.NONE))) {
            List<String> notices = notices(x);
            startSilentAgent(x);
            long pid = x.status("quiet-0").pid();

            // real time passes, the monotonic clock does not: nothing expires (the timer checks 4 times a second meanwhile)
            rt.health.check();
            long before = System.nanoTime();
            Await.until(Duration.ofSeconds(10), () -> System.nanoTime() - before > TimeUnit.MILLISECONDS.toNanos(1500), "1.5 s of real time");
            rt.health.check();
            assertThat(x.status("quiet-0").state()).isEqualTo(InstanceState.RUNNING);

            // the engine did not run for 30 s: the first check after it restarts the deadline instead of killing
            clock.addAndGet(TimeUnit.SECONDS.toNanos(30));
            rt.health.check();
            rt.bus.flush(); // notices are delivered on the event thread
            assertThat(notices).anyMatch(m -> m.startsWith("the engine did not run for 30.0 s"));
            assertThat(notices).noneMatch(m -> m.contains("unhealthy"));
            assertThat(x.status("quiet-0").state()).isEqualTo(InstanceState.RUNNING);
            assertThat(x.status("quiet-0").pid()).isEqualTo(pid);

            // within the timeout after resuming: still fine
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(800));
            rt.health.check();
            rt.bus.flush(); // notices are delivered on the event thread
            assertThat(notices).noneMatch(m -> m.contains("unhealthy"));

            // a full timeout after resuming and still silent: killed as ever
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(400));
            rt.health.check();
            rt.bus.flush(); // notices are delivered on the event thread
            assertThat(notices).anyMatch(m -> m.equals("quiet-0 unhealthy: no heartbeat for 1000 ms"));
            Await.until(Duration.ofSeconds(10), () -> x.status("quiet-0").state() == InstanceState.STOPPED, () -> "killed: " + x.status("quiet-0"));
            assertThat(x.status("quiet-0").lastExit().reason()).isEqualTo("heartbeat timeout");
        }
    }

    @Test
    void withoutAPauseASilenceLongerThanTheTimeoutIsKilledAtOnce() throws Exception {
        // the same steps of the clock, but no gap between checks longer than a pause: the kill is not postponed
        AtomicLong clock = new AtomicLong(1_000_000_000L);
        EngineRuntime rt = new EngineRuntime(EngineConfig.defaults(tmp.resolve("home")), clock::get);
        try (EngineFixture x = new EngineFixture(new LocalEngine(rt, Answers.NONE))) {
            List<String> notices = notices(x);
            startSilentAgent(x);
            rt.health.check();
            for (int i = 0; i < 5; i++) {
                clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(250));
                rt.health.check();
            }
            rt.bus.flush();
            assertThat(notices).anyMatch(m -> m.equals("quiet-0 unhealthy: no heartbeat for 1000 ms"));
            assertThat(notices).noneMatch(m -> m.startsWith("the engine did not run"));
            Await.until(Duration.ofSeconds(10), () -> x.status("quiet-0").state() == InstanceState.STOPPED, () -> "killed: " + x.status("quiet-0"));
        }
    }

    @Test
    void aPauseThatBeganBeforeTheFirstHeartbeatAgentWasDeployedIsStillSeen() throws Exception {
        // the idle checks (no heartbeat agent yet) still keep the time of the last check: an engine
        // stopped right after a deploy, before its first watched check, must not kill for its own pause
        AtomicLong clock = new AtomicLong(1_000_000_000L);
        EngineRuntime rt = new EngineRuntime(EngineConfig.defaults(tmp.resolve("home")), clock::get);
        try (EngineFixture x = new EngineFixture(new LocalEngine(rt, Answers.NONE))) {
            List<String> notices = notices(x);
            assertThat(rt.health.check()).as("no heartbeat agent: an idle check").isFalse();
            startSilentAgent(x);
            clock.addAndGet(TimeUnit.SECONDS.toNanos(10)); // stopped before any watched check
            assertThat(rt.health.check()).isTrue();
            rt.bus.flush();
            assertThat(notices).anyMatch(m -> m.startsWith("the engine did not run for 10.0 s"));
            assertThat(notices).noneMatch(m -> m.contains("unhealthy"));
            assertThat(x.status("quiet-0").state()).isEqualTo(InstanceState.RUNNING);
        }
    }

    /** Every notice the engine publishes, as it comes. */
    private static List<String> notices(EngineFixture x) {
        List<String> notices = new CopyOnWriteArrayList<>();
        x.engine.subscribe(e -> {
            if (e instanceof EngineEvent.NoticeEvent n) notices.add(n.text());
        });
        return notices;
    }

    /** Deploys and starts "quiet": a protocol agent that says ready, then never a heartbeat (silence only the clock can make overdue). */
    private void startSilentAgent(EngineFixture x) throws Exception {
        Path sh = tmp.resolve("silent.sh");
        Files.writeString(sh, "#!/bin/sh\necho '@sabot {\"type\":\"ready\"}'\nexec sleep 100000\n");
        Files.setPosixFilePermissions(sh, PosixFilePermissions.fromString("rwx------"));
        x.engine.deploy(Specs.parse(Specs.fleet("{\"name\":\"quiet\",\"command\":[\"" + sh + "\"],\"protocol\":true,"
                + "\"health\":{\"heartbeatTimeoutMs\":1000},\"restart\":{\"policy\":\"temporary\"}}"), tmp));
        assertThat(x.engine.start(Selection.of("quiet"), null, 20_000L).get(0).success()).isTrue();
    }
}
