package io.sabot.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LifecycleResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Human tables and JSON for the CLI. */
final class Output {
    /** Jackson is loaded only by the commands that print JSON (a CLI start pays for every class it loads). */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private Output() {}

    static String json(Object o) {
        try {
            return Mapper.JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Left-aligned columns sized to their widest cell. */
    static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) w[i] = header.get(i).length();
        for (List<String> r : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], r.get(i).length());
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> r : all) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < w.length; i++) {
                if (i > 0) sb.append("  ");
                sb.append(i == w.length - 1 ? r.get(i) : pad(r.get(i), w[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
        out.flush();
    }

    private static String pad(String s, int w) { return s + " ".repeat(Math.max(0, w - s.length())); }

    static String duration(long ms) {
        if (ms <= 0) return "-";
        long s = ms / 1000;
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + (s % 60) + "s";
        if (s < 86400) return (s / 3600) + "h" + (s % 3600 / 60) + "m";
        return (s / 86400) + "d" + (s % 86400 / 3600) + "h";
    }

    static String bytes(long b) {
        if (b <= 0) return "-";
        if (b < 1024 * 1024) return String.format(Locale.ROOT, "%.0f KiB", b / 1024.0);
        if (b < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MiB", b / 1048576.0);
        return String.format(Locale.ROOT, "%.2f GiB", b / 1073741824.0);
    }

    static void status(PrintWriter out, List<InstanceStatus> all) {
        List<List<String>> rows = new ArrayList<>();
        for (InstanceStatus s : all) {
            rows.add(statusRow(s.id(), s.state().name(), s.pid(), s.uptimeMs(), s.restarts(), s.cpuPercent(), s.memoryBytes(), s.healthy(),
                    s.partitions().size(), s.lastExit() == null ? null : s.lastExit().reason()));
        }
        statusTable(out, rows);
    }

    /** One row of the status table (shared with {@link LeanCli}, which reads the reply without Jackson). */
    static List<String> statusRow(String id, String state, Long pid, long uptimeMs, int restarts, double cpuPercent, long memoryBytes,
                                  boolean healthy, int partitions, String lastExitReason) {
        String exit = lastExitReason == null ? "-" : lastExitReason;
        return List.of(id, state, pid == null ? "-" : pid.toString(), duration(uptimeMs),
                Integer.toString(restarts), pid == null ? "-" : String.format(Locale.ROOT, "%.1f", cpuPercent),
                bytes(memoryBytes), state.equals("RUNNING") ? (healthy ? "ok" : "UNHEALTHY") : "-",
                Integer.toString(partitions), state.equals("RUNNING") ? "-" : exit);
    }

    static void statusTable(PrintWriter out, List<List<String>> rows) {
        table(out, List.of("INSTANCE", "STATE", "PID", "UPTIME", "RESTARTS", "CPU%", "MEMORY", "HEALTH", "PARTS", "LAST EXIT"), rows);
    }

    /** Prints each result; failures also on stderr. Returns the exit code (1 if any failed). */
    static int results(PrintWriter out, PrintWriter err, String verb, List<LifecycleResult> rs) {
        List<Result> plain = new ArrayList<>();
        for (LifecycleResult r : rs) {
            plain.add(new Result(r.operation(), r.instance(), r.success(), r.newState() == null ? null : r.newState().name(),
                    r.durationMs(), r.error(), r.pid()));
        }
        return plainResults(out, err, verb, plain);
    }

    /** A lifecycle result as printed (shared with {@link LeanCli}). */
    record Result(String operation, String instance, boolean success, String newState, long durationMs, String error, Long pid) {}

    static int plainResults(PrintWriter out, PrintWriter err, String verb, List<Result> rs) {
        int failed = 0;
        for (Result r : rs) {
            if (r.success()) {
                out.printf("%-24s %-9s %s%s%n", r.instance(), r.newState() == null ? "" : r.newState(),
                        r.pid() == null ? "" : "pid " + r.pid() + "  ", "(" + r.durationMs() + " ms)");
            } else {
                failed++;
                err.printf("%s: %s failed: %s%n", r.instance(), r.operation(), r.error());
            }
        }
        java.util.Map<String, Long> byOp = new java.util.LinkedHashMap<>();
        for (Result r : rs) if (r.success()) byOp.merge(r.operation(), 1L, Long::sum);
        if (byOp.size() > 1) {
            StringBuilder ops = new StringBuilder();
            byOp.forEach((op, n) -> ops.append(ops.length() == 0 ? "" : ", ").append(op).append(' ').append(n));
            out.printf("%d done (%s), %d failed%n", rs.size() - failed, ops, failed);
        } else {
            out.printf("%d %s, %d failed%n", rs.size() - failed, verb, failed);
        }
        out.flush();
        err.flush();
        return failed > 0 ? ExitCodes.PARTIAL : ExitCodes.OK;
    }
}
