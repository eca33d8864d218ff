package io.sabot.ui;

import static io.sabot.ui.ConsoleHarness.fx;
import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.PartitionView;
import io.sabot.telemetry.SpanView;
import io.sabot.ui.model.TraceStore;
import io.sabot.ui.partitions.TopicMap;
import io.sabot.ui.traces.GanttCanvas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

/** The canvases stay viewport-sized at the spec's extremes (5,000 spans, 100,000 partitions). */
class CanvasScaleTest {
    @Test
    void hugeTraceAndTopicDrawWithinBoundedCanvases() throws Exception {
        FxToolkit.registerPrimaryStage();
        List<SpanView> spans = new ArrayList<>();
        long t0 = System.currentTimeMillis() * 1_000_000L;
        spans.add(new SpanView("t", "root", null, "restart (5000 instances)", t0, 9_000_000_000L, "OK", Map.of()));
        for (int i = 0; i < 5000; i++) {
            spans.add(new SpanView("t", "s" + i, "root", "restart a-" + i, t0 + i * 1_000_000L, 50_000_000L, i % 97 == 0 ? "ERROR" : "OK", Map.of()));
        }
        List<PartitionView> parts = new ArrayList<>();
        for (int p = 0; p < 100_000; p++) parts.add(new PartitionView("big", p, "c-" + (p % 7), 1, p, 0, 1, p % 1000 == 0));
        double[] size = fx(() -> {
            TraceStore store = new TraceStore();
            store.mergeSpans(spans);
            GanttCanvas g = new GanttCanvas();
            g.setTrace(store.get("t"), false);
            TopicMap m = new TopicMap();
            m.setData(parts);
            Stage s = new Stage();
            s.setScene(new Scene(new StackPane(g), 1000, 700));
            s.show();
            g.redrawIfDirty();
            g.scrollBar().setValue(g.scrollBar().getMax());
            g.redrawIfDirty();
            double gh = g.canvas().getHeight(), sb = g.scrollBar().getMax();
            s.setScene(new Scene(new javafx.scene.control.ScrollPane(m), 1000, 700));
            ((javafx.scene.control.ScrollPane) s.getScene().getRoot()).setFitToWidth(true);
            s.getScene().getRoot().applyCss();
            s.getScene().getRoot().layout();
            m.redrawIfDirty();
            double mh = m.canvas().getHeight();
            s.close();
            return new double[]{gh, sb, mh, g.rowCount()};
        });
        assertThat(size[3]).isEqualTo(5001);
        assertThat(size[0]).isLessThanOrEqualTo(700);
        assertThat(size[1]).isGreaterThan(100_000); // scrolls through all rows instead
        assertThat(size[2]).isBetween(1.0, 8192.0);
    }
}
