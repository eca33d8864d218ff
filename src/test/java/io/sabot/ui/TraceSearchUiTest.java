package io.sabot.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.InstanceState;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.Selection;
import io.sabot.telemetry.SpanView;
import io.sabot.telemetry.TraceView;
import io.sabot.testing.Await;
import io.sabot.testing.Specs;
import io.sabot.ui.model.TraceEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace view finds traces by agent or instance, operation, status and duration, highlights
 * the critical path with its summary, and opens and scrolls a trace of 10,000 spans. Real
 * operations on real processes (Monocle).
 */
class TraceSearchUiTest {
    private static final Duration T = Duration.ofSeconds(60);

    /** On the FX thread, patiently: the machine may be shared and loaded. */
    private static <X> X fx(java.util.concurrent.Callable<X> c) {
        try {
            return org.testfx.util.WaitForAsyncUtils.asyncFx(c).get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void fxRun(Runnable r) {
        fx(() -> {
            r.run();
            return null;
        });
    }

    @TempDir
    Path home;

    private static List<String> listed(ConsoleHarness h) {
        return fx(() -> h.window.traces().list().getItems().stream().map(e -> e.name.get()).toList());
    }

    private static List<List<String>> listedSpans(ConsoleHarness h) {
        return fx(() -> h.window.traces().list().getItems().stream().map(e -> e.spans().stream().map(SpanView::name).toList()).toList());
    }

    @Test
    void findsTracesByAgentOperationStatusAndDurationAndShowsTheCriticalPath() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(home, true, true)) {
            // alpha's readiness takes 0.6 s, so its restart's critical path is that wait even when a loaded
            // machine keeps the operation's own span busy for ~100 ms (seen in CI: "99 ms of 112 ms in restart")
            h.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("alpha", 2, "\"health\":{\"startSeconds\":0.6}"), Specs.sleeper("beta", 1, null),
                    "{\"name\":\"broken\",\"command\":[\"sh\",\"-c\",\"exit 3\"],\"health\":{\"startSeconds\":1},\"restart\":{\"policy\":\"temporary\"}}",
                    Specs.sleeper("gamma", 1, "\"health\":{\"startSeconds\":2.5}")), home));
            assertThat(h.engine.start(Selection.of("alpha", "beta"), null, null)).allMatch(LifecycleResult::success);
            assertThat(h.engine.restart(Selection.of("alpha-1"), false, null)).allMatch(LifecycleResult::success);
            assertThat(h.engine.start(Selection.of("broken"), null, null)).noneMatch(LifecycleResult::success);
            assertThat(h.engine.start(Selection.of("gamma"), null, null)).allMatch(LifecycleResult::success); // RUNNING after 2.5 s
            h.open();
            fxRun(() -> h.window.select(View.TRACES));
            Await.until(T, () -> listed(h).size() >= 4, () -> "traces listed: " + listed(h));

            fxRun(() -> h.window.traces().searchBar().search("alpha-1", null, null, null));
            Await.until(T, () -> fx(() -> h.window.traces().searchBar().stateLabel().getText()).contains("match"), "search done");
            assertThat(listed(h)).containsExactlyInAnyOrder("start (3 instances)", "restart (1 instance)");
            assertThat(listedSpans(h)).allMatch(names -> names.stream().anyMatch(n -> n.contains("alpha-1")));

            fxRun(() -> h.window.traces().searchBar().search("beta", null, null, null));
            Await.until(T, () -> listed(h).equals(List.of("start (3 instances)")), () -> "beta: " + listed(h));

            fxRun(() -> h.window.traces().searchBar().search(null, "restart", null, null));
            Await.until(T, () -> listed(h).equals(List.of("restart (1 instance)")), () -> "restart: " + listed(h));

            fxRun(() -> h.window.traces().searchBar().search(null, null, "error", null));
            Await.until(T, () -> listed(h).equals(List.of("start (1 instance)")), () -> "errors: " + listed(h));

            // gamma counts as started only after 2.5 s up
            fxRun(() -> h.window.traces().searchBar().search("gamma", "start", "ok", "2s"));
            Await.until(T, () -> listed(h).equals(List.of("start (1 instance)")), () -> "slow starts: " + listed(h));
            assertThat(listedSpans(h).get(0)).contains("start gamma-0");

            fxRun(() -> h.window.traces().searchBar().search(null, null, null, "fast"));
            assertThat(fx(() -> h.window.traces().searchBar().stateLabel().getText())).contains("duration: write 500ms, 2s or 1.5s");

            fxRun(() -> h.window.traces().searchBar().clear());
            Await.until(T, () -> listed(h).size() >= 4, () -> "all again: " + listed(h));

            // the restart's critical path: its instance's steps, in words
            fxRun(() -> {
                TraceEntry e = h.window.traces().list().getItems().stream().filter(x -> x.name.get().equals("restart (1 instance)")).findFirst().orElseThrow();
                h.window.traces().list().getSelectionModel().select(e);
            });
            Await.until(T, () -> fx(() -> h.window.traces().criticalPathLabel().getText()).startsWith("Critical path: "), "critical path shown");
            String summary = fx(() -> h.window.traces().criticalPathLabel().getText());
            assertThat(summary).matches("Critical path: [\\d.]+ m?s of [\\d.]+ m?s .*alpha-1.*");
            SpanView awaitReady = fx(() -> h.window.traces().gantt().rowsForTest().stream().filter(s -> s.name().equals("await_ready")).findFirst().orElseThrow());
            assertThat(fx(() -> h.window.traces().gantt().onCriticalPath(awaitReady.spanId()))).isTrue();
            assertThat(h.engine.status(Selection.of("alpha"))).allMatch(s -> s.state() == InstanceState.RUNNING);
        }
    }

    @Test
    void aTraceOfTenThousandSpansOpensAndScrollsToItsEnd() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(home, false)) {
            h.open();
            fxRun(() -> h.window.select(View.TRACES));
            TraceView big = BigTrace.restart(2000, 7);
            assertThat(big.spans()).hasSize(10_001);
            fxRun(() -> h.window.traces().select(big.traceId()));
            fxRun(() -> h.window.traceStore().mergeQuery(List.of(big)));
            Await.until(T, () -> fx(() -> h.window.traces().shown() != null && h.window.traces().gantt().rowCount() == 10_001),
                    () -> "10,001 rows: " + fx(() -> h.window.traces().gantt().rowCount()));
            assertThat(fx(() -> h.window.traces().criticalPathLabel().getText())).contains("waiting for readiness of fraud_detector-1000");
            fxRun(() -> {
                var bar = h.window.traces().gantt().scrollBar();
                bar.setValue(bar.getMax());
                h.window.traces().gantt().redrawIfDirty();
            });
            assertThat(fx(() -> h.window.traces().gantt().scrollBar().getMax())).isGreaterThan(10_000 * 20.0);
            assertThat(fx(() -> h.window.traces().gantt().rowsForTest().get(10_000).name())).isEqualTo("await_ready");
        }
    }
}
