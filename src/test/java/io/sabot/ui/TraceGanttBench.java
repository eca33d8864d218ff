package io.sabot.ui;

import io.sabot.telemetry.TraceView;
import io.sabot.testing.Await;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A trace of 10,001 spans (a bulk restart of 2,000 instances) in the trace view: the FX thread's
 * cost of opening it (tree layout, critical path, first draw) and of each frame while scrolling
 * through all of it, zooming and panning. CPU time of the FX thread per frame, so the figure holds
 * on a shared machine; wall time and the load average are printed beside it. Run:
 * {@code mvn -q -B -Pbench test -Dtest=TraceGanttBench -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("bench")
class TraceGanttBench {
    @TempDir
    java.nio.file.Path home;

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private static <X> X fx(Callable<X> c) throws Exception { return WaitForAsyncUtils.asyncFx(c).get(120, TimeUnit.SECONDS); }

    /** {cpu ns, wall ns} of {@code r} on the FX thread. */
    private static long[] timed(Runnable r) throws Exception {
        return fx(() -> {
            long c0 = MX.getCurrentThreadCpuTime(), w0 = System.nanoTime();
            r.run();
            return new long[] {MX.getCurrentThreadCpuTime() - c0, System.nanoTime() - w0};
        });
    }

    private static String stats(String what, List<long[]> frames) {
        List<Long> cpu = new ArrayList<>(), wall = new ArrayList<>();
        for (long[] f : frames) {
            cpu.add(f[0]);
            wall.add(f[1]);
        }
        Collections.sort(cpu);
        Collections.sort(wall);
        long over = cpu.stream().filter(x -> x > 16_000_000L).count();
        return String.format(Locale.ROOT, "%-28s %4d frames  cpu p50 %5.2f ms  p95 %5.2f ms  max %6.2f ms  (>16 ms: %d)   wall p50 %5.2f ms  max %6.2f ms",
                what, frames.size(), cpu.get(cpu.size() / 2) / 1e6, cpu.get(cpu.size() * 95 / 100) / 1e6, cpu.get(cpu.size() - 1) / 1e6, over,
                wall.get(wall.size() / 2) / 1e6, wall.get(wall.size() - 1) / 1e6);
    }

    @Test
    void tenThousandSpans() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(home, false)) {
            h.open();
            fx(() -> {
                h.window.select(View.TRACES);
                return null;
            });
            TraceView big = BigTrace.restart(2000, 7);
            fx(() -> {
                h.window.traceStore().mergeQuery(List.of(big));
                return null;
            });
            var entry = fx(() -> h.window.traceStore().get(big.traceId()));
            // warm up once (JIT), then measure a cold selection of the same trace again
            for (int i = 0; i < 3; i++) {
                timed(() -> h.window.traces().list().getSelectionModel().clearSelection());
                timed(() -> {
                    h.window.traces().list().getSelectionModel().select(entry);
                    h.window.traces().gantt().redrawIfDirty();
                });
            }
            List<long[]> open = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                timed(() -> h.window.traces().list().getSelectionModel().clearSelection());
                open.add(timed(() -> {
                    h.window.traces().list().getSelectionModel().select(entry);
                    h.window.traces().gantt().redrawIfDirty();
                }));
            }
            Await.until(Duration.ofSeconds(30), () -> {
                try {
                    return fx(() -> h.window.traces().gantt().rowCount()) == big.spans().size();
                } catch (Exception e) {
                    return false;
                }
            }, "all rows laid out");
            io.sabot.ui.traces.GanttCanvas g = fx(() -> h.window.traces().gantt());
            double max = fx(() -> g.scrollBar().getMax());
            double page = fx(g::getHeight);
            List<long[]> scroll = new ArrayList<>();
            for (double y = 0; y <= max; y += page / 3) {
                double v = y;
                scroll.add(timed(() -> {
                    g.scrollBar().setValue(v);
                    g.redrawIfDirty();
                }));
            }
            List<long[]> zoom = new ArrayList<>();
            fx(() -> {
                g.scrollBar().setValue(max / 2);
                return null;
            });
            for (int i = 0; i < 60; i++) {
                double f = i < 30 ? 1.25 : 0.8;
                zoom.add(timed(() -> {
                    g.zoom(f, g.getWidth() * 0.6);
                    g.redrawIfDirty();
                }));
            }
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            System.out.println("TRACE GANTT BENCH: " + big.spans().size() + " spans, canvas " + fx(() -> Math.round(g.getWidth()) + "x" + Math.round(g.getHeight()))
                    + ", load average " + load + " on " + Runtime.getRuntime().availableProcessors() + " cores");
            System.out.println("  " + stats("open (layout, path, draw)", open));
            System.out.println("  " + stats("scroll (a third of a page)", scroll));
            System.out.println("  " + stats("zoom around the pointer", zoom));
        }
    }
}
