package io.sabot.ui.agents;

import atlantafx.base.theme.Styles;
import io.sabot.ui.kit.Activatable;
import io.sabot.ui.model.FleetRow;
import io.sabot.ui.model.Fmt;
import io.sabot.ui.model.MetricsModel;
import java.util.ArrayList;
import java.util.List;
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
 * CPU and memory of the selected instance (or of the selected agent, summed), from a
 * {@link MetricsModel}. Live: redrawn at most once a second after a new metrics snapshot, one
 * setAll per series, only while its tab shows. Longer ranges: read on demand.
 */
public final class MetricsCharts extends VBox implements Activatable {
    private final MetricsModel model;
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
    private boolean active;
    private java.util.function.LongSupplier metricsTick = () -> 0;

    public MetricsCharts(MetricsModel model) {
        this.model = model;
        setSpacing(6);
        getStyleClass().add("metrics-charts");
        range.getSelectionModel().select(0);
        range.setId("metrics-range");
        range.setAccessibleText("Time range of the charts");
        range.valueProperty().addListener(o -> reload());
        Label title = new Label("Resource usage");
        title.getStyleClass().add(Styles.TEXT_BOLD);
        title.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox head = new HBox(8, title, new javafx.scene.layout.Region(), range);
        HBox.setHgrow(head.getChildren().get(1), Priority.ALWAYS);
        head.setAlignment(Pos.CENTER_LEFT);
        setup(cpu, cpuY, "CPU % of a core", v -> cpuTick(v.doubleValue()));
        setup(mem, memY, "Memory", v -> Fmt.bytes((long) (v.doubleValue() * 1024 * 1024)));
        cpu.setAccessibleText("CPU chart");
        mem.setAccessibleText("Memory chart");
        StackPane c1 = new StackPane(cpu, cpuEmpty), c2 = new StackPane(mem, memEmpty);
        VBox.setVgrow(c1, Priority.ALWAYS);
        VBox.setVgrow(c2, Priority.ALWAYS);
        getChildren().addAll(head, c1, c2);
    }

    /** Axis labels keep a decimal below 10 % so 0.5 % steps read as such. */
    private static String cpuTick(double v) {
        return String.format(java.util.Locale.ROOT, v < 10 && v != Math.rint(v) ? "%.1f%%" : "%.0f%%", v);
    }

    /** Where the chart learns that a new metrics snapshot arrived (the fleet's tick). */
    public void setMetricsTick(java.util.function.LongSupplier s) { metricsTick = s; }

    private static Label placeholder() {
        Label l = new Label("No samples yet \u2014 the metrics sampler reports about once a second");
        l.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        l.setWrapText(true);
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
        c.setMinHeight(120);
        y.setAutoRanging(false); // bounds move in steps (see nice), not with every sample
        y.setMinorTickVisible(false);
        y.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number n) { return fmt.apply(n); }

            @Override
            public Number fromString(String s) { return 0; }
        });
    }

    public void show(FleetRow r) {
        row = r;
        if (active) reload();
    }

    @Override
    public void activate() {
        active = true;
        reload();
    }

    @Override
    public void deactivate() {
        active = false;
        model.supersede();
    }

    private boolean live() { return range.getSelectionModel().getSelectedIndex() <= 0; }

    /** Called by the pulse while its tab shows: live charts follow the metrics snapshots (about 1 Hz). */
    @Override
    public void tick(long nowNanos) {
        long t = metricsTick.getAsLong();
        if (!active || !live() || row == null || t == seenTick || getScene() == null) return;
        if (nowNanos - lastDraw < 900_000_000L) return; // at most about once a second
        lastDraw = nowNanos;
        seenTick = t;
        drawLive();
    }

    private void reload() {
        seenTick = -1;
        model.supersede();
        if (live()) {
            model.seedLive(row, () -> {
                if (active && live()) drawLive();
            });
            drawLive();
            return;
        }
        long hours = range.getSelectionModel().getSelectedIndex() == 1 ? 1 : 24;
        long to = System.currentTimeMillis(), from = to - hours * 3_600_000L;
        model.history(row, from, to, series -> {
            List<XYChart.Series<Number, Number>> cs = new ArrayList<>(), ms = new ArrayList<>();
            for (MetricsModel.Series s : series) {
                cs.add(new XYChart.Series<>(s.name(), points(s.t(), s.cpu())));
                ms.add(new XYChart.Series<>(s.name(), points(s.t(), s.memMb())));
            }
            apply(cs, ms, from, to);
        });
    }

    private static ObservableList<XYChart.Data<Number, Number>> points(double[] t, double[] v) {
        ObservableList<XYChart.Data<Number, Number>> l = FXCollections.observableArrayList();
        for (int i = 0; i < t.length; i++) l.add(new XYChart.Data<>(t[i], v[i]));
        return l;
    }

    private void drawLive() {
        MetricsModel.Series s = MetricsModel.live(row, System.currentTimeMillis());
        // the live series objects are kept: replacing a series rebuilds its path node and its CSS
        liveCpu.getData().setAll(points(s.t(), s.cpu()));
        liveMem.getData().setAll(points(s.t(), s.memMb()));
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
        double cu = nice(Math.max(1, cmax * 1.1)), mu = nice(Math.max(16, mmax * 1.1));
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

    static double nice(double v) { return MetricsModel.nice(v); }

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
