package io.sabot.ui;

import io.sabot.ui.kit.ResizableCanvas;
import io.sabot.ui.model.MetricsRing;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;

/** A tiny area chart of the host's CPU or memory (last 5 minutes), drawn on a canvas. */
public final class Sparkline extends ResizableCanvas {
    private final boolean memory;
    private MetricsRing ring;
    private long max = 1;
    private Color stroke = Color.web("#0969da");

    public Sparkline(boolean memory) {
        this.memory = memory;
        setPrefSize(140, 30);
        setMinSize(80, 24);
        getStyleClass().add("sparkline");
    }

    public void setData(MetricsRing r, long maxValue) {
        ring = r;
        max = Math.max(1, maxValue);
        markDirty();
    }

    public void setStroke(Color c) {
        stroke = c;
        markDirty();
    }

    @Override
    protected void draw(double w, double h) {
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, w, h);
        g.setFill(stroke.deriveColor(0, 1, 1, 0.06));
        g.fillRoundRect(0, 0, w, h, 6, 6);
        if (ring == null || ring.size() < 2) {
            g.setStroke(stroke.deriveColor(0, 1, 1, 0.35));
            g.setLineDashes(3, 3);
            g.strokeLine(2, h - 2, w - 2, h - 2);
            g.setLineDashes((double[]) null);
            return;
        }
        int n = ring.size();
        long t1 = ring.time(n - 1), t0 = t1 - 300_000;
        double[] xs = new double[n + 2], ys = new double[n + 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            double v = memory ? ring.mem(i) : ring.cpu(i);
            double x = Math.max(0, (ring.time(i) - t0) / 300_000.0 * w);
            double y = h - 2 - Math.min(1, v / max) * (h - 4);
            xs[k] = x;
            ys[k++] = y;
        }
        xs[k] = xs[k - 1];
        ys[k++] = h;
        xs[k] = xs[0];
        ys[k++] = h;
        g.setFill(stroke.deriveColor(0, 1, 1, 0.18));
        g.fillPolygon(xs, ys, k);
        g.setStroke(stroke);
        g.setLineWidth(1.5);
        g.strokePolyline(xs, ys, n);
    }
}
