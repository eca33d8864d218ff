package io.sabot.ui.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.InstanceState;
import io.sabot.engine.Selection;
import io.sabot.testing.Await;
import io.sabot.testing.EngineFixture;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The view models over a real LocalEngine with real {@code sleep} agents, without a JavaFX
 * toolkit: a plain single thread stands in for the FX thread. Guarantees of {@link ConsoleModel}
 * and {@link Poller}: events reach the models through one coalesced application; an idle console
 * does not poll status every second; a hidden history or log reads nothing.
 */
class ConsoleModelTest {
    private static final Duration T = Duration.ofSeconds(15);
    @TempDir
    Path home;
    private final ExecutorService ui = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-ui"));

    @AfterEach
    void stopUi() { ui.shutdownNow(); }

    private <T> T onUi(Callable<T> c) {
        try {
            return ui.submit(c).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Applies on the "UI thread" until the condition holds there. */
    private void applyUntil(ConsoleModel m, java.util.function.BooleanSupplier cond, String what) {
        Await.until(T, () -> onUi(() -> {
            m.apply(System.nanoTime() + ConsoleModel.APPLY_INTERVAL_NANOS * 1000); // never throttled here
            return cond.getAsBoolean();
        }), what);
    }

    @Test
    void aCrashReachesTheFleetAndTheEventsThroughTheFeed() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("s", 2, "\"restart\":{\"backoff\":{\"initialMs\":300,\"maxMs\":300}}")), home));
            f.engine.start(Selection.everything(), null, null);
            ConsoleModel m = new ConsoleModel(f.engine, f.engine.info(), ui);
            try {
                m.start();
                applyUntil(m, () -> m.fleet().count(InstanceState.RUNNING).get() == 2, "two running");
                long pid = f.status("s-0").pid();
                Procs.sigkill(pid);
                applyUntil(m, () -> {
                    InstanceRow r = m.fleet().instance("s-0");
                    return r.restarts.get() == 1 && r.state.get() == InstanceState.RUNNING && r.pid.get() != pid;
                }, "s-0 restarted once with a new pid");
                applyUntil(m, () -> m.events().all().stream().anyMatch(e -> e.instance().equals("s-0") && e.cause().equals("crash")), "crash listed");
                // selection -> targets -> a real restart, its outcome text
                Targets t = onUi(() -> Targets.of(java.util.List.of(m.fleet().agent("s")), FleetFilter.NONE, m.fleet()));
                java.util.concurrent.CompletableFuture<Outcome> done = new java.util.concurrent.CompletableFuture<>();
                onUi(() -> {
                    m.actions().run(FleetOp.RESTART, t, done::complete, done::completeExceptionally);
                    return null;
                });
                assertThat(done.get(20, TimeUnit.SECONDS).message()).isEqualTo("2 restarted");
            } finally {
                onUi(() -> {
                    m.close();
                    return null;
                });
            }
        }
    }

    @Test
    void hiddenHistoryAndLogsReadNothingAndShowingThemReadsOnce() throws Exception {
        try (EngineFixture f = new EngineFixture(home)) {
            f.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("s", 1, null)), home));
            f.engine.start(Selection.everything(), null, null);
            ConsoleModel m = new ConsoleModel(f.engine, f.engine.info(), ui);
            try {
                m.start();
                applyUntil(m, () -> m.fleet().instance("s-0") != null, "row");
                HistoryModel h = onUi(m::newHistory);
                LogModel logs = onUi(m::newLog);
                onUi(() -> {
                    h.show(m.fleet().instance("s-0"));
                    logs.show("s-0");
                    for (int i = 0; i < 5; i++) h.tick(System.nanoTime() + i * 1_000_000_000L);
                    return null;
                });
                assertThat(h.loads()).isZero();
                assertThat(onUi(logs::following)).isFalse();
                onUi(() -> {
                    h.setActive(true);
                    logs.setActive(true);
                    return null;
                });
                Await.until(T, () -> onUi(() -> !h.items().isEmpty() && logs.following()), "history read and log followed once shown");
                assertThat(h.loads()).isEqualTo(1);
                onUi(() -> {
                    logs.setActive(false);
                    return null;
                });
                assertThat(onUi(logs::following)).isFalse();
            } finally {
                onUi(() -> {
                    m.close();
                    return null;
                });
            }
        }
    }

    @Test
    void anIdlePollerAsksForStatusOnlyAfterEventsOrOnItsSafetyInterval() {
        try (EngineFixture f = new EngineFixture(home)) {
            LiveFeed feed = new LiveFeed();
            Poller p = new Poller(f.engine, feed);
            for (int i = 0; i < 20; i++) p.tick(); // four seconds' worth of ticks
            assertThat(p.statusPolls()).isEqualTo(1); // the first read only
            feed.markStatusDirty(); // what a transition, result or deploy does
            p.tick();
            p.tick();
            assertThat(p.statusPolls()).isEqualTo(2);
            p.close();
        }
    }
}
