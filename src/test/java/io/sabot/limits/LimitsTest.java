package io.sabot.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.Cause;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.Selection;
import io.sabot.process.ProcStat;
import io.sabot.testing.Await;
import io.sabot.testing.EngineFixture;
import io.sabot.testing.Specs;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memory and CPU limits are enforced on real processes, not just displayed. */
class LimitsTest {
    @TempDir
    Path home;

    @Test
    void agentOverItsMemoryLimitIsKilledWithinTwoSeconds() throws Exception {
        try (EngineFixture f = new EngineFixture(home); LimitEnforcer limits = new LimitEnforcer(f.engine.runtime(), f.engine.runtime(), true)) {
            // grows to 1 GiB, a MiB at a time, touching every page
            String hog = "{\"name\":\"hog\",\"command\":[\"python3\",\"-c\",\"import time\\na=[]\\nfor i in range(1024):\\n a.append(b'x'*(1<<20))\\n time.sleep(0.002)\\ntime.sleep(100)\"],"
                    + "\"limits\":{\"memoryMb\":128},\"restart\":{\"policy\":\"temporary\"}}";
            f.engine.deploy(Specs.parse(Specs.fleet(hog), home));
            f.engine.start(Selection.of("hog"), null, null);
            long pid = f.status("hog-0").pid();
            long crossed = -1;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                long rss = ProcStat.rssBytes(pid);
                if (crossed < 0 && rss > 128L << 20) crossed = System.nanoTime();
                if (f.status("hog-0").state() == InstanceState.STOPPED) break;
                Thread.sleep(5);
            }
            InstanceStatus s = f.status("hog-0");
            assertThat(s.state()).isEqualTo(InstanceState.STOPPED);
            assertThat(s.lastExit().reason()).startsWith("memory limit");
            assertThat(f.engine.history("hog-0")).anyMatch(t -> t.cause().equals(Cause.LIMIT));
            long killedAt = System.nanoTime();
            if (crossed > 0) {
                long ms = (killedAt - crossed) / 1_000_000;
                System.out.println("limits: memory limit kill " + ms + " ms after crossing 128 MiB");
                assertThat(ms).isLessThan(2000);
            }
        }
    }

    private static double cpuShareOverFiveSeconds(EngineFixture f, String id) throws InterruptedException {
        long pid = f.status(id).pid();
        long t0 = System.nanoTime(), c0 = ProcStat.cpuTicks(pid);
        Thread.sleep(5000); // measuring a rate over a window: the wait is the measurement
        long c1 = ProcStat.cpuTicks(pid), t1 = System.nanoTime();
        return (c1 - c0) * 1e9 / ProcStat.HZ / (t1 - t0) * 100;
    }

    private static final String BUSY = "{\"name\":\"busy\",\"command\":[\"sh\",\"-c\",\"while :; do :; done\"],\"limits\":{\"cpuPercent\":20}}";

    @Test
    void busyLoopIsHeldToItsCpuShareByTheDutyCycle() throws Exception {
        try (EngineFixture f = new EngineFixture(home); LimitEnforcer limits = new LimitEnforcer(f.engine.runtime(), f.engine.runtime(), false)) {
            f.engine.deploy(Specs.parse(Specs.fleet(BUSY), home));
            f.engine.start(Selection.of("busy"), null, null);
            Await.until(Duration.ofSeconds(2), () -> f.status("busy-0").cpuLimitMode() != null, "limit mode reported");
            assertThat(f.status("busy-0").cpuLimitMode()).isEqualTo("duty-cycle 20%");
            double pct = cpuShareOverFiveSeconds(f, "busy-0");
            System.out.printf("limits: duty-cycle cpuPercent 20 -> measured %.1f%% of a core over 5 s%n", pct);
            assertThat(pct).isLessThanOrEqualTo(25.0).isGreaterThan(5.0);
            // a paused agent still stops promptly
            assertThat(f.engine.stop(Selection.of("busy"), false, null).get(0).durationMs()).isLessThan(3000);
        }
    }

    @Test
    void busyLoopIsHeldToItsCpuShareByTheBestCapHere() throws Exception {
        try (EngineFixture f = new EngineFixture(home); LimitEnforcer limits = new LimitEnforcer(f.engine.runtime(), f.engine.runtime(), true)) {
            f.engine.deploy(Specs.parse(Specs.fleet(BUSY), home));
            f.engine.start(Selection.of("busy"), null, null);
            Await.until(Duration.ofSeconds(2), () -> f.status("busy-0").cpuLimitMode() != null, "limit mode reported");
            String mode = f.status("busy-0").cpuLimitMode();
            double pct = cpuShareOverFiveSeconds(f, "busy-0");
            System.out.printf("limits: %s -> measured %.1f%% of a core over 5 s%n", mode, pct);
            assertThat(pct).isLessThanOrEqualTo(25.0);
        }
    }
}
