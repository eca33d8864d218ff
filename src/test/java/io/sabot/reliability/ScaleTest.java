package io.sabot.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.EngineEvent;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.Selection;
import io.sabot.engine.Transition;
import io.sabot.store.Store;
import io.sabot.store.TransitionRecord;
import io.sabot.testing.Await;
import io.sabot.testing.HostFixture;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many instances under the engine as the daemon hosts it: start all, SIGKILL a third of them at
 * random, restart all, stop all. Every step must reach every instance, no process may be left,
 * no transition may be lost (the events heard, the engine's history and the store's agree), and
 * the engine's thread count must not grow with the fleet. 300 instances by default
 * ({@code -Dsabot.scale.n=1000} for more).
 */
class ScaleTest {
    static final int N = Integer.getInteger("sabot.scale.n", 300);
    static final int PER_AGENT = 10;

    @TempDir
    Path tmp;

    @Test
    void startKillRestartStopAtScale() throws Exception {
        long seed = Long.getLong("sabot.scale.seed", System.nanoTime());
        Random rnd = new Random(seed);
        List<String> agents = new ArrayList<>();
        for (int a = 0; a < N / PER_AGENT; a++) {
            agents.add("{\"name\":\"s" + a + "\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":" + PER_AGENT
                    + ",\"stopGraceMs\":5000,\"restart\":{\"policy\":\"permanent\",\"maxRestarts\":1000000,\"withinSeconds\":1,"
                    + "\"backoff\":{\"initialMs\":0,\"maxMs\":0}}}");
        }
        Map<String, List<Transition>> heard = new ConcurrentHashMap<>();
        Set<Long> allPids = ConcurrentHashMap.newKeySet();
        long t0 = System.nanoTime();
        Map<String, List<Transition>> histories = new HashMap<>();
        int engineThreadsAtScale;
        try (HostFixture x = new HostFixture(tmp.resolve("home"))) {
            x.engine.subscribe(e -> {
                if (e instanceof EngineEvent.TransitionEvent te) {
                    Transition t = te.transition();
                    heard.computeIfAbsent(t.instance(), k -> new CopyOnWriteArrayList<>()).add(t);
                    if (t.pid() > 0) allPids.add(t.pid());
                }
            });
            int threadsBefore = engineThreads();
            x.engine.deploy(Specs.parse(Specs.fleet(agents.toArray(new String[0])), tmp));

            // start all
            List<LifecycleResult> started = x.engine.start(Selection.everything(), null, 60_000L);
            assertThat(started).hasSize(N).allMatch(LifecycleResult::success);
            Map<String, Long> pids = runningPids(x, N);
            for (long p : pids.values()) assertThat(Procs.alive(p)).isTrue();
            engineThreadsAtScale = engineThreads();
            assertThat(engineThreadsAtScale - threadsBefore).as("threads added by %d running instances", N).isLessThan(45);

            // chaos: SIGKILL a third, in random order, a few at a time
            List<String> ids = new ArrayList<>(pids.keySet());
            java.util.Collections.shuffle(ids, rnd);
            List<String> victims = ids.subList(0, N / 3);
            for (String id : victims) Procs.sigkill(pids.get(id));
            Await.until(Duration.ofSeconds(120), () -> {
                List<InstanceStatus> s = x.status();
                return s.stream().allMatch(i -> i.state() == InstanceState.RUNNING)
                        && victims.stream().allMatch(v -> x.status(v).restarts() == 1);
            }, () -> "every killed instance RUNNING again: " + notRunning(x));
            Map<String, Long> afterChaos = runningPids(x, N);
            for (String v : victims) assertThat(afterChaos.get(v)).as(v).isNotEqualTo(pids.get(v));
            for (String v : victims) assertThat(Procs.alive(pids.get(v))).as(v + " old pid").isFalse();

            // restart all
            List<LifecycleResult> restarted = x.engine.restart(Selection.everything(), false, 60_000L);
            assertThat(restarted).hasSize(N).allMatch(LifecycleResult::success);
            Map<String, Long> afterRestart = runningPids(x, N);
            for (Map.Entry<String, Long> e : afterChaos.entrySet()) {
                assertThat(afterRestart.get(e.getKey())).isNotEqualTo(e.getValue());
                assertThat(Procs.alive(e.getValue())).as(e.getKey() + " pid before the restart").isFalse();
            }

            // stop all
            assertThat(x.engine.stop(Selection.everything(), false, null)).hasSize(N).allMatch(LifecycleResult::success);
            assertThat(x.status()).allMatch(s -> s.state() == InstanceState.STOPPED && s.pid() == null);
            for (long p : allPids) assertThat(Procs.alive(p)).as("pid %d after stop --all", p).isFalse();
            assertThat(ProcFacts.agentProcessesOf(x.home)).as("processes carrying this home").isEmpty();
            for (InstanceStatus s : x.status()) histories.put(s.id(), x.engine.history(s.id()));
        }
        // no transition lost: heard == the engine's history == the store's, per instance
        int compared = 0;
        try (Store store = Store.open(tmp.resolve("home"))) {
            for (Map.Entry<String, List<Transition>> e : histories.entrySet()) {
                List<Transition> mem = e.getValue();
                assertThat(heard.get(e.getKey())).as(e.getKey() + " heard").containsExactlyElementsOf(mem);
                List<TransitionRecord> stored = new ArrayList<>(store.transitions().byInstance(e.getKey(), 10_000));
                java.util.Collections.reverse(stored);
                assertThat(stored).as(e.getKey() + " stored").hasSameSizeAs(mem);
                for (int i = 0; i < mem.size(); i++) {
                    assertThat(stored.get(i).to()).isEqualTo(mem.get(i).to().name());
                    assertThat(stored.get(i).time().toEpochMilli()).isEqualTo(mem.get(i).timeMs());
                    compared++;
                }
                // STOPPED -> STARTING -> RUNNING, (a kill) BACKOFF -> STARTING -> RUNNING, restart, stop
                assertThat(mem.get(0).to()).isEqualTo(InstanceState.STARTING);
                assertThat(mem.get(mem.size() - 1).to()).isEqualTo(InstanceState.STOPPED);
            }
        }
        Set<Long> distinct = new HashSet<>(allPids);
        System.out.printf("SCALE-RESULT n=%d seed=%d pidsSpawned=%d transitionsCompared=%d engineThreadsAtScale=%d seconds=%d load=%s%n",
                N, seed, distinct.size(), compared, engineThreadsAtScale, (System.nanoTime() - t0) / 1_000_000_000L, ProcFacts.loadAverage());
        long spawns = heard.values().stream().flatMap(List::stream).filter(t -> t.to() == InstanceState.STARTING).count();
        assertThat(spawns).as("spawns: start, the kills, restart").isEqualTo(N + N / 3 + N);
    }

    /** Threads of this JVM that the engine and its process layer run (by name). */
    static int engineThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (name.startsWith("sabot-") || name.startsWith("process reaper")) n++;
        }
        return n;
    }

    static Map<String, Long> runningPids(HostFixture x, int expected) {
        Map<String, Long> out = new HashMap<>();
        for (InstanceStatus s : x.status()) {
            assertThat(s.state()).as(s.id()).isEqualTo(InstanceState.RUNNING);
            out.put(s.id(), s.pid());
        }
        assertThat(out).hasSize(expected);
        assertThat(new HashSet<>(out.values())).as("distinct pids").hasSize(expected);
        return out;
    }

    static String notRunning(HostFixture x) {
        return x.status().stream().filter(s -> s.state() != InstanceState.RUNNING).map(s -> s.id() + "=" + s.state()).limit(20).toList().toString();
    }
}
