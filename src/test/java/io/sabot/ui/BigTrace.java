package io.sabot.ui;

import io.sabot.telemetry.SpanView;
import io.sabot.telemetry.TraceView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A synthetic trace shaped like a real bulk restart: a root, then per instance "restart X" with
 * stop.signal, stop.await_exit, spawn and await_ready (five spans each), durations varied.
 */
final class BigTrace {
    private BigTrace() {}

    static TraceView restart(int instances, long seed) {
        Random rnd = new Random(seed);
        String trace = String.format("%032x", seed + 1);
        long t0 = System.currentTimeMillis() * 1_000_000L;
        long ms = 1_000_000L;
        List<SpanView> spans = new ArrayList<>(instances * 5 + 1);
        int[] id = {0};
        java.util.function.Supplier<String> next = () -> String.format("%016x", ++id[0]);
        String rootId = next.get();
        long end = 0;
        for (int i = 0; i < instances; i++) {
            String inst = "fraud_detector-" + i;
            long start = (i / 8) * 3L * ms; // eight at a time, as the bulk pool runs them
            long stopSig = start + ms / 2, exit = stopSig + (20 + rnd.nextInt(200)) * ms, spawned = exit + (5 + rnd.nextInt(40)) * ms;
            // one instance is slow to get ready: it decides the trace's length
            long ready = spawned + (i == instances / 2 ? 2500 : 50 + rnd.nextInt(600)) * ms;
            String r = next.get();
            spans.add(new SpanView(trace, r, rootId, "restart " + inst, t0 + start, ready - start, "OK", Map.of("sabot.instance", inst)));
            spans.add(new SpanView(trace, next.get(), r, "stop.signal", t0 + start, stopSig - start, "OK", Map.of("signal", "SIGTERM")));
            spans.add(new SpanView(trace, next.get(), r, "stop.await_exit", t0 + stopSig, exit - stopSig, "OK", Map.of()));
            spans.add(new SpanView(trace, next.get(), r, "spawn", t0 + exit, spawned - exit, "OK", Map.of("pid", 10_000 + i)));
            spans.add(new SpanView(trace, next.get(), r, "await_ready", t0 + spawned, ready - spawned, rnd.nextInt(500) == 0 ? "ERROR" : "OK", Map.of()));
            end = Math.max(end, ready);
        }
        SpanView root = new SpanView(trace, rootId, null, "restart (" + instances + " instances)", t0, end + ms, "OK",
                Map.of("sabot.operation", "restart", "sabot.count", instances));
        spans.add(0, root);
        return TraceView.of(root, spans);
    }
}
