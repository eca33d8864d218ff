package io.sabot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.Await;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of the engine's JVM leaves no agent (nor agent child) alive after 2 s. */
class NoOrphansTest {
    @TempDir
    Path home;

    @RepeatedTest(2)
    void killNineOfTheEngineLeavesNoAgentBehind() throws Exception {
        String spec = Specs.fleet(Specs.sleeper("s", 4, null),
                "{\"name\":\"deaf\",\"command\":[\"sh\",\"-c\",\"trap '' TERM; sleep 100000 & wait\"]}",
                "{\"name\":\"tree\",\"command\":[\"sh\",\"-c\",\"sleep 100000 & sleep 100000 & wait\"],\"concurrency\":2}");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process engine = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), EngineChildMain.class.getName(),
                home.toString(), spec).redirectErrorStream(true).start();
        List<Long> pids = new ArrayList<>();
        long watchdog = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(engine.getInputStream()))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("WATCHDOG ")) watchdog = Long.parseLong(line.substring(9).trim());
                if (line.startsWith("PIDS")) {
                    for (String p : line.substring(4).trim().split(" ")) pids.add(Long.parseLong(p));
                    break;
                }
            }
            assertThat(pids).hasSize(7);
            Await.until(Duration.ofSeconds(5), () -> pids.stream().mapToInt(p -> Procs.descendants(p).size()).sum() >= 5, "agents' children up");
            List<Long> everything = new ArrayList<>(pids);
            for (long p : pids) everything.addAll(Procs.descendants(p));
            engine.destroyForcibly(); // SIGKILL: no shutdown hook runs
            engine.waitFor();
            long t0 = System.nanoTime();
            Await.until(Duration.ofMillis(2000), () -> everything.stream().noneMatch(Procs::alive),
                    () -> "still alive: " + everything.stream().filter(Procs::alive).toList());
            System.out.printf("no-orphans: %d processes gone %d ms after kill -9 of the engine%n", everything.size(), (System.nanoTime() - t0) / 1_000_000);
            final long wd = watchdog;
            Await.until(Duration.ofSeconds(3), () -> !Procs.alive(wd), "watchdog exits");
        } finally {
            engine.destroyForcibly();
            for (long p : pids) {
                Procs.descendants(p).forEach(Procs::kill);
                Procs.kill(p);
            }
            if (watchdog > 0) Procs.kill(watchdog);
        }
    }
}
