package io.sabot.ui.partitions;

import io.sabot.engine.PartitionView;
import io.sabot.ui.kit.ResizableCanvas;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Orientation;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Tooltip;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;
import javafx.util.Duration;

/**
 * One topic's partitions as a grid of cells on a Canvas, each coloured by its owner. Cells that
 * moved in the last rebalance get a thick outline that pulses for a few seconds. A partition
 * whose new owner is restoring its state says "restoring 43 %" with a bar along the cell's foot.
 */
public final class TopicMap extends ResizableCanvas {
    // cell size by partition count: labelled cells for ordinary topics, small swatches for huge
    // ones, so the canvas stays a few thousand pixels tall even at 100,000 partitions
    private double CELL_W = 46, CELL_H = 34, GAP = 5;
    private boolean labels = true;

    private void sizeCells(int n) {
        if (n <= 64) { CELL_W = 84; CELL_H = 56; GAP = 8; labels = true; } // a small topic gets cells you can read across a room
        else if (n <= 512) { CELL_W = 46; CELL_H = 34; GAP = 5; labels = true; }
        else if (n <= 4096) { CELL_W = 16; CELL_H = 16; GAP = 2; labels = false; }
        else if (n <= 20_000) { CELL_W = 5; CELL_H = 5; GAP = 1; labels = false; }
        else { CELL_W = 3; CELL_H = 3; GAP = 1; labels = false; }
    }
    private static final long PULSE_NANOS = 4_000_000_000L;

    private List<PartitionView> parts = new ArrayList<>();
    private java.util.Map<String, Integer> hosts = java.util.Map.of(); // a Kafka-coordinated lane's owner hosts (Owners)
    /** Percent restored by partition, for partitions restoring their state now. */
    private java.util.Map<Integer, Integer> restoring = java.util.Map.of();
    private long movedSince;
    private boolean dark;
    private double pulsePhase;
    private final Tooltip tip = new Tooltip();
    private int hover = -1;
    private final Font font = Font.font("System", FontWeight.BOLD, 12);
    private final Font small = Font.font("System", 9.5);

    public TopicMap() {
        getStyleClass().add("topic-map");
        tip.setShowDelay(Duration.millis(100));
        tip.setHideDelay(Duration.millis(50));
        canvas.setOnMouseMoved(e -> {
            int i = cellAt(e.getX(), e.getY());
            if (i == hover) return;
            hover = i;
            markDirty();
            if (i < 0) {
                tip.hide();
                return;
            }
            PartitionView p = parts.get(i);
            tip.setText(p.topic() + " [" + p.partition() + "]" + (p.group() == null ? "" : "\ngroup  " + p.group())
                    + (p.cluster() == null ? "" : "\ncluster  " + p.cluster() + (p.reachable() ? "" : " (unreachable)"))
                    + "\nowner  " + (p.owner() == null ? "unassigned" : p.kafkaCoordinated() ? Owners.instance(p) : p.owner())
                    + (p.owner() != null && p.host() != null ? "\nhost  " + p.host() : "")
                    + (p.kafkaCoordinated() ? "\ncoordinated by Kafka" : "")
                    + "\ncommitted offset  " + p.committedOffset() + "\nend offset  " + p.logEndOffset() + "\nlag  " + p.lag()
                    + (p.lagSeconds() != null && p.lag() > 0 ? String.format(java.util.Locale.ROOT, " (%.1f s)", p.lagSeconds()) : "")
                    + "\nrate  " + String.format(java.util.Locale.ROOT, "%.1f", p.ratePerSec()) + " msgs/s"
                    + "\nepoch  " + p.epoch() + (p.moved() ? "\nmoved in the last rebalance" : "")
                    + (restoring.containsKey(p.partition()) ? "\nrestoring state  " + restoring.get(p.partition()) + " %" : ""));
            tip.show(canvas, e.getScreenX() + 14, e.getScreenY() + 14);
        });
        canvas.setOnMouseExited(e -> {
            hover = -1;
            tip.hide();
            markDirty();
        });
    }

    @Override
    public Orientation getContentBias() { return Orientation.HORIZONTAL; }

    @Override
    protected double computePrefHeight(double width) {
        double w = width > 0 ? width : getWidth() > 0 ? getWidth() : 600;
        int cols = Math.max(1, (int) ((w + GAP) / (CELL_W + GAP)));
        int rows = Math.max(1, (parts.size() + cols - 1) / cols);
        return rows * (CELL_H + GAP);
    }

    @Override
    protected double computePrefWidth(double height) { return 400; }

    public void setData(List<PartitionView> p) {
        boolean newMoves = p.stream().anyMatch(PartitionView::moved)
                && (parts.size() != p.size() || !sameMoves(parts, p) || epoch(p) != epoch(parts));
        int before = parts.size();
        parts = p;
        hosts = Owners.hosts(p);
        sizeCells(p.size());
        if (newMoves) {
            movedSince = System.nanoTime();
            pulser.start(); // frames only while the outline pulses, then it stops itself
        }
        if (before != p.size()) requestLayout();
        markDirty();
    }

    private static long epoch(List<PartitionView> p) {
        long e = 0;
        for (PartitionView v : p) e = Math.max(e, v.epoch());
        return e;
    }

    private static boolean sameMoves(List<PartitionView> a, List<PartitionView> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) if (a.get(i).moved() != b.get(i).moved()) return false;
        return true;
    }

    /** Partitions restoring their state now, with the percent restored. */
    public void setRestoring(java.util.Map<Integer, Integer> r) {
        if (r.equals(restoring)) return;
        restoring = java.util.Map.copyOf(r);
        markDirty();
    }

    /** The restore percents shown (tests). */
    public java.util.Map<Integer, Integer> restoring() { return restoring; }

    public void setDark(boolean d) {
        dark = d;
        markDirty();
    }

    private int cols(double w) { return Math.max(1, (int) ((w + GAP) / (CELL_W + GAP))); }

    private int cellAt(double x, double y) {
        int cols = cols(canvas.getWidth());
        int c = (int) (x / (CELL_W + GAP)), r = (int) (y / (CELL_H + GAP));
        if (c >= cols || x - c * (CELL_W + GAP) > CELL_W || y - r * (CELL_H + GAP) > CELL_H) return -1;
        int i = r * cols + c;
        return i < parts.size() ? i : -1;
    }

    /** Runs only for the few seconds the moved cells pulse; the console has no permanent animation. */
    private final javafx.animation.AnimationTimer pulser = new javafx.animation.AnimationTimer() {
        @Override
        public void handle(long now) {
            tick(now);
            if (pulsePhase == 0) stop();
        }
    };

    /** Keeps the moved-cells pulse going while it lasts; redraws when something changed. */
    public void tick(long now) {
        if (movedSince != 0 && now - movedSince < PULSE_NANOS) {
            pulsePhase = ((now - movedSince) % 800_000_000L) / 800_000_000.0;
            markDirty();
        } else if (pulsePhase != 0) {
            pulsePhase = 0;
            markDirty();
        }
        redrawIfDirty();
    }

    @Override
    protected void draw(double w, double h) {
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, w, h);
        int cols = cols(w);
        Color fg = dark ? Color.web("#e6edf3") : Color.web("#1f2328");
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        for (int i = 0; i < parts.size(); i++) {
            PartitionView p = parts.get(i);
            double x = (i % cols) * (CELL_W + GAP), y = (i / cols) * (CELL_H + GAP);
            Color c = Owners.color(p, hosts);
            if (i == hover) c = c.deriveColor(0, 1, dark ? 1.25 : 0.85, 1);
            g.setFill(c);
            if (!labels) {
                g.fillRect(x, y, CELL_W, CELL_H);
                Integer rp = restoring.get(p.partition());
                if (rp != null) { // restoring: the part still to restore is washed out
                    g.setFill(Color.web(dark ? "#0d1117" : "#ffffff", 0.6));
                    g.fillRect(x, y + CELL_H * rp / 100.0, CELL_W, CELL_H * (100 - rp) / 100.0);
                }
                if (p.moved()) {
                    g.setStroke(fg);
                    g.setLineWidth(1.5);
                    g.strokeRect(x + 0.75, y + 0.75, CELL_W - 1.5, CELL_H - 1.5);
                }
                continue;
            }
            g.fillRoundRect(x, y, CELL_W, CELL_H, 6, 6);
            if (p.owner() == null) {
                g.setStroke(Color.web("#ffffff", 0.5));
                g.setLineWidth(1);
                g.save();
                g.beginPath();
                g.rect(x, y, CELL_W, CELL_H);
                g.clip();
                for (double d = -CELL_H; d < CELL_W; d += 7) g.strokeLine(x + d, y + CELL_H, x + d + CELL_H, y);
                g.restore();
            }
            Color tc = Palette.textOn(c);
            Integer pct = restoring.get(p.partition());
            if (pct != null) {
                // restoring: the state comes first, so the cell says so instead of its lag
                double bh = 4;
                g.setFill(tc.deriveColor(0, 1, 1, 0.25));
                g.fillRect(x + 4, y + CELL_H - bh - 4, CELL_W - 8, bh);
                g.setFill(tc);
                g.fillRect(x + 4, y + CELL_H - bh - 4, (CELL_W - 8) * Math.max(0, Math.min(100, pct)) / 100.0, bh);
                g.setFont(font);
                g.fillText(Integer.toString(p.partition()), x + CELL_W / 2, y + CELL_H / 2 - 8);
                g.setFont(small);
                g.fillText(CELL_W >= 80 ? "restoring " + pct + " %" : pct + " %", x + CELL_W / 2, y + CELL_H / 2 + 6);
            } else {
                g.setFill(tc);
                g.setFont(font);
                // big cells of a lane across hosts: the owner's host under the number (smaller cells: the tooltip)
                String host = !hosts.isEmpty() && CELL_H >= 56 && p.host() != null ? p.host() : null;
                double top = y + CELL_H / 2 - (host != null ? (p.lag() > 0 ? 12 : 6) : p.lag() > 0 ? 5 : 0);
                g.fillText(Integer.toString(p.partition()), x + CELL_W / 2, top);
                g.setFont(small);
                g.setFill(tc.deriveColor(0, 1, 1, 0.85));
                if (host != null) g.fillText(fit(host, CELL_W - 6), x + CELL_W / 2, top + 13);
                if (p.lag() > 0) g.fillText("lag " + compact(p.lag()), x + CELL_W / 2, host != null ? top + 25 : y + CELL_H / 2 + 9);
            }
            if (p.moved()) {
                double a = pulsePhase == 0 ? 1 : 0.35 + 0.65 * Math.abs(Math.sin(pulsePhase * Math.PI));
                g.setStroke(fg.deriveColor(0, 1, 1, a));
                g.setLineWidth(3);
                g.strokeRoundRect(x + 1.5, y + 1.5, CELL_W - 3, CELL_H - 3, 6, 6);
            }
        }
    }

    /** A host name cut to about {@code w} pixels of the small font (5.5 px a character), with an ellipsis. */
    private static String fit(String s, double w) {
        int max = Math.max(3, (int) (w / 5.5));
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    private static String compact(long n) {
        if (n < 1000) return Long.toString(n);
        if (n < 1_000_000) return String.format(java.util.Locale.ROOT, "%.1fk", n / 1000.0);
        return String.format(java.util.Locale.ROOT, "%.1fM", n / 1e6);
    }

    public List<PartitionView> data() { return parts; }

}
