package io.sabot.engine;

import io.sabot.process.AgentProcess;
import io.sabot.process.InstanceLog;
import io.sabot.spec.AgentSpec;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One running copy of an agent: its process and state. Fields are guarded by the instance's
 * monitor; {@link #opLock} serialises operator operations (start/stop/restart), which may wait,
 * while crash handling and its group's actions take only the monitor and so never wait behind
 * them. Restart decisions are its group's ({@code GroupRunner}), not the instance's.
 */
final class Instance {
    final String id;
    final String agent;
    final int index;
    final InstanceLog log;
    final ReentrantLock opLock = new ReentrantLock();

    volatile AgentSpec spec;
    InstanceState state = InstanceState.STOPPED;
    AgentProcess proc;
    long generation;
    long startedAtMs;
    int restarts;
    ExitInfo lastExit;
    /** An exit handed to the group and not yet shown in a transition (the group's decision shows it), and its cause. */
    ExitInfo pendingExit;
    String pendingCause;
    String reason;
    boolean desired;
    boolean stopRequested;
    /** Set just before the engine kills a process on its own (health, limit, timeout): explains the death. */
    String killCause;
    String killReason;
    ScheduledFuture<?> timer;
    CompletableFuture<Void> ready = new CompletableFuture<>();
    boolean removed;
    /** Counts operator actions (start, stop, restart): a group's stop decided before one leaves the instance alone. */
    volatile long operatorActions;
    final ArrayDeque<Transition> history = new ArrayDeque<>();
    /** Unknown protocol message types already logged (each is logged once). */
    final java.util.Set<String> unknownTypes = java.util.concurrent.ConcurrentHashMap.newKeySet();

    // live figures, written by monitors and the sampler
    volatile boolean healthy = true;
    volatile long lastHeartbeatNanos;
    volatile double messagesPerSec;
    volatile long lag;
    volatile double cpuPercent;
    volatile long memoryBytes;
    volatile int threads;
    volatile String cpuLimitMode;
    volatile List<String> partitions = List.of();

    Instance(AgentSpec spec, int index, InstanceLog log) {
        this.spec = spec;
        this.agent = spec.name();
        this.index = index;
        this.id = spec.instanceId(index);
        this.log = log;
    }

    synchronized long pid() { return proc == null ? -1 : proc.pid(); }

    synchronized void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
