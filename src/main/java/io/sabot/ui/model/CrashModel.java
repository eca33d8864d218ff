package io.sabot.ui.model;

import io.sabot.engine.CrashReport;
import io.sabot.engine.Engine;
import io.sabot.engine.Selection;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The last crash of the shown instance ({@code agents why}), for the detail pane's crash card.
 * Read on a background thread when the shown instance changes, and again (at most twice a
 * second) after its state or restart count changed; nothing while inactive.
 */
public final class CrashModel {
    private final Engine engine;
    private final Background bg;
    private final ObjectProperty<CrashReport> report = new SimpleObjectProperty<>(this, "report");
    private String id;
    private boolean active, wanted;
    private long lastLoad;
    private int request;

    public CrashModel(Engine engine, Background bg) {
        this.engine = engine;
        this.bg = bg;
    }

    public ObjectProperty<CrashReport> report() { return report; }

    /** Shows an instance's last crash (null: an agent or nothing is shown). */
    public void show(String instanceId) {
        id = instanceId;
        report.set(null);
        request++;
        wanted = instanceId != null;
        if (active && wanted) load();
    }

    public void setActive(boolean on) {
        active = on;
        if (on && wanted) load();
    }

    /** The shown instance changed state or restarted: read again soon. */
    public void invalidate() { wanted = id != null; }

    public void tick(long nowNanos) {
        if (active && wanted && nowNanos - lastLoad > 500_000_000L) load();
    }

    private void load() {
        wanted = false;
        lastLoad = System.nanoTime();
        String want = id;
        int req = ++request;
        bg.read(() -> {
            try {
                return engine.why(Selection.of(want)).stream().filter(r -> r.instance().equals(want)).findFirst().orElse(null);
            } catch (RuntimeException e) {
                return null; // removed meanwhile, or an engine without forensics
            }
        }, r -> {
            if (req == request) report.set(r);
        }, err -> { });
    }
}
