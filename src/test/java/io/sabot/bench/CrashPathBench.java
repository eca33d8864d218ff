package io.sabot.bench;

import io.sabot.engine.EngineEvent;
import io.sabot.engine.InstanceState;
import io.sabot.engine.Selection;
import io.sabot.process.Signals;
import io.sabot.testing.Await;
import io.sabot.testing.EngineFixture;
import io.sabot.testing.Specs;
import java.nio.file.Files;
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
 * Where the time of a crash goes, stage by stage, in the engine alone (no store): SIGKILL (sent
 * from this JVM, kill(2)) to BACKOFF (the reaper reaped it and crash handling ran), to STARTING
 * (the new process is being spawned), to RUNNING (spawned; a non-protocol agent is RUNNING at
 * once), and to the new process writing its first line (what supervisor_bench.py measures).
 * Run: {@code mvn -B -Pbench test -Dtest=CrashPathBench} ({@code -Dbench.kills=200}).
 */
@Tag("bench")
class CrashPathBench {
    @TempDir
    Path home;

    @Test
    void stagesOfACrash() throws Exception {
        int n = 100, kills = Integer.getInteger("bench.kills", 100);
        Path starts = Files.createDirectories(home.resolve("starts"));
        try (EngineFixture f = new EngineFixture(home)) {
            List<String> agents = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = String.format("p%03d", i);
                agents.add("{\"name\":\"" + name + "\",\"command\":[\"/bin/sh\",\"-c\",\"echo $(date +%s%N) >> " + starts.resolve(name)
                        + "; exec sleep 100000\"],\"restart\":{\"maxRestarts\":1000000,\"withinSeconds\":1,\"backoff\":{\"initialMs\":0,\"maxMs\":0}}}");
            }
            f.engine.deploy(Specs.parse(Specs.fleet(agents.toArray(new String[0])), home));
            f.engine.start(Selection.everything(), null, null);
            Map<String, long[]> at = new ConcurrentHashMap<>(); // id -> {backoff, starting, running} in ns
            f.engine.subscribe(e -> {
                if (e instanceof EngineEvent.TransitionEvent te) {
                    long[] s = at.get(te.transition().instance());
                    if (s == null) return;
                    InstanceState to = te.transition().to();
                    int i = to == InstanceState.BACKOFF ? 0 : to == InstanceState.STARTING ? 1 : to == InstanceState.RUNNING ? 2 : -1;
                    if (i >= 0 && s[i] == 0) s[i] = System.nanoTime();
                }
            });
            List<double[]> rows = new ArrayList<>();
            for (int k = 0; k < kills; k++) {
                String name = String.format("p%03d", k % n), id = name + "-0";
                Path file = starts.resolve(name);
                long lines = Files.readAllLines(file).size();
                long pid = f.status(id).pid();
                long[] s = new long[3];
                at.put(id, s);
                java.time.Instant now = java.time.Instant.now(); // microseconds here, like date +%s%N's useful part
                long wallKill = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                long t0 = System.nanoTime();
                Signals.process(pid, Signals.Sig.KILL);
                Await.until(Duration.ofSeconds(10), () -> s[2] != 0, "RUNNING again: " + id);
                Await.until(Duration.ofSeconds(10), () -> {
                    try {
                        return Files.readAllLines(file).size() > lines;
                    } catch (Exception e) {
                        return false;
                    }
                }, "start line of " + id);
                List<String> all = Files.readAllLines(file);
                long lineNs = Long.parseLong(all.get(all.size() - 1).trim());
                at.remove(id);
                rows.add(new double[] {(s[0] - t0) / 1e6, (s[1] - t0) / 1e6, (s[2] - t0) / 1e6, (lineNs - wallKill) / 1e6});
                Thread.sleep(20);
            }
            String[] names = {"SIGKILL -> BACKOFF (reaped, crash handled)", "SIGKILL -> STARTING", "SIGKILL -> RUNNING (spawned)",
                    "SIGKILL -> the new process's first line"};
            System.out.printf("| stage (%d kills of 100 `sh -c 'echo ...; exec sleep'` agents, engine in-process, no store) | p50 ms | p95 ms |%n", kills);
            System.out.println("| --- | ---: | ---: |");
            for (int c = 0; c < names.length; c++) {
                List<Double> col = new ArrayList<>();
                for (double[] r : rows) col.add(r[c]);
                Collections.sort(col);
                System.out.printf("| %s | %.2f | %.2f |%n", names[c], col.get(col.size() / 2), col.get((int) (col.size() * 0.95)));
            }
            System.out.println("load: " + Files.readString(Path.of("/proc/loadavg")).trim());
        }
    }
}
