package io.sabot.ui.agents;

import io.sabot.engine.UsageHistory;
import io.sabot.ui.kit.ResizableCanvas;
import io.sabot.ui.model.Fmt;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * An agent's history as four stacked panels on one canvas: lag (records, and seconds on the
 * right axis, with restarts as red ticks), throughput, CPU and memory. One canvas and at most
 * 360 points per series (the engine downsamples), so a week draws as fast as a minute.
 */
final class TrendsCanvas extends ResizableCanvas {
    private UsageHistory data;
    private boolean dark;
    private static final Font SMALL = Font.font("System", 11);

    void set(UsageHistory h) {
        data = h;
        markDirty();
    }

    void setDark(boolean d) {
        dark = d;
        markDirty();
    }

    private record Panel(String title, ToDoubleFunction<UsageHistory.UsagePoint> value, Color color, java.util.function.DoubleFunction<String> fmt) { }

    @Override
    protected void draw(double w, double h) {
        GraphicsContext g = canvas.getGraphicsContext2D();
        Color bg = dark ? Color.web("#0d1117") : Color.WHITE;
        Color fg = dark ? Color.web("#c9d1d9") : Color.web("#24292f");
        Color grid = dark ? Color.web("#30363d") : Color.web("#d8dee4");
        Color muted = dark ? Color.web("#8b949e") : Color.web("#57606a");
        g.setFill(bg);
        g.fillRect(0, 0, w, h);
        g.setFont(SMALL);
        if (data == null || data.points().isEmpty()) {
            g.setFill(muted);
            g.setTextAlign(TextAlignment.CENTER);
            g.fillText(data == null ? "Loading history\u2026" : "No history in this range yet (a sample every 5 s while the engine runs)", w / 2, h / 2);
            return;
        }
        List<UsageHistory.UsagePoint> pts = data.points();
        Panel[] panels = {
            new Panel("Lag (records)", p -> p.lagRecords(), Color.web("#bf8700"), TrendsCanvas::count),
            new Panel("Throughput (records/s)", UsageHistory.UsagePoint::ratePerSec, Color.web("#0969da"), v -> String.format(Locale.ROOT, "%.0f", v)),
            new Panel("CPU (% of a core)", UsageHistory.UsagePoint::cpuPercent, Color.web("#8250df"), v -> String.format(Locale.ROOT, "%.0f%%", v)),
            new Panel("Memory", p -> p.memoryBytes(), Color.web("#1a7f37"), v -> Fmt.bytes((long) v)),
        };
        double left = 64, right = 56, top = 6, gap = 22, bottomAxis = 20;
        double ph = (h - top - bottomAxis - gap * panels.length) / panels.length;
        long from = data.fromMs(), to = data.toMs();
        double pw = w - left - right;
        long gapMs = Math.max(3 * data.bucketMs(), 150_000L);
        for (int k = 0; k < panels.length; k++) {
            Panel p = panels[k];
            double y0 = top + k * (ph + gap) + gap - 4;
            double max = 0;
            for (UsageHistory.UsagePoint q : pts) max = Math.max(max, p.value().applyAsDouble(q));
            max = niceCeil(max);
            g.setFill(fg);
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.BOTTOM);
            g.fillText(p.title(), left, y0 - 2);
            // grid and left axis
            g.setStroke(grid);
            g.setLineWidth(1);
            g.setTextAlign(TextAlignment.RIGHT);
            g.setTextBaseline(VPos.CENTER);
            for (int i = 0; i <= 2; i++) {
                double y = y0 + ph - ph * i / 2.0;
                g.strokeLine(left, Math.round(y) + 0.5, left + pw, Math.round(y) + 0.5);
                g.setFill(muted);
                g.fillText(p.fmt().apply(max * i / 2.0), left - 6, y);
            }
            // the series: a filled area under a line
            g.setStroke(p.color());
            g.setLineWidth(1.6);
            g.beginPath();
            long prev = Long.MIN_VALUE;
            for (UsageHistory.UsagePoint q : pts) {
                double x = left + pw * (q.timeMs() - from) / (double) (to - from);
                double y = y0 + ph - (max <= 0 ? 0 : ph * p.value().applyAsDouble(q) / max);
                if (prev == Long.MIN_VALUE || q.timeMs() - prev > gapMs) g.moveTo(x, y);
                else g.lineTo(x, y);
                prev = q.timeMs();
            }
            g.stroke();
            // the area under each unbroken run
            g.setFill(p.color().deriveColor(0, 1, 1, 0.12));
            int i = 0;
            while (i < pts.size()) {
                int j = i;
                while (j + 1 < pts.size() && pts.get(j + 1).timeMs() - pts.get(j).timeMs() <= gapMs) j++;
                g.beginPath();
                double x0 = left + pw * (pts.get(i).timeMs() - from) / (double) (to - from);
                g.moveTo(x0, y0 + ph);
                double xj = x0;
                for (int k2 = i; k2 <= j; k2++) {
                    UsageHistory.UsagePoint q = pts.get(k2);
                    xj = left + pw * (q.timeMs() - from) / (double) (to - from);
                    g.lineTo(xj, y0 + ph - (max <= 0 ? 0 : ph * p.value().applyAsDouble(q) / max));
                }
                g.lineTo(xj, y0 + ph);
                g.closePath();
                g.fill();
                i = j + 1;
            }
            if (k == 0) lagExtras(g, pts, from, to, left, pw, y0, ph, muted, gapMs);
        }
        // time axis
        SimpleDateFormat f = new SimpleDateFormat(to - from > 2 * 86_400_000L ? "EEE HH:mm" : to - from > 3_600_000L ? "HH:mm" : "HH:mm:ss");
        g.setFill(muted);
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.CENTER);
        double yAxis = h - bottomAxis + 4;
        for (int i = 0; i <= 6; i++) {
            long t = from + (to - from) * i / 6;
            g.fillText(f.format(new Date(t)), left + pw * i / 6.0, yAxis);
        }
    }

    /** Lag seconds on the right axis (dashed), restarts as red ticks on the lag panel. */
    private void lagExtras(GraphicsContext g, List<UsageHistory.UsagePoint> pts, long from, long to, double left, double pw, double y0, double ph, Color muted, long gapMs) {
        double maxS = 0;
        for (UsageHistory.UsagePoint q : pts) maxS = Math.max(maxS, q.lagSeconds());
        if (maxS > 0) {
            maxS = niceCeil(maxS);
            g.setStroke(Color.web("#bc4c00"));
            g.setLineWidth(1.2);
            g.setLineDashes(4, 3);
            g.beginPath();
            long prev = Long.MIN_VALUE;
            for (UsageHistory.UsagePoint q : pts) {
                double x = left + pw * (q.timeMs() - from) / (double) (to - from);
                double y = y0 + ph - ph * q.lagSeconds() / maxS;
                if (prev == Long.MIN_VALUE || q.timeMs() - prev > gapMs) g.moveTo(x, y);
                else g.lineTo(x, y);
                prev = q.timeMs();
            }
            g.stroke();
            g.setLineDashes(null);
            g.setFill(muted);
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.CENTER);
            for (int i = 0; i <= 2; i++) g.fillText(String.format(Locale.ROOT, maxS < 10 ? "%.1f s" : "%.0f s", maxS * i / 2.0), left + pw + 6, y0 + ph - ph * i / 2.0);
        }
        g.setStroke(Color.web("#cf222e"));
        g.setLineWidth(2);
        long restarts = 0;
        for (UsageHistory.UsagePoint q : pts) {
            if (q.restarts() <= 0) continue;
            restarts += q.restarts();
            double x = Math.round(left + pw * (q.timeMs() - from) / (double) (to - from)) + 0.5;
            g.strokeLine(x, y0 + ph, x, y0 + ph - Math.min(ph, 8 + 4 * q.restarts()));
        }
        g.setFill(restarts > 0 ? Color.web("#cf222e") : muted);
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.BOTTOM);
        g.fillText(Fmt.plural((int) restarts, "restart") + " \u00b7 lag seconds dashed, right axis", left + pw, y0 - 2);
    }

    static String count(double v) {
        if (v >= 1e6) return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        if (v >= 1e3) return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** 1, 2, 5 times a power of ten, at least {@code v}. */
    static double niceCeil(double v) {
        if (v <= 0) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) if (m * p >= v) return m * p;
        return 10 * p;
    }
}
