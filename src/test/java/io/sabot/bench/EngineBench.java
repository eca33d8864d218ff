package io.sabot.bench;

import io.sabot.engine.InstanceState;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.Selection;
import io.sabot.testing.Await;
import io.sabot.testing.EngineFixture;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine alone (no CLI JVM start): crash-to-restart latency and restarting 100 instances.
 * Run: {@code mvn -B -Pbench test -Dtest=EngineBench}
 */
@Tag("bench")
class EngineBench {
    @TempDir
    Path home;

    @Test
    void crashToRestartAndRestartAll() throws Exception {
        int n = 100, kills = 50;
        try (EngineFixture f = new EngineFixture(home)) {
            List<String> agents = new ArrayList<>();
            for (int i = 0; i < n; i++) agents.add(Specs.sleeper(String.format("p%03d", i), 1, "\"restart\":{\"maxRestarts\":1000000,\"withinSeconds\":1,\"backoff\":{\"initialMs\":0,\"maxMs\":0}}"));
            f.engine.deploy(Specs.parse(Specs.fleet(agents.toArray(new String[0])), home));
            long t0 = System.nanoTime();
            List<LifecycleResult> started = f.engine.start(Selection.everything(), null, null);
            double coldMs = (System.nanoTime() - t0) / 1e6;
            if (started.stream().anyMatch(r -> !r.success())) throw new AssertionError("start failed");
            Map<String, Long> runningAt = new ConcurrentHashMap<>();
            f.engine.subscribe(e -> {
                if (e instanceof io.sabot.engine.EngineEvent.TransitionEvent te && te.transition().to() == InstanceState.RUNNING) {
                    runningAt.put(te.transition().instance(), System.nanoTime());
                }
            });
            List<Double> lat = new ArrayList<>();
            for (int k = 0; k < kills; k++) {
                String id = String.format("p%03d-0", k % n);
                long pid = f.status(id).pid();
                runningAt.remove(id);
                long kt = System.nanoTime();
                Procs.sigkill(pid); // includes the kill(1) process start, as any outside kill would
                Await.until(Duration.ofSeconds(5), () -> runningAt.containsKey(id), "restart of " + id);
                lat.add((runningAt.get(id) - kt) / 1e6);
            }
            Collections.sort(lat);
            long r0 = System.nanoTime();
            List<LifecycleResult> rs = f.engine.restart(Selection.everything(), false, null);
            double restartMs = (System.nanoTime() - r0) / 1e6;
            if (rs.stream().anyMatch(r -> !r.success())) throw new AssertionError("restart failed");
            System.out.println("| figure (100 `sleep` instances, engine in-process) | value |");
            System.out.println("| --- | --- |");
            System.out.printf("| cold start of 100 (start --all until all RUNNING) | %.0f ms |%n", coldMs);
            System.out.printf("| SIGKILL -> RUNNING again, p50 / p95 (n=%d) | %.1f / %.1f ms |%n", kills, lat.get(kills / 2), lat.get((int) (kills * 0.95)));
            System.out.printf("| restart all 100 (stop + start, 32 in parallel) | %.0f ms |%n", restartMs);
            System.out.println("command: mvn -B -Pbench test -Dtest=EngineBench");
        }
    }
}
