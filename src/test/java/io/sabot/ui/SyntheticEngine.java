package io.sabot.ui;

import io.sabot.engine.DeployResult;
import io.sabot.engine.Engine;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.EngineInfo;
import io.sabot.engine.EngineListener;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.MetricsSnapshot;
import io.sabot.engine.Selection;
import io.sabot.telemetry.SpanView;
import io.sabot.engine.Subscription;
import io.sabot.engine.Transition;
import io.sabot.spec.FleetSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Test-only fake engine for the FX benchmark: N synthetic instances whose states and figures a
 * feeder thread changes at a high rate, publishing transitions, metrics and spans as events.
 */
final class SyntheticEngine implements Engine {
    private final int agents, perAgent;
    private final String[] ids;
    private final InstanceState[] states;
    private final long[] pids;
    private final int[] restarts;
    private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
    final AtomicLong published = new AtomicLong();
    private volatile boolean running;
    private Thread feeder;

    SyntheticEngine(int agents, int perAgent) {
        this.agents = agents;
        this.perAgent = perAgent;
        int n = agents * perAgent;
        ids = new String[n];
        states = new InstanceState[n];
        pids = new long[n];
        restarts = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = "agent_" + (i / perAgent) + "-" + (i % perAgent);
            states[i] = InstanceState.RUNNING;
            pids[i] = 100_000 + i;
        }
    }

    /** Publishes {@code transitionsPerSec} transitions and metrics snapshots at {@code metricsHz} until stopped. */
    void startFeeding(int transitionsPerSec, int metricsHz, int spansPerSec) {
        running = true;
        feeder = new Thread(() -> {
            long start = System.nanoTime();
            long sentT = 0, sentM = 0, sentS = 0;
            int k = 0;
            java.util.Random rnd = new java.util.Random(42);
            while (running) {
                double secs = (System.nanoTime() - start) / 1e9;
                while (sentT < secs * transitionsPerSec) {
                    int i = rnd.nextInt(ids.length);
                    InstanceState from, to;
                    synchronized (this) {
                        from = states[i];
                        to = next(from);
                        states[i] = to;
                        if (to == InstanceState.STARTING) {
                            pids[i] += 1000;
                            restarts[i]++;
                        }
                    }
                    emit(new EngineEvent.TransitionEvent(new Transition(System.currentTimeMillis(), ids[i], from, to, "crash",
                            to == InstanceState.BACKOFF ? 137 : null, null, "synthetic", pids[i], null)));
                    sentT++;
                }
                while (sentM < secs * metricsHz) {
                    Map<String, MetricsSnapshot.InstanceMetrics> m = new LinkedHashMap<>();
                    for (int i = 0; i < ids.length; i++) {
                        m.put(ids[i], new MetricsSnapshot.InstanceMetrics(rnd.nextDouble() * 80, (40 + rnd.nextInt(200)) * 1048576L, 10, rnd.nextDouble() * 500));
                    }
                    emit(new EngineEvent.MetricsEvent(new MetricsSnapshot(System.currentTimeMillis(), rnd.nextDouble() * 100,
                            8L << 30, 16L << 30, m)));
                    sentM++;
                }
                while (sentS < secs * spansPerSec) {
                    long now = System.currentTimeMillis() * 1_000_000L;
                    String trace = String.format("%032x", sentS / 20);
                    emit(new EngineEvent.SpanEvent(new SpanView(trace, String.format("%016x", sentS + 1),
                            sentS % 20 == 0 ? null : String.format("%016x", (sentS / 20) * 20 + 1), "restart " + ids[k++ % ids.length],
                            now, 5_000_000, "OK", Map.of())));
                    sentS++;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "synthetic-feeder");
        feeder.setDaemon(true);
        feeder.start();
    }

    void stopFeeding() throws InterruptedException {
        running = false;
        if (feeder != null) feeder.join();
    }

    private static InstanceState next(InstanceState s) {
        switch (s) {
            case RUNNING: return InstanceState.BACKOFF;
            case BACKOFF: return InstanceState.STARTING;
            case STARTING: return InstanceState.RUNNING;
            default: return InstanceState.STARTING;
        }
    }

    private void emit(EngineEvent e) {
        published.incrementAndGet();
        for (EngineListener l : listeners) l.onEvent(e);
    }

    @Override
    public synchronized List<InstanceStatus> status(Selection targets) {
        List<InstanceStatus> out = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            boolean live = states[i].live();
            out.add(new InstanceStatus("agent_" + (i / perAgent), i % perAgent, ids[i], states[i], live ? pids[i] : null, live ? 60_000 : 0,
                    restarts[i], 0, 0, states[i] == InstanceState.RUNNING, List.of("t:" + i % 64), null, "g", 10, 0, 0, null, null));
        }
        return out;
    }

    @Override
    public Subscription subscribe(EngineListener l) {
        listeners.add(l);
        return () -> listeners.remove(l);
    }

    @Override
    public EngineInfo info() { return new EngineInfo(ProcessHandle.current().pid(), "/synthetic", "bench", System.currentTimeMillis(), agents, ids.length); }

    @Override
    public DeployResult deploy(FleetSpec spec) { return new DeployResult(List.of(), List.of(), List.of(), List.of(), List.of()); }

    @Override
    public List<LifecycleResult> remove(List<String> a) { return List.of(); }

    @Override
    public FleetSpec spec() { return new FleetSpec(List.of(), List.of()); }

    @Override
    public List<LifecycleResult> start(Selection t, Integer c, Long to) { return List.of(); }

    @Override
    public List<LifecycleResult> stop(Selection t, boolean f, Long to) { return List.of(); }

    @Override
    public List<LifecycleResult> restart(Selection t, boolean r, Long to) { return List.of(); }

    @Override
    public List<Transition> history(String id) { return List.of(); }

    @Override
    public List<String> logs(String id, int lines) { return List.of(); }

    @Override
    public Subscription followLogs(String id, Consumer<String> sink) { return () -> { }; }

    @Override
    public void close() { running = false; }
}
