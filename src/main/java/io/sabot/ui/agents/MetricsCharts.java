package io.sabot.ui.agents;

import atlantafx.base.theme.Styles;
import io.sabot.engine.Engine;
import io.sabot.engine.MetricPoint;
import io.sabot.ui.Background;
import io.sabot.ui.Fmt;
import io.sabot.ui.model.AgentRow;
import io.sabot.ui.model.FleetModel;
import io.sabot.ui.model.FleetRow;
import io.sabot.ui.model.InstanceRow;
import io.sabot.ui.model.MetricsRing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * CPU and memory of the selected instance (or of each instance of the selected agent). Live: the
 * last 5 minutes from metrics events kept in per-instance rings, redrawn once per snapshot with
 * one setAll per series. Longer ranges: {@code engine.metricsHistory} on a background thread.
 */
public final class MetricsCharts extends VBox {
    private static final int MAX_SERIES = 8;
    private static final int MAX_POINTS = 150;

    private final Engine engine;
    private final FleetModel model;
    private final Background bg;
    private final NumberAxis cpuX = timeAxis(), memX = timeAxis();
    private final NumberAxis cpuY = new NumberAxis(), memY = new NumberAxis();
    private final LineChart<Number, Number> cpu = new LineChart<>(cpuX, cpuY);
    private final LineChart<Number, Number> mem = new LineChart<>(memX, memY);
    private final ComboBox<String> range = new ComboBox<>(FXCollections.observableArrayList("Live \u00b7 5 min", "1 hour", "24 hours"));
    private final Label cpuEmpty = placeholder(), memEmpty = placeholder();
    private FleetRow row;
    private final XYChart.Series<Number, Number> liveCpu = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> liveMem = new XYChart.Series<>();
    private long seenTick = -1;
    private long lastDraw;
    private int request;

    public MetricsCharts(Engine engine, FleetModel model, Background bg) {
        this.engine = engine;
        this.model = model;
        this.bg = bg;
        setSpacing(6);
        getStyleClass().add("metrics-charts");
        range.getSelectionModel().select(0);
        range.setId("metrics-range");
        range.valueProperty().addListener(o -> reload());
        Label title = new Label("Resource usage");
        title.getStyleClass().add(Styles.TEXT_BOLD);
        HBox head = new HBox(8, title, new javafx.scene.layout.Region(), range);
        HBox.setHgrow(head.getChildren().get(1), Priority.ALWAYS);
        head.setAlignment(Pos.CENTER_LEFT);
        setup(cpu, cpuY, "CPU %", v -> String.format(java.util.Locale.ROOT, "%.0f%%", v.doubleValue()));
        setup(mem, memY, "Memory", v -> Fmt.bytes((long) (v.doubleValue() * 1024 * 1024)));
        StackPane c1 = new StackPane(cpu, cpuEmpty), c2 = new StackPane(mem, memEmpty);
        VBox.setVgrow(c1, Priority.ALWAYS);
        VBox.setVgrow(c2, Priority.ALWAYS);
        getChildren().addAll(head, c1, c2);
    }

    private static Label placeholder() {
        Label l = new Label("No samples yet \u2014 the metrics sampler reports about once a second");
        l.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        l.setMouseTransparent(true);
        return l;
    }

    private static NumberAxis timeAxis() {
        NumberAxis x = new NumberAxis();
        x.setAutoRanging(false);
        x.setMinorTickVisible(false);
        return x;
    }

    private static void setup(LineChart<Number, Number> c, NumberAxis y, String title, java.util.function.Function<Number, String> fmt) {
        c.setAnimated(false);
        c.setCreateSymbols(false);
        c.setLegendVisible(false);
        c.setTitle(title);
        c.setHorizontalGridLinesVisible(true);
        c.setVerticalGridLinesVisible(false);
        c.setVerticalZeroLineVisible(false); // x = 0 is "now", the right edge
        c.setHorizontalZeroLineVisible(false);
        c.getStyleClass().add("metric-chart");
        c.setMinHeight(140);
        y.setAutoRanging(false); // bounds move in steps (see nice), not with every sample
        y.setMinorTickVisible(false);
        y.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number n) { return fmt.apply(n); }

            @Override
            public Number fromString(String s) { return 0; }
        });
    }

    private boolean active;

    public void show(FleetRow r) {
        row = r;
        if (active) reload();
    }

    /** Draws only while its tab shows. */
    public void setActive(boolean on) {
        if (on == active) return;
        active = on;
        if (on) reload();
    }

    private boolean live() { return range.getSelectionModel().getSelectedIndex() <= 0; }

    private List<InstanceRow> instancesOf(FleetRow r) {
        if (r == null) return List.of();
        if (r instanceof AgentRow) {
            List<InstanceRow> l = ((AgentRow) r).instances();
            return l.size() > MAX_SERIES ? l.subList(0, MAX_SERIES) : l;
        }
        return List.of((InstanceRow) r);
    }

    /** Called by the pulse: live charts follow the metrics snapshots (about 1 Hz). */
    public void tick() {
        if (!active || !live() || model.metricsTick.get() == seenTick || getScene() == null) return;
        long now = System.nanoTime();
        if (now - lastDraw < 900_000_000L) return; // charts redraw at most about once a second
        lastDraw = now;
        seenTick = model.metricsTick.get();
        drawLive();
    }

    /** Instances whose live ring was already topped up from the store. */
    private final java.util.Set<String> seeded = new java.util.HashSet<>();

    /** Fills the live rings of newly shown instances with the last five minutes from the store, off the FX thread. */
    private void seedLive() {
        List<InstanceRow> rows = row instanceof AgentRow ? ((AgentRow) row).instances() : instancesOf(row);
        List<InstanceRow> todo = rows.stream().filter(r -> seeded.add(r.id())).toList();
        if (todo.isEmpty()) return;
        long to = System.currentTimeMillis(), from = to - 300_000L;
        bg.read(() -> {
            Map<InstanceRow, List<MetricPoint>> out = new LinkedHashMap<>();
            for (InstanceRow r : todo) out.put(r, engine.metricsHistory(r.id(), from, to));
            return out;
        }, res -> {
            for (Map.Entry<InstanceRow, List<MetricPoint>> e : res.entrySet()) {
                List<MetricPoint> pts = e.getValue();
                long[] t = new long[pts.size()];
                double[] c = new double[pts.size()];
                long[] m = new long[pts.size()];
                for (int i = 0; i < pts.size(); i++) {
                    t[i] = pts.get(i).timeMs();
                    c[i] = pts.get(i).cpuPercent();
                    m[i] = pts.get(i).memoryBytes();
                }
                e.getKey().ring().prepend(t, c, m);
            }
            if (live()) drawLive();
        }, err -> { });
    }

    private void reload() {
        seenTick = -1;
        request++;
        if (live()) {
            seedLive();
            drawLive();
            return;
        }
        long hours = range.getSelectionModel().getSelectedIndex() == 1 ? 1 : 24;
        long to = System.currentTimeMillis(), from = to - hours * 3_600_000L;
        List<String> ids = instancesOf(row).stream().map(InstanceRow::id).toList();
        int req = request;
        bg.read(() -> {
            Map<String, List<MetricPoint>> out = new LinkedHashMap<>();
            for (String id : ids) out.put(id, engine.metricsHistory(id, from, to));
            return out;
        }, res -> {
            if (req != request) return; // a newer selection or range superseded this answer
            List<XYChart.Series<Number, Number>> cs = new ArrayList<>(), ms = new ArrayList<>();
            for (Map.Entry<String, List<MetricPoint>> e : res.entrySet()) {
                List<MetricPoint> pts = e.getValue();
                int step = Math.max(1, pts.size() / MAX_POINTS);
                ObservableList<XYChart.Data<Number, Number>> c = FXCollections.observableArrayList(), m = FXCollections.observableArrayList();
                for (int i = 0; i < pts.size(); i += step) {
                    MetricPoint p = pts.get(i);
                    c.add(new XYChart.Data<>(p.timeMs() / 1000.0, p.cpuPercent()));
                    m.add(new XYChart.Data<>(p.timeMs() / 1000.0, p.memoryBytes() / 1048576.0));
                }
                cs.add(new XYChart.Series<>(e.getKey(), c));
                ms.add(new XYChart.Series<>(e.getKey(), m));
            }
            apply(cs, ms, from, to);
        }, err -> apply(List.of(), List.of(), from, to));
    }

    private void drawLive() {
        long to = System.currentTimeMillis();
        List<InstanceRow> rows = row instanceof AgentRow ? ((AgentRow) row).instances() : instancesOf(row);
        // an agent shows the sum of its instances (one line reads better than many, and costs less)
        java.util.TreeMap<Long, double[]> sum = new java.util.TreeMap<>();
        for (InstanceRow r : rows) {
            MetricsRing ring = r.ring();
            for (int i = 0; i < ring.size(); i++) {
                double[] v = sum.computeIfAbsent(ring.time(i), k -> new double[2]);
                v[0] += ring.cpu(i);
                v[1] += ring.mem(i);
            }
        }
        ObservableList<XYChart.Data<Number, Number>> c = FXCollections.observableArrayList(), m = FXCollections.observableArrayList();
        int step = Math.max(1, (sum.size() + MAX_POINTS - 1) / MAX_POINTS), k = 0;
        long now = System.currentTimeMillis();
        for (Map.Entry<Long, double[]> e : sum.entrySet()) {
            if (k++ % step != 0 && k != sum.size()) continue;
            double t = (e.getKey() - now) / 1000.0; // seconds ago: the live x axis never moves
            c.add(new XYChart.Data<>(t, e.getValue()[0]));
            m.add(new XYChart.Data<>(t, e.getValue()[1] / 1048576.0));
        }
        if (!sum.isEmpty()) to = Math.max(to, sum.lastKey());
        // the live series objects are kept: replacing a series rebuilds its path node and its CSS
        if (row == null) {
            c.clear();
            m.clear();
        }
        liveCpu.getData().setAll(c);
        liveMem.getData().setAll(m);
        apply(List.of(liveCpu), List.of(liveMem), -300_000, 0);
    }

    private void apply(List<XYChart.Series<Number, Number>> cs, List<XYChart.Series<Number, Number>> ms, long from, long to) {
        boolean relative = from < 0;
        for (NumberAxis x : new NumberAxis[]{cpuX, memX}) {
            // set only when they change: a moving axis re-lays out its labels every redraw
            if (relative != x.getProperties().containsKey("relative")) {
                if (relative) x.getProperties().put("relative", true);
                else x.getProperties().remove("relative");
                x.setTickLabelFormatter(relative ? AGO : CLOCK);
            }
            setIfChanged(x, from / 1000.0, to / 1000.0, (to - from) / 1000.0 / 5);
        }
        double cmax = 0, mmax = 0;
        for (XYChart.Series<Number, Number> s : cs) for (XYChart.Data<Number, Number> d : s.getData()) cmax = Math.max(cmax, d.getYValue().doubleValue());
        for (XYChart.Series<Number, Number> s : ms) for (XYChart.Data<Number, Number> d : s.getData()) mmax = Math.max(mmax, d.getYValue().doubleValue());
        double cu = nice(Math.max(10, cmax * 1.1)), mu = nice(Math.max(16, mmax * 1.1));
        setIfChanged(cpuY, 0, cu, cu / 5);
        setIfChanged(memY, 0, mu, mu / 5);
        boolean none = cs.stream().allMatch(s -> s.getData().isEmpty());
        cpuEmpty.setVisible(none);
        memEmpty.setVisible(none);
        // one setAll per chart per tick, and none when the same series stay
        if (!cpu.getData().equals(cs)) cpu.getData().setAll(cs);
        if (!mem.getData().equals(ms)) mem.getData().setAll(ms);
    }

    private static void setIfChanged(NumberAxis a, double lo, double hi, double unit) {
        if (a.getLowerBound() != lo) a.setLowerBound(lo);
        if (a.getUpperBound() != hi) a.setUpperBound(hi);
        if (a.getTickUnit() != unit) a.setTickUnit(unit);
    }

    /** 1, 2, 2.5 or 5 times a power of ten at or above v: steady axis bounds. */
    static double nice(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) if (m * p >= v) return m * p;
        return 10 * p;
    }

    private static final StringConverter<Number> AGO = new StringConverter<>() {
        @Override
        public String toString(Number n) {
            long s = Math.round(-n.doubleValue());
            return s == 0 ? "now" : s % 60 == 0 ? "-" + s / 60 + "m" : "-" + s + "s";
        }

        @Override
        public Number fromString(String s) { return 0; }
    };

    private static final StringConverter<Number> CLOCK = new StringConverter<>() {
        @Override
        public String toString(Number n) { return Fmt.clockSeconds(n.longValue() * 1000).substring(0, 5); }

        @Override
        public Number fromString(String s) { return 0; }
    };
}
