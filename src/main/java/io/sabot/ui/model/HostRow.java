package io.sabot.ui.model;

import io.sabot.multihost.HostState;
import io.sabot.multihost.HostView;
import java.util.Locale;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One host of the Hosts list, updated in place; FX thread only. */
public final class HostRow {
    private final String label;
    private final String url;
    private final boolean primary;
    public final ObjectProperty<HostState.Kind> kind = new SimpleObjectProperty<>(this, "kind", HostState.Kind.CONNECTING);
    /** "connected", "reconnecting (attempt 2)", "unreachable". */
    public final StringProperty state = new SimpleStringProperty(this, "state", "");
    /** Why it is not connected (one line), or "". */
    public final StringProperty reason = new SimpleStringProperty(this, "reason", "");
    public final StringProperty version = new SimpleStringProperty(this, "version", "\u2014");
    /** "CPU 12 % · 3.1 GiB / 15.6 GiB". */
    public final StringProperty load = new SimpleStringProperty(this, "load", "\u2014");
    /** "5 running / 6". */
    public final StringProperty instances = new SimpleStringProperty(this, "instances", "\u2014");

    HostRow(String label, String url, boolean primary) {
        this.label = label;
        this.url = url;
        this.primary = primary;
    }

    public String label() { return label; }

    /** Its ssh:// address, or "(this console's engine)" for the primary. */
    public String address() { return url == null ? "(the console's own engine)" : url; }

    public boolean primary() { return primary; }

    void apply(HostView v) {
        HostState s = v.state();
        set(kind, s.state());
        set(state, s.state() == HostState.Kind.RECONNECTING && s.attempts() > 0 ? "reconnecting (attempt " + (s.attempts() + 1) + ")" : s.state().label);
        set(reason, s.connected() || s.reason() == null ? "" : s.reason());
        set(version, v.version() == null ? "\u2014" : v.version() + (v.pid() > 0 ? " \u00b7 pid " + v.pid() : ""));
        String l = v.cpuPercent() < 0 ? "\u2014" : String.format(Locale.ROOT, "CPU %.0f %%", v.cpuPercent());
        if (v.memUsed() >= 0) l += " \u00b7 " + Fmt.bytes(v.memUsed()) + (v.memTotal() > 0 ? " / " + Fmt.bytes(v.memTotal()) : "");
        set(load, l);
        set(instances, s.connected() || v.instances() > 0 ? v.running() + " running / " + v.instances() : "\u2014");
    }

    private static <T> void set(ObjectProperty<T> p, T v) {
        if (!java.util.Objects.equals(p.get(), v)) p.set(v);
    }

    private static void set(StringProperty p, String v) {
        if (!java.util.Objects.equals(p.get(), v)) p.set(v);
    }
}
