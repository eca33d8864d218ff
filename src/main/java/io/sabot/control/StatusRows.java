package io.sabot.control;

import io.sabot.engine.InstanceStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The compact form of a status reply ({@code "op": "status", "rows": true}): one array per
 * instance with just what the CLI's table shows, in {@link #COLUMNS} order. A thousand instances
 * are ~60 KB instead of ~280 KB of objects, which a CLI's cold JVM parses in a fraction of the
 * time. Clients that do not ask get the full objects, as before.
 */
public final class StatusRows {
    public static final List<String> COLUMNS = List.of("id", "state", "pid", "uptimeMs", "restarts", "cpuPercent", "memoryBytes",
            "healthy", "partitions", "lastExitReason");

    private StatusRows() {}

    static List<List<Object>> of(List<InstanceStatus> all) {
        List<List<Object>> out = new ArrayList<>(all.size());
        for (InstanceStatus s : all) {
            out.add(Arrays.asList(s.id(), s.state().name(), s.pid(), s.uptimeMs(), s.restarts(), s.cpuPercent(), s.memoryBytes(),
                    s.healthy(), s.partitions() == null ? 0 : s.partitions().size(), s.lastExit() == null ? null : s.lastExit().reason()));
        }
        return out;
    }
}
