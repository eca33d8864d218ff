package io.sabot.ui.model;

import io.sabot.engine.Engine;
import io.sabot.engine.MetricPoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * CPU and memory series of the shown row for charts. Live: the last 5 minutes from the metrics
 * events kept in each instance's ring (an agent: the sum of its instances), topped up once per
 * instance from the store's history. Longer ranges: {@code engine.metricsHistory}, read on
 * demand; an answer superseded by a newer request is dropped.
 */
public final class MetricsModel {
    public static final int MAX_SERIES = 8;
    public static final int MAX_POINTS = 150;

    /** One line: times (s, relative to now for live, epoch otherwise), CPU % and memory MiB. */
    public record Series(String name, double[] t, double[] cpu, double[] memMb) {
        public int size() { return t.length; }

        public double maxCpu() {
            double m = 0;
            for (double v : cpu) m = Math.max(m, v);
            return m;
        }

        public double maxMem() {
            double m = 0;
            for (double v : memMb) m = Math.max(m, v);
            return m;
        }
    }

    private final Engine engine;
    private final Background bg;
    private final Set<String> seeded = new HashSet<>();
    private int request;

    public MetricsModel(Engine engine, Background bg) {
        this.engine = engine;
        this.bg = bg;
    }

    public static List<InstanceRow> instancesOf(FleetRow r) {
        if (r == null) return List.of();
        if (r instanceof AgentRow a) return a.instances();
        return List.of((InstanceRow) r);
    }

    /** The live line of a row: its rings summed per sample time, thinned to at most MAX_POINTS. */
    public static Series live(FleetRow r, long nowMs) {
        TreeMap<Long, double[]> sum = new TreeMap<>();
        for (InstanceRow i : instancesOf(r)) {
            MetricsRing ring = i.ring();
            for (int k = 0; k < ring.size(); k++) {
                double[] v = sum.computeIfAbsent(ring.time(k), x -> new double[2]);
                v[0] += ring.cpu(k);
                v[1] += ring.mem(k);
            }
        }
        int step = Math.max(1, (sum.size() + MAX_POINTS - 1) / MAX_POINTS), k = 0, n = 0;
        double[] t = new double[sum.size()], c = new double[sum.size()], m = new double[sum.size()];
        for (Map.Entry<Long, double[]> e : sum.entrySet()) {
            k++;
            if ((k - 1) % step != 0 && k != sum.size()) continue;
            t[n] = (e.getKey() - nowMs) / 1000.0; // seconds ago: the live x axis never moves
            c[n] = e.getValue()[0];
            m[n] = e.getValue()[1] / 1048576.0;
            n++;
        }
        return new Series(r == null ? "" : r.name(), java.util.Arrays.copyOf(t, n), java.util.Arrays.copyOf(c, n), java.util.Arrays.copyOf(m, n));
    }

    /** Fills the rings of instances shown for the first time with the last 5 minutes from the store. */
    public void seedLive(FleetRow r, Runnable after) {
        List<InstanceRow> todo = instancesOf(r).stream().filter(i -> seeded.add(i.id())).toList();
        if (todo.isEmpty()) return;
        long to = System.currentTimeMillis(), from = to - 300_000L;
        bg.read(() -> {
            Map<InstanceRow, List<MetricPoint>> out = new LinkedHashMap<>();
            for (InstanceRow i : todo) out.put(i, engine.metricsHistory(i.id(), from, to));
            return out;
        }, res -> {
            res.forEach((row, pts) -> {
                long[] t = new long[pts.size()];
                double[] c = new double[pts.size()];
                long[] m = new long[pts.size()];
                for (int i = 0; i < pts.size(); i++) {
                    t[i] = pts.get(i).timeMs();
                    c[i] = pts.get(i).cpuPercent();
                    m[i] = pts.get(i).memoryBytes();
                }
                row.ring().prepend(t, c, m);
            });
            after.run();
        }, err -> { });
    }

    /** History of up to MAX_SERIES instances of the row between two times, one series each (epoch seconds). */
    public void history(FleetRow r, long fromMs, long toMs, Consumer<List<Series>> done) {
        List<InstanceRow> rows = instancesOf(r);
        List<String> ids = rows.subList(0, Math.min(MAX_SERIES, rows.size())).stream().map(InstanceRow::id).toList();
        int req = ++request;
        bg.read(() -> {
            List<Series> out = new ArrayList<>();
            for (String id : ids) out.add(thin(id, engine.metricsHistory(id, fromMs, toMs)));
            return out;
        }, res -> {
            if (req == request) done.accept(res);
        }, err -> {
            if (req == request) done.accept(List.of());
        });
    }

    /** Drops any history answer still on its way (the row or range changed). */
    public void supersede() { request++; }

    static Series thin(String name, List<MetricPoint> pts) {
        int step = Math.max(1, pts.size() / MAX_POINTS);
        int n = (pts.size() + step - 1) / step;
        double[] t = new double[n], c = new double[n], m = new double[n];
        int k = 0;
        for (int i = 0; i < pts.size() && k < n; i += step, k++) {
            MetricPoint p = pts.get(i);
            t[k] = p.timeMs() / 1000.0;
            c[k] = p.cpuPercent();
            m[k] = p.memoryBytes() / 1048576.0;
        }
        return new Series(name, t, c, m);
    }

    /** 1, 2, 2.5 or 5 times a power of ten at or above v: steady axis bounds. */
    public static double nice(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) if (m * p >= v) return m * p;
        return 10 * p;
    }
}
