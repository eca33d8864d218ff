package io.sabot.engine;

import java.util.List;

/** A snapshot of one instance: the contract's {@code agents status --json} object, plus extras. */
public record InstanceStatus(
        String agent,
        int instance,
        String id,
        InstanceState state,
        Long pid,
        long uptimeMs,
        int restarts,
        double cpuPercent,
        long memoryBytes,
        boolean healthy,
        List<String> partitions,
        ExitInfo lastExit,
        String group,
        int threads,
        double messagesPerSec,
        long lag,
        String cpuLimitMode,
        String reason) {
}
