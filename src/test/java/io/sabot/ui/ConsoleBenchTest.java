package io.sabot.ui;

import static io.sabot.ui.ConsoleHarness.fx;
import static io.sabot.ui.ConsoleHarness.fxRun;

import io.sabot.engine.EngineInfo;
import io.sabot.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.scene.Scene;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * FX-thread cost of the live console under load: 500 synthetic instances, thousands of
 * transitions per second, full metrics snapshots at 10 Hz and a stream of spans. Measures, per
 * pulse, the console's own work (the one AnimationTimer) plus CSS and layout (between the
 * scene's pre- and post-layout pulse listeners); reports FX busy time per second and the longest
 * pulse. Run:
 * {@code mvn -q -B -Pbench test -Dtest=ConsoleBenchTest -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("bench")
class ConsoleBenchTest {
    static final int AGENTS = 50, PER_AGENT = 10;
    // the storm by default; -Dbench.tps=200 -Dbench.hz=1 -Dbench.sps=20 for a busy but ordinary fleet
    static final int TRANSITIONS_PER_SEC = Integer.getInteger("bench.tps", 5_000);
    static final int METRICS_HZ = Integer.getInteger("bench.hz", 10);
    static final int SPANS_PER_SEC = Integer.getInteger("bench.sps", 200);
    static final int SECONDS = 10;

    @Test
    void fiveHundredInstancesUnderAnEventStorm() throws Exception {
        SyntheticEngine engine = new SyntheticEngine(AGENTS, PER_AGENT);
        EngineInfo info = engine.info();
        ConsoleWindow[] w = new ConsoleWindow[1];
        FxToolkit.registerPrimaryStage();
        FxToolkit.setupStage(s -> {
            w[0] = new ConsoleWindow(new io.sabot.ui.model.ConsoleModel(engine, info, javafx.application.Platform::runLater), ConsolePrefs.DEFAULT, null);
            w[0].attach(s);
            s.show();
        });
        ConsoleWindow win = w[0];
        Await.until(Duration.ofSeconds(10), () -> fx(() -> win.model().instances().size() == AGENTS * PER_AGENT), "500 rows");
        // the expensive paths: sort by CPU, an agent selected (charts, header), the table visible
        fxRun(() -> {
            var table = win.agents().table();
            var cpu = table.getColumns().stream().filter(c -> "col-cpu".equals(c.getId())).findFirst().orElseThrow();
            cpu.setSortType(javafx.scene.control.TreeTableColumn.SortType.DESCENDING);
            if (!"false".equals(System.getProperty("bench.sort"))) table.getSortOrder().setAll(List.of(cpu));
            if (!"false".equals(System.getProperty("bench.select"))) win.agents().select(win.model().agent("agent_0"));
            if (System.getProperty("bench.tab") != null) win.agents().detail().selectTab(System.getProperty("bench.tab"));
        });
        long[] pre = new long[2];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] cpuAcc = new long[3]; // cpu ns this second, longest pulse cpu, window start
        List<Double> cpuPerSecond = new ArrayList<>();
        long[] maxParts = new long[3]; // longest work cpu, longest CSS/layout cpu, pulses over 16 ms
        long[] acc = new long[3]; // busy ns in the current second, window start, pulses
        long[] longest = {0};
        List<Double> busyPerSecond = new ArrayList<>();
        Scene scene = fx(() -> win.stage().getScene());
        Runnable preL = () -> {
            pre[0] = System.nanoTime();
            pre[1] = mx.getCurrentThreadCpuTime();
        };
        Runnable postL = () -> {
            long now = System.nanoTime();
            long layoutCpu = mx.getCurrentThreadCpuTime() - pre[1];
            long cpuPulse = win.pulse().lastWorkCpuNanos() + layoutCpu;
            maxParts[0] = Math.max(maxParts[0], win.pulse().lastWorkCpuNanos());
            maxParts[1] = Math.max(maxParts[1], layoutCpu);
            if (cpuPulse > 16_000_000L) maxParts[2]++;
            cpuAcc[0] += cpuPulse;
            cpuAcc[1] = Math.max(cpuAcc[1], cpuPulse);
            if (cpuAcc[2] == 0) cpuAcc[2] = now;
            if (now - cpuAcc[2] >= 1_000_000_000L) {
                cpuPerSecond.add(cpuAcc[0] / 1e6 * 1e9 / (now - cpuAcc[2]));
                cpuAcc[0] = 0;
                cpuAcc[2] = now;
            }
            long pulse = win.pulse().lastWorkNanos() + (now - pre[0]);
            longest[0] = Math.max(longest[0], pulse);
            if (acc[1] == 0) acc[1] = now;
            acc[0] += pulse;
            acc[2]++;
            if (now - acc[1] >= 1_000_000_000L) {
                busyPerSecond.add(acc[0] / 1e6 * 1e9 / (now - acc[1]));
                acc[0] = 0;
                acc[1] = now;
            }
        };
        engine.startFeeding(TRANSITIONS_PER_SEC, METRICS_HZ, SPANS_PER_SEC);
        Thread.sleep(Long.getLong("bench.warmupMs", 6000)); // warm-up (JIT), then measure
        fxRun(() -> {
            scene.addPreLayoutPulseListener(preL);
            scene.addPostLayoutPulseListener(postL);
            win.pulse().resetStats();
            longest[0] = 0;
            cpuAcc[1] = 0;
            maxParts[0] = maxParts[1] = maxParts[2] = 0;
        });
        long ev0 = engine.published.get();
        long probeWorst = 0;
        long end = System.nanoTime() + SECONDS * 1_000_000_000L;
        while (System.nanoTime() < end) {
            long p0 = System.nanoTime();
            fx(() -> 1);
            probeWorst = Math.max(probeWorst, System.nanoTime() - p0);
            Thread.sleep(50);
        }
        long events = engine.published.get() - ev0;
        fxRun(() -> {
            scene.removePreLayoutPulseListener(preL);
            scene.removePostLayoutPulseListener(postL);
        });
        engine.stopFeeding();
        long pulses = acc[2];
        double avgBusy = busyPerSecond.stream().mapToDouble(d -> d).average().orElse(0);
        double maxBusy = busyPerSecond.stream().mapToDouble(d -> d).max().orElse(0);
        double avgCpu = cpuPerSecond.stream().mapToDouble(d -> d).average().orElse(0);
        double maxCpu = cpuPerSecond.stream().mapToDouble(d -> d).max().orElse(0);
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String report = String.format(Locale.ROOT,
                "console FX benchmark: %d instances, %d events in %d s (%d/s: %d transitions/s, full metrics at %d Hz, %d spans/s)%n"
                        + "  pulses measured: %d%n"
                        + "  machine load average during the run: %.1f on %d cores%n"
                        + "  FX thread CPU per second (console pulse work + CSS/layout): avg %.1f ms, max %.1f ms; longest pulse CPU %.2f ms%n"
                        + "  of which longest console work %.2f ms CPU, longest CSS+layout %.2f ms CPU; pulses over 16 ms CPU: %d%n"
                        + "  FX busy per second, wall clock (inflated when the machine is busy): avg %.1f ms, max %.1f ms%n"
                        + "  longest pulse, wall clock (work + CSS/layout): %.2f ms; longest console pulse work alone: %.2f ms%n"
                        + "  worst FX round trip (runLater probe every 50 ms): %.1f ms%n"
                        + "  command: mvn -q -B -Pbench test -Dtest=ConsoleBenchTest -Dsurefire.failIfNoSpecifiedTests=false",
                AGENTS * PER_AGENT, events, SECONDS, events / SECONDS, TRANSITIONS_PER_SEC, METRICS_HZ, SPANS_PER_SEC, pulses,
                load, Runtime.getRuntime().availableProcessors(), avgCpu, maxCpu, cpuAcc[1] / 1e6, maxParts[0] / 1e6, maxParts[1] / 1e6, maxParts[2], avgBusy, maxBusy, longest[0] / 1e6, win.pulse().maxWorkNanos() / 1e6, probeWorst / 1e6);
        System.out.println(report);
        fxRun(win::close);
        WaitForAsyncUtils.waitForFxEvents();
    }
}
