package io.sabot.ui.traces;

import io.sabot.telemetry.SpanView;
import io.sabot.ui.model.Fmt;
import io.sabot.ui.kit.ResizableCanvas;
import io.sabot.ui.model.TraceEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseButton;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

/**
 * A trace as a Gantt chart on a Canvas: one row per span in tree order (children indented under
 * their parent), bars placed by start and duration, errors in red. Mouse wheel zooms around the
 * pointer, dragging pans, a click selects a span.
 */
public final class GanttCanvas extends ResizableCanvas {
    static final double ROW = 24, HEADER = 28, INDENT = 14, PAD = 60;
    /** Width of the span-name column: a third of the canvas, 160..300 px. */
    private double labelW = 260;

    /** A span placed in the tree. */
    record Row(SpanView span, int depth) { }

    private final List<Row> rows = new ArrayList<>();
    /** The critical path: per span id, the stretches [start, end) ns when it was the blocker. */
    private Map<String, List<long[]>> critical = Map.of();
    private long t0, total = 1;
    private double pxPerNs = -1; // < 0: fit on next draw
    private double offsetNs;
    private SpanView selected;
    private Consumer<SpanView> onSelect = s -> { };
    private double dragX = Double.NaN, dragOffset;
    private boolean dark;
    private final Font font = Font.font("System", 12);
    private final Font bold = Font.font("System", FontWeight.BOLD, 12);
    private final Font small = Font.font("System", 10.5);

    /** Vertical scrolling: the canvas is only as tall as its viewport and draws the visible rows. */
    private final javafx.scene.control.ScrollBar scroll = new javafx.scene.control.ScrollBar();

    public javafx.scene.control.ScrollBar scrollBar() { return scroll; }

    private double contentHeight() { return HEADER + rows.size() * ROW + 8; }

    public GanttCanvas() {
        getStyleClass().add("gantt");
        setMinHeight(120);
        scroll.setOrientation(javafx.geometry.Orientation.VERTICAL);
        scroll.setMin(0);
        scroll.setUnitIncrement(ROW);
        scroll.valueProperty().addListener(o -> markDirty());
        scroll.visibleProperty().bind(scroll.maxProperty().greaterThan(0));
        scroll.managedProperty().bind(scroll.visibleProperty());
        heightProperty().addListener(o -> {
            scroll.setMax(Math.max(0, contentHeight() - getHeight()));
            scroll.setVisibleAmount(getHeight());
        });
        canvas.setOnScroll(e -> {
            if (rows.isEmpty() || e.getDeltaY() == 0) return;
            zoom(e.getDeltaY() > 0 ? 1.25 : 0.8, e.getX());
            e.consume();
        });
        canvas.setOnMousePressed(e -> {
            dragX = e.getX();
            dragOffset = offsetNs;
        });
        canvas.setOnMouseDragged(e -> {
            if (Double.isNaN(dragX) || pxPerNs <= 0) return;
            offsetNs = clampOffset(dragOffset - (e.getX() - dragX) / pxPerNs);
            markDirty();
        });
        canvas.setOnMouseReleased(e -> dragX = Double.NaN);
        canvas.setOnMouseClicked(e -> {
            if (e.getButton() != MouseButton.PRIMARY || !e.isStillSincePress()) return;
            int i = (int) ((e.getY() + scroll.getValue() - HEADER) / ROW);
            SpanView s = i >= 0 && i < rows.size() && e.getY() >= HEADER ? rows.get(i).span() : null;
            select(s);
        });
    }

    public void setOnSelect(Consumer<SpanView> c) { onSelect = c; }

    /** Highlights the chain of spans that decided the trace's length (null or empty: none). */
    public void setCriticalPath(io.sabot.telemetry.CriticalPath cp) {
        Map<String, List<long[]>> m = new HashMap<>();
        if (cp != null) {
            for (io.sabot.telemetry.CriticalPath.Segment seg : cp.segments()) {
                m.computeIfAbsent(seg.span().spanId(), k -> new ArrayList<>()).add(new long[] {seg.startNanos(), seg.endNanos()});
            }
        }
        critical = m;
        markDirty();
    }

    /** Whether a span is on the highlighted critical path (tests). */
    public boolean onCriticalPath(String spanId) { return critical.containsKey(spanId); }

    public void setDark(boolean d) {
        dark = d;
        markDirty();
    }

    public void setTrace(TraceEntry t, boolean keepView) {
        rows.clear();
        if (t != null) layoutRows(t.spans());
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (Row r : rows) {
            lo = Math.min(lo, r.span().startEpochNanos());
            hi = Math.max(hi, r.span().startEpochNanos() + r.span().durationNanos());
        }
        t0 = rows.isEmpty() ? 0 : lo;
        total = rows.isEmpty() ? 1 : Math.max(1, hi - lo);
        if (!keepView) {
            pxPerNs = -1;
            offsetNs = 0;
            selected = null;
        }
        scroll.setMax(Math.max(0, contentHeight() - getHeight()));
        if (!keepView) scroll.setValue(0);
        markDirty();
    }

    /** Depth-first, children by start time, so a parent's work reads top to bottom. */
    private void layoutRows(List<SpanView> spans) {
        Map<String, List<SpanView>> kids = new HashMap<>();
        Set<String> ids = new HashSet<>();
        for (SpanView s : spans) ids.add(s.spanId());
        List<SpanView> roots = new ArrayList<>();
        for (SpanView s : spans) {
            if (TraceEntry.isRoot(s) || !ids.contains(s.parentSpanId())) roots.add(s);
            else kids.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
        }
        Comparator<SpanView> byStart = Comparator.comparingLong(SpanView::startEpochNanos);
        roots.sort(byStart);
        kids.values().forEach(l -> l.sort(byStart));
        for (SpanView r : roots) walk(r, 0, kids, new HashSet<>());
    }

    private void walk(SpanView s, int depth, Map<String, List<SpanView>> kids, Set<String> seen) {
        if (!seen.add(s.spanId())) return;
        rows.add(new Row(s, depth));
        for (SpanView c : kids.getOrDefault(s.spanId(), List.of())) walk(c, depth + 1, kids, seen);
    }

    public void zoom(double factor, double aroundX) {
        if (rows.isEmpty()) return;
        double w = canvas.getWidth();
        ensureScale(w);
        double x = Double.isNaN(aroundX) ? labelW + (w - labelW - PAD) / 2 : Math.max(labelW, aroundX);
        double nsAt = offsetNs + (x - labelW) / pxPerNs;
        double min = (w - labelW - PAD) / total; // whole trace visible
        pxPerNs = Math.max(min, Math.min(pxPerNs * factor, 50.0)); // at most 50 px per ns
        offsetNs = clampOffset(nsAt - (x - labelW) / pxPerNs);
        markDirty();
    }

    public void fit() {
        pxPerNs = -1;
        offsetNs = 0;
        markDirty();
    }

    private double clampOffset(double o) {
        double visible = (canvas.getWidth() - labelW - PAD) / pxPerNs;
        return Math.max(0, Math.min(o, Math.max(0, total - visible)));
    }

    private void ensureScale(double w) {
        if (pxPerNs <= 0) pxPerNs = Math.max(1e-12, (w - labelW - PAD) / total);
    }

    public void select(SpanView s) {
        selected = s;
        onSelect.accept(s);
        markDirty();
    }

    public SpanView selected() { return selected; }

    public int rowCount() { return rows.size(); }

    /** Spans in display order (tests). */
    public List<SpanView> rowsForTest() { return rows.stream().map(Row::span).toList(); }

    @Override
    protected void draw(double w, double h) {
        double labels = Math.max(160, Math.min(300, w * 0.32));
        if (labels != labelW) {
            labelW = labels;
            pxPerNs = -1;
        }
        GraphicsContext g = canvas.getGraphicsContext2D();
        Color bg = dark ? Color.web("#0d1117") : Color.WHITE;
        Color fg = dark ? Color.web("#e6edf3") : Color.web("#1f2328");
        Color muted = dark ? Color.web("#7d8590") : Color.web("#656d76");
        Color grid = dark ? Color.web("#21262d") : Color.web("#eaeef2");
        Color accent = dark ? Color.web("#2f81f7") : Color.web("#0969da");
        Color danger = dark ? Color.web("#f85149") : Color.web("#cf222e");
        g.setFill(bg);
        g.fillRect(0, 0, w, h);
        g.setTextBaseline(VPos.CENTER);
        if (rows.isEmpty()) {
            g.setFill(muted);
            g.setFont(font);
            g.setTextAlign(TextAlignment.CENTER);
            g.fillText("Select a trace on the left to see its spans on a timeline.", w / 2, Math.min(h / 2, 80));
            g.setTextAlign(TextAlignment.LEFT);
            return;
        }
        ensureScale(w);
        double tw = w - labelW - PAD;
        // ruler: about 6 ticks at a round step
        double visibleNs = tw / pxPerNs;
        double step = niceStep(visibleNs / Math.max(2, tw / 110));
        g.setFont(small);
        g.setStroke(grid);
        g.setLineWidth(1);
        double first = Math.ceil(offsetNs / step) * step;
        for (double t = first; t <= offsetNs + visibleNs + 1; t += step) {
            double x = labelW + (t - offsetNs) * pxPerNs;
            g.strokeLine(Math.round(x) + 0.5, HEADER - 6, Math.round(x) + 0.5, h);
            g.setFill(muted);
            g.fillText("+" + Fmt.nanos((long) t), x + 3, HEADER / 2);
        }
        g.setStroke(grid);
        g.strokeLine(0, HEADER - 0.5, w, HEADER - 0.5);
        g.strokeLine(labelW - 0.5, 0, labelW - 0.5, h);
        double sy = scroll.getValue();
        int firstRow = Math.max(0, (int) (sy / ROW));
        g.save();
        g.beginPath();
        g.rect(0, HEADER, w, h - HEADER);
        g.clip();
        for (int i = firstRow; i < rows.size(); i++) {
            Row r = rows.get(i);
            SpanView s = r.span();
            double y = HEADER + i * ROW - sy;
            if (y > h) break;
            boolean sel = s == selected || (selected != null && s.spanId().equals(selected.spanId()));
            if (sel) {
                g.setFill(accent.deriveColor(0, 1, 1, 0.12));
                g.fillRect(0, y, w, ROW);
            }
            boolean err = "ERROR".equalsIgnoreCase(s.status());
            // label column
            g.setFont(r.depth() == 0 ? bold : font);
            g.setFill(err ? danger : fg);
            double lx = 10 + r.depth() * INDENT;
            if (r.depth() > 0) {
                g.setStroke(grid);
                g.strokeLine(lx - 8, y + 2, lx - 8, y + ROW / 2);
                g.strokeLine(lx - 8, y + ROW / 2, lx - 3, y + ROW / 2);
            }
            g.save();
            g.beginPath();
            g.rect(0, y, labelW - 8, ROW);
            g.clip();
            g.fillText(s.name(), lx, y + ROW / 2);
            g.restore();
            // bar
            double x0 = labelW + (s.startEpochNanos() - t0 - offsetNs) * pxPerNs;
            double bw = Math.max(2, s.durationNanos() * pxPerNs);
            g.save();
            g.beginPath();
            g.rect(labelW, y, w - labelW, ROW);
            g.clip();
            Color c = err ? danger : accent;
            g.setFill(r.depth() == 0 ? c : c.deriveColor(0, 0.85, 1.1, 0.85));
            g.fillRoundRect(x0, y + 5, bw, ROW - 10, 4, 4);
            List<long[]> path = critical.get(s.spanId());
            if (path != null) {
                // the stretches when this span held the trace up: a strip along the bottom of the bar
                Color cp = dark ? Color.web("#f0883e") : Color.web("#bc4c00");
                g.setStroke(cp);
                g.setLineWidth(1.5);
                g.strokeRoundRect(x0, y + 5, bw, ROW - 10, 4, 4);
                g.setLineWidth(1);
                g.setFill(cp);
                for (long[] seg : path) {
                    double sx = labelW + (seg[0] - t0 - offsetNs) * pxPerNs;
                    double sw = Math.max(2, (seg[1] - seg[0]) * pxPerNs);
                    g.fillRect(sx, y + ROW - 8, sw, 4);
                }
            }
            if (sel) {
                g.setStroke(fg);
                g.setLineWidth(1.5);
                g.strokeRoundRect(x0, y + 5, bw, ROW - 10, 4, 4);
                g.setLineWidth(1);
            }
            String d = Fmt.nanos(s.durationNanos());
            g.setFont(small);
            if (bw > 70) {
                g.setFill(Color.WHITE);
                g.fillText(d, x0 + 6, y + ROW / 2);
            } else {
                g.setFill(muted);
                g.fillText(d, x0 + bw + 5, y + ROW / 2);
            }
            g.restore();
        }
        g.restore();
    }

    private static double niceStep(double raw) {
        if (raw <= 0) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / p;
        return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
    }
}
