package io.sabot.engine;

import java.util.List;

/**
 * Why an instance died, kept for every crash (the answer of {@code sabot agents why}).
 *
 * @param cause            crash (it exited or was killed on its own), memory-limit, heartbeat-timeout,
 *                         start-timeout, liveness, oom-killer (the kernel's OOM killer, where the kernel tells)
 * @param causeDetail      the engine's reason in words
 * @param oomEvidence      what the kernel said (cgroup memory.events oom_kill, /proc/vmstat oom_kill), or null
 * @param uptimeMs         from spawn to death
 * @param lastLines        up to 50 log lines before death, oldest first
 * @param restartBudgetLeft restarts left in the intensity window after this one (0: the next crash fails it), or null when unknown
 * @param restartsInWindow restarts counted in the window: the supervision group's, every restart it performed (strategy
 *                         restarts included), as its supervisor counted them when the crash was recorded
 * @param maxRestarts      intensity: at most this many ...
 * @param windowSeconds    ... within this window
 * @param nextBackoffMs    delay before the restart this crash caused, or null when none follows (FAILED, STOPPED)
 * @param outcome          the state the crash led to: BACKOFF, FAILED or STOPPED
 * @param traceId          the crash-restart trace, where there is one
 * @param group            the supervision group whose intensity the figures are (a lone agent is a group of one, named for it)
 */
public record CrashReport(String instance, String agent, long timeMs, Long pid, Integer exitCode, String signal,
                          String cause, String causeDetail, String oomEvidence, long uptimeMs, List<String> lastLines,
                          Integer restartBudgetLeft, int restartsInWindow, int maxRestarts, int windowSeconds,
                          Long nextBackoffMs, String outcome, String traceId, String group) {
    public static final String CRASH = "crash";
    public static final String MEMORY_LIMIT = "memory-limit";
    public static final String HEARTBEAT_TIMEOUT = "heartbeat-timeout";
    public static final String START_TIMEOUT = "start-timeout";
    public static final String LIVENESS = "liveness";
    public static final String OOM_KILLER = "oom-killer";

    public CrashReport {
        lastLines = lastLines == null ? List.of() : List.copyOf(lastLines);
    }
}
