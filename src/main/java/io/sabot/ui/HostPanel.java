package io.sabot.ui;

import atlantafx.base.theme.Styles;
import io.sabot.engine.InstanceState;
import io.sabot.ui.kit.StateStyle;
import io.sabot.ui.model.FleetModel;
import io.sabot.ui.model.Fmt;
import io.sabot.ui.model.MetricsRing;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;

/** The header strip: host CPU and memory mini charts and instance counts by state. */
public final class HostPanel extends HBox {
    private final FleetModel model;
    private final Sparkline cpu = new Sparkline(false);
    private final Sparkline mem = new Sparkline(true);
    private final Label cpuValue = new Label("\u2014");
    private final Label memValue = new Label("\u2014");
    private long lastTick = -1;

    public HostPanel(FleetModel model) {
        this.model = model;
        getStyleClass().add("host-panel");
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(18);
        setPadding(new Insets(0, 4, 0, 4));
        cpu.setStroke(Color.web("#0969da"));
        mem.setStroke(Color.web("#8250df"));
        cpuValue.setId("host-cpu");
        memValue.setId("host-mem");
        getChildren().addAll(metric("Host CPU", cpu, cpuValue), metric("Host memory", mem, memValue));
        HBox chips = new HBox(6);
        chips.setAlignment(Pos.CENTER_LEFT);
        for (InstanceState s : new InstanceState[]{InstanceState.RUNNING, InstanceState.STARTING, InstanceState.STOPPING,
                InstanceState.BACKOFF, InstanceState.FAILED, InstanceState.STOPPED}) {
            Label chip = new Label();
            chip.setId("count-" + s.name().toLowerCase(java.util.Locale.ROOT));
            chip.getStyleClass().addAll("count-chip", StateStyle.cssClass(s));
            chip.setMinWidth(Region.USE_PREF_SIZE); // at 1280 px the sparklines give way, never the counts
            chip.textProperty().bind(model.count(s).asString(StateStyle.label(s) + "  %d"));
            // quiet states with zero instances fade; a non-zero FAILED/BACKOFF stands out
            chip.opacityProperty().bind(javafx.beans.binding.Bindings.when(model.count(s).isEqualTo(0)).then(0.45).otherwise(1.0));
            chips.getChildren().add(chip);
        }
        getChildren().add(chips);
    }

    private static VBox metric(String title, Sparkline chart, Label value) {
        Label t = new Label(title);
        t.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        value.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_BOLD);
        t.setMinWidth(Region.USE_PREF_SIZE);
        value.setMinWidth(Region.USE_PREF_SIZE);
        HBox head = new HBox(6, t, value);
        head.setAlignment(Pos.BASELINE_LEFT);
        VBox box = new VBox(2, head, chart);
        box.setAlignment(Pos.CENTER_LEFT);
        chart.setPrefSize(150, 26);
        chart.setMinWidth(40);
        return box;
    }

    /** Called by the pulse; redraws only after a new metrics snapshot. */
    public void tick() {
        long t = model.metricsTick.get();
        if (t != lastTick) {
            lastTick = t;
            MetricsRing r = model.hostRing();
            long total = model.hostMemoryTotal();
            cpu.setData(r, 100);
            mem.setData(r, total > 0 ? total : Math.max(1, r.lastMem()));
            if (r.size() > 0) {
                cpuValue.setText(String.format(java.util.Locale.ROOT, "%.0f %%", r.lastCpu()));
                memValue.setText(Fmt.bytes(r.lastMem()) + (total > 0 ? " / " + Fmt.bytes(total) : ""));
            }
        }
        cpu.redrawIfDirty();
        mem.redrawIfDirty();
    }
}
