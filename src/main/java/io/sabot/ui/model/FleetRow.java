package io.sabot.ui.model;

import io.sabot.engine.InstanceState;
import java.util.List;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * A row of the agents tree: an agent (aggregate of its instances) or one instance. Properties
 * are updated in place on the FX thread; cells bind to them, so a live update repaints only what
 * changed and the table's items are never rebuilt.
 */
public abstract class FleetRow {
    protected final String name;
    public final ObjectProperty<InstanceState> state = new SimpleObjectProperty<>(this, "state", InstanceState.STOPPED);
    public final ObjectProperty<Long> pid = new SimpleObjectProperty<>(this, "pid");
    /** Percent of one core over the sampler's 10 s window; -1 when no process runs ("—"). */
    public final DoubleProperty cpu = new SimpleDoubleProperty(this, "cpu", -1);
    public final LongProperty memory = new SimpleLongProperty(this, "memory");
    public final IntegerProperty restarts = new SimpleIntegerProperty(this, "restarts");
    public final LongProperty uptimeMs = new SimpleLongProperty(this, "uptimeMs");
    /** 1 healthy, 0 unhealthy, -1 not applicable (not running); agents: count of healthy instances. */
    public final IntegerProperty healthy = new SimpleIntegerProperty(this, "healthy", -1);
    public final ObjectProperty<List<String>> partitions = new SimpleObjectProperty<>(this, "partitions", List.of());
    public final DoubleProperty rate = new SimpleDoubleProperty(this, "rate");
    public final StringProperty reason = new SimpleStringProperty(this, "reason");
    /** What the state badge says: "Running", or for agents "Running 3/3". */
    public final StringProperty stateText = new SimpleStringProperty(this, "stateText", "Stopped");
    /** Version bumped when any figure changed: lets a view re-sort only when needed. */
    public final IntegerProperty version = new SimpleIntegerProperty(this, "version");

    protected FleetRow(String name) { this.name = name; }

    public String name() { return name; }

    /** The host this row runs on (its name's label, else the console's primary host); set by {@link FleetModel}. */
    String host = "";

    public String host() { return host; }

    /** The name on its own host, without the host's label (the host column says it). */
    public String displayName() { return io.sabot.multihost.HostNames.localName(name); }

    public abstract boolean isAgent();

    public abstract String agent();

    /** Instances this row stands for (1, or the agent's count). */
    public abstract int instanceCount();

    protected static <T> boolean setIfChanged(ObjectProperty<T> p, T v) {
        if (java.util.Objects.equals(p.get(), v)) return false;
        p.set(v);
        return true;
    }

    protected static boolean setIfChanged(DoubleProperty p, double v) {
        if (Double.compare(p.get(), v) == 0) return false;
        p.set(v);
        return true;
    }

    protected static boolean setIfChanged(LongProperty p, long v) {
        if (p.get() == v) return false;
        p.set(v);
        return true;
    }

    protected static boolean setIfChanged(IntegerProperty p, int v) {
        if (p.get() == v) return false;
        p.set(v);
        return true;
    }

    protected static boolean setIfChanged(StringProperty p, String v) {
        if (java.util.Objects.equals(p.get(), v)) return false;
        p.set(v);
        return true;
    }

    public static String label(io.sabot.engine.InstanceState s) {
        String n = s.name();
        return n.charAt(0) + n.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() { return name; }
}
