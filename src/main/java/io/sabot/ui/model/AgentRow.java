package io.sabot.ui.model;

import io.sabot.engine.InstanceState;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;

/** An agent: the aggregate of its instances (sums, the most urgent state); FX thread only. */
public final class AgentRow extends FleetRow {
    final List<InstanceRow> instances = new ArrayList<>();
    /** Instances in the aggregate state (for "2/3" badges). */
    public final IntegerProperty inState = new SimpleIntegerProperty(this, "inState");
    public final IntegerProperty total = new SimpleIntegerProperty(this, "total");
    /** Instances whose health is known (running ones). */
    public final IntegerProperty healthKnown = new SimpleIntegerProperty(this, "healthKnown");

    public AgentRow(String name) { super(name); }

    @Override
    public boolean isAgent() { return true; }

    @Override
    public String agent() { return name; }

    @Override
    public int instanceCount() { return instances.size(); }

    public List<InstanceRow> instances() { return instances; }

    /** The state an operator most needs to see: failures first, then trouble, then motion. */
    public static int urgency(InstanceState s) {
        switch (s) {
            case FAILED: return 5;
            case BACKOFF: return 4;
            case STARTING: return 3;
            case STOPPING: return 3;
            case RUNNING: return 1;
            default: return 0;
        }
    }

    /** Set when one of its instances changed since the last recompute. */
    boolean dirty = true;

    void recompute() {
        if (!dirty) return;
        dirty = false;
        InstanceState worst = null;
        double c = 0, r = 0;
        boolean anyCpu = false;
        long m = 0;
        int rs = 0, h = 0, healthKnown = 0;
        List<String> parts = new ArrayList<>();
        boolean anyRunning = false;
        for (InstanceRow in : instances) {
            InstanceState s = in.state.get();
            if (s == InstanceState.RUNNING) anyRunning = true;
            if (worst == null || urgency(s) > urgency(worst)) worst = s;
            if (in.cpu.get() >= 0) {
                c += in.cpu.get();
                anyCpu = true;
            }
            r += in.rate.get();
            m += in.memory.get();
            rs += in.restarts.get();
            if (in.healthy.get() >= 0) {
                healthKnown++;
                h += in.healthy.get();
            }
            parts.addAll(in.partitions.get());
        }
        if (worst == null) worst = InstanceState.STOPPED;
        // an agent whose instances all run, or all stopped, reads as that; mixed shows the urgent one
        if (worst == InstanceState.STOPPED && anyRunning) worst = InstanceState.RUNNING;
        int n = 0;
        for (InstanceRow in : instances) if (in.state.get() == worst) n++;
        boolean ch = setIfChanged(state, worst);
        ch |= setIfChanged(inState, n);
        ch |= setIfChanged(total, instances.size());
        ch |= setIfChanged(cpu, anyCpu ? c : -1);
        ch |= setIfChanged(rate, r);
        ch |= setIfChanged(memory, m);
        ch |= setIfChanged(restarts, rs);
        ch |= setIfChanged(healthy, healthKnown == 0 ? -1 : h);
        ch |= setIfChanged(this.healthKnown, healthKnown);
        ch |= setIfChanged(stateText, label(worst) + " " + n + "/" + instances.size());
        ch |= setIfChanged(partitions, parts);
        if (ch) version.set(version.get() + 1);
    }
}
