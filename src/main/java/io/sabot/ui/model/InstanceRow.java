package io.sabot.ui.model;

import io.sabot.engine.ExitInfo;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.Transition;

/** One agent instance ({@code NAME-I}); FX thread only. */
public final class InstanceRow extends FleetRow {
    private final String agent;
    private final int index;
    private String group = "";
    private ExitInfo lastExit;
    private long uptimeBaseMs;
    private long uptimeAtNanos;
    final MetricsRing ring = new MetricsRing(300); // 5 minutes at 1 Hz

    public InstanceRow(String agent, int index, String id) {
        super(id);
        this.agent = agent;
        this.index = index;
    }

    @Override
    public boolean isAgent() { return false; }

    @Override
    public String agent() { return agent; }

    public int index() { return index; }

    public String id() { return name; }

    public String group() { return group; }

    public ExitInfo lastExit() { return lastExit; }

    public MetricsRing ring() { return ring; }

    AgentRow owner;

    /** Ids of all instances of this instance's agent (for choosers). */
    public java.util.List<String> agentSiblings() {
        if (owner == null) return java.util.List.of(id());
        return owner.instances().stream().map(InstanceRow::id).toList();
    }

    @Override
    public int instanceCount() { return 1; }

    /** Applies a polled status; returns whether anything visible changed. */
    boolean apply(InstanceStatus s, long nowNanos) {
        boolean ch = false;
        group = s.group() == null ? agent : s.group();
        lastExit = s.lastExit();
        ch |= setIfChanged(state, s.state());
        ch |= setIfChanged(pid, s.pid());
        ch |= setIfChanged(restarts, s.restarts());
        ch |= setIfChanged(healthy, s.state() == InstanceState.RUNNING ? (s.healthy() ? 1 : 0) : -1);
        ch |= setIfChanged(partitions, s.partitions() == null ? java.util.List.of() : s.partitions());
        ch |= setIfChanged(reason, s.reason());
        // the sampler's figures also come as metrics events; status carries them too (remote engines)
        // -1: no process, shown as "—"; a live process at 0 shows "0 %"
        if (!s.state().live()) ch |= setIfChanged(cpu, -1);
        else if (s.cpuPercent() > 0 || cpu.get() < 0) ch |= setIfChanged(cpu, s.cpuPercent());
        if (s.memoryBytes() > 0 || !s.state().live()) ch |= setIfChanged(memory, s.memoryBytes());
        if (s.messagesPerSec() > 0 || !s.state().live()) ch |= setIfChanged(rate, s.messagesPerSec());
        uptimeBaseMs = s.uptimeMs();
        uptimeAtNanos = nowNanos;
        ch |= setIfChanged(uptimeMs, s.uptimeMs());
        if (ch) changed();
        return ch;
    }

    private void changed() {
        stateText.set(label(state.get()));
        version.set(version.get() + 1);
        if (owner != null) owner.dirty = true;
    }

    /** A transition arrived before the next poll: show the new state (and pid) at once. */
    boolean apply(Transition t, long nowNanos) {
        boolean ch = setIfChanged(state, t.to());
        if (t.to().live() && t.pid() > 0) ch |= setIfChanged(pid, t.pid());
        if (!t.to().live()) {
            ch |= setIfChanged(pid, null);
            ch |= setIfChanged(cpu, -1);
            ch |= setIfChanged(memory, 0);
            ch |= setIfChanged(rate, 0);
            ch |= setIfChanged(healthy, -1);
            uptimeBaseMs = 0;
            uptimeAtNanos = nowNanos;
            ch |= setIfChanged(uptimeMs, 0);
        }
        if (t.to().live() && cpu.get() < 0) ch |= setIfChanged(cpu, 0);
        if (t.to() == InstanceState.STARTING) {
            uptimeBaseMs = 0;
            uptimeAtNanos = nowNanos;
            ch |= setIfChanged(uptimeMs, 0);
        }
        if (t.reason() != null) ch |= setIfChanged(reason, t.reason());
        if (ch) changed();
        return ch;
    }

    boolean applyMetrics(double cpuPercent, long rss, double msgs) {
        if (!state.get().live()) return false;
        boolean ch = setIfChanged(cpu, cpuPercent);
        ch |= setIfChanged(memory, rss);
        ch |= setIfChanged(rate, msgs);
        if (ch) {
            version.set(version.get() + 1);
            if (owner != null) owner.dirty = true;
        }
        return ch;
    }

    /** Advances the uptime between polls at the resolution it is shown in ({@link Fmt#uptime}: seconds in the first minute, then minutes). */
    void tickUptime(long nowNanos) {
        if (!state.get().live() || uptimeAtNanos == 0) return;
        long v = uptimeBaseMs + (nowNanos - uptimeAtNanos) / 1_000_000;
        long unit = v < 60_000 ? 1000 : 60_000;
        if (v / unit != uptimeMs.get() / unit) uptimeMs.set(v);
    }
}
