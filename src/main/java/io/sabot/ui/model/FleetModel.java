package io.sabot.ui.model;

import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.MetricsSnapshot;
import io.sabot.engine.Transition;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.FleetSpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * What the console knows about the fleet, owned by the FX thread: one row object per agent and
 * instance, updated in place; host figures; counts by state. Rows are created or dropped only
 * when the fleet's shape changes ({@link #structure} then ticks).
 */
public final class FleetModel {
    private final Map<String, AgentRow> agents = new LinkedHashMap<>();
    private final Map<String, InstanceRow> instances = new LinkedHashMap<>();
    private final Map<InstanceState, IntegerProperty> counts = new EnumMap<>(InstanceState.class);
    /** Ticks when agents or instances were added or removed. */
    public final IntegerProperty structure = new SimpleIntegerProperty(this, "structure");
    /** Ticks when any row's figures changed (for throttled re-sorts and detail refreshes). */
    public final IntegerProperty figures = new SimpleIntegerProperty(this, "figures");
    /** Ticks on each metrics snapshot applied. */
    public final LongProperty metricsTick = new SimpleLongProperty(this, "metricsTick");
    public final ObjectProperty<FleetSpec> spec = new SimpleObjectProperty<>(this, "spec", new FleetSpec(List.of(), List.of()));
    private final MetricsRing host = new MetricsRing(300);
    private long hostMemTotal;
    private boolean dirtyAgents;
    private String primaryHost = "local";

    /** The label of the console's own host: rows whose names carry no host label run there. */
    public void setPrimaryHost(String label) { primaryHost = label; }

    public String primaryHost() { return primaryHost; }

    public FleetModel() {
        for (InstanceState s : InstanceState.values()) counts.put(s, new SimpleIntegerProperty(this, s.name()));
    }

    public IntegerProperty count(InstanceState s) { return counts.get(s); }

    public Map<String, AgentRow> agents() { return agents; }

    public Map<String, InstanceRow> instances() { return instances; }

    public InstanceRow instance(String id) { return instances.get(id); }

    public AgentRow agent(String name) { return agents.get(name); }

    public MetricsRing hostRing() { return host; }

    public long hostMemoryTotal() { return hostMemTotal; }

    public AgentSpec specOf(String agent) {
        for (AgentSpec a : spec.get().agents()) if (a.name().equals(agent)) return a;
        return null;
    }

    /** A full status poll: the truth about which instances exist and their figures. */
    public void applyStatus(List<InstanceStatus> all, long nowNanos) {
        boolean shape = false, ch = false;
        Set<String> seen = new HashSet<>();
        for (InstanceStatus s : all) {
            seen.add(s.id());
            InstanceRow row = instances.get(s.id());
            if (row == null) {
                row = new InstanceRow(s.agent(), s.instance(), s.id());
                row.host = io.sabot.multihost.HostNames.hostOf(s.id(), primaryHost);
                instances.put(s.id(), row);
                AgentRow a = agents.computeIfAbsent(s.agent(), n -> {
                    AgentRow r = new AgentRow(n);
                    r.host = io.sabot.multihost.HostNames.hostOf(n, primaryHost);
                    return r;
                });
                a.instances.add(row);
                a.dirty = true;
                row.owner = a;
                a.instances.sort(java.util.Comparator.comparingInt(InstanceRow::index));
                shape = true;
            }
            ch |= row.apply(s, nowNanos);
        }
        if (instances.size() != seen.size()) {
            instances.keySet().removeIf(id -> !seen.contains(id));
            for (AgentRow a : agents.values()) if (a.instances.removeIf(r -> !seen.contains(r.id()))) a.dirty = true;
            agents.values().removeIf(a -> a.instances.isEmpty());
            shape = true;
        }
        if (ch || shape) dirtyAgents = true;
        finish(shape);
    }

    /** The latest transition of each instance since the last pulse. */
    public void applyTransitions(Map<String, Transition> latest, long nowNanos) {
        for (Transition t : latest.values()) {
            InstanceRow row = instances.get(t.instance());
            if (row != null && row.apply(t, nowNanos)) dirtyAgents = true;
        }
        finish(false);
    }

    public void applyMetrics(List<MetricsSnapshot> snaps) {
        if (snaps.isEmpty()) return;
        for (MetricsSnapshot m : snaps) {
            if (m.hostCpuPercent() >= 0) { // another host's snapshot (io.sabot.multihost) carries -1: not this header's machine
                host.add(m.timeMs(), m.hostCpuPercent(), m.hostMemoryUsedBytes());
                hostMemTotal = m.hostMemoryTotalBytes();
            }
            if (m.instances() == null) continue;
            for (Map.Entry<String, MetricsSnapshot.InstanceMetrics> e : m.instances().entrySet()) {
                InstanceRow row = instances.get(e.getKey());
                if (row == null) continue;
                MetricsSnapshot.InstanceMetrics im = e.getValue();
                row.ring.add(m.timeMs(), im.cpuPercent(), im.rssBytes());
                if (row.applyMetrics(im.cpuPercent(), im.rssBytes(), im.messagesPerSec())) dirtyAgents = true;
            }
        }
        metricsTick.set(metricsTick.get() + 1);
        finish(false);
    }

    public void tickUptimes(long nowNanos) {
        for (InstanceRow r : instances.values()) r.tickUptime(nowNanos);
    }

    public void applySpec(FleetSpec s) {
        if (s != null && !s.equals(spec.get())) spec.set(s);
    }

    private void finish(boolean shape) {
        if (dirtyAgents) {
            dirtyAgents = false;
            for (AgentRow a : agents.values()) a.recompute();
            int[] c = new int[InstanceState.values().length];
            for (InstanceRow r : instances.values()) c[r.state.get().ordinal()]++;
            for (InstanceState s : InstanceState.values()) {
                IntegerProperty p = counts.get(s);
                if (p.get() != c[s.ordinal()]) p.set(c[s.ordinal()]);
            }
            figures.set(figures.get() + 1);
        }
        if (shape) structure.set(structure.get() + 1);
    }

    /** Instance ids of an agent, in order. */
    public List<String> instanceIds(String agent) {
        List<String> out = new ArrayList<>();
        AgentRow a = agents.get(agent);
        if (a != null) for (InstanceRow r : a.instances) out.add(r.id());
        return out;
    }
}
