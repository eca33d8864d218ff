package io.sabot.ui.model;

import io.sabot.engine.Engine;
import io.sabot.engine.UsageHistory;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * An agent's history over a chosen range (live, 1h, 24h, 7d) for the trends charts: at most 360
 * points whatever the range (the engine downsamples), read on a background thread when the agent
 * or range changes and every {@value #REFRESH_SECONDS} s while the tab shows; nothing while hidden.
 */
public final class UsageModel {
    public static final int REFRESH_SECONDS = 5;
    private final Engine engine;
    private final Background bg;
    private final ObjectProperty<UsageHistory> history = new SimpleObjectProperty<>(this, "history");
    private final StringProperty range = new SimpleStringProperty(this, "range", "1h");
    private final StringProperty error = new SimpleStringProperty(this, "error");
    private String subject;
    private boolean active, wanted;
    private long lastLoad;
    private int request;

    public UsageModel(Engine engine, Background bg) {
        this.engine = engine;
        this.bg = bg;
        range.addListener(o -> {
            history.set(null);
            wanted = true;
            if (active) load();
        });
    }

    public ObjectProperty<UsageHistory> history() { return history; }

    public StringProperty range() { return range; }

    /** Why there is nothing to show (an engine without history), or null. */
    public StringProperty error() { return error; }

    /** Shows an agent's history (null: nothing). */
    public void show(String agent) {
        subject = agent == null ? null : "agent:" + agent;
        history.set(null);
        request++;
        wanted = subject != null;
        if (active && wanted) load();
    }

    public void setActive(boolean on) {
        active = on;
        if (on && subject != null) load();
    }

    public void tick(long nowNanos) {
        if (!active || subject == null) return;
        if (wanted || nowNanos - lastLoad > REFRESH_SECONDS * 1_000_000_000L) load();
    }

    private void load() {
        wanted = false;
        lastLoad = System.nanoTime();
        String s = subject, r = range.get();
        if (s == null) return;
        int req = ++request;
        bg.read(() -> engine.usageHistory(s, r), h -> {
            if (req != request) return;
            error.set(null);
            history.set(h);
        }, err -> {
            if (req == request) error.set(err.getMessage());
        });
    }
}
