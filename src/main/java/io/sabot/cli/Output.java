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
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {}

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
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
            String exit = s.lastExit() == null ? "-" : s.lastExit().reason();
            rows.add(List.of(s.id(), s.state().name(), s.pid() == null ? "-" : s.pid().toString(), duration(s.uptimeMs()),
                    Integer.toString(s.restarts()), s.pid() == null ? "-" : String.format(Locale.ROOT, "%.1f", s.cpuPercent()),
                    bytes(s.memoryBytes()), s.state().name().equals("RUNNING") ? (s.healthy() ? "ok" : "UNHEALTHY") : "-",
                    Integer.toString(s.partitions().size()), s.state().name().equals("RUNNING") ? "-" : exit));
        }
        table(out, List.of("INSTANCE", "STATE", "PID", "UPTIME", "RESTARTS", "CPU%", "MEMORY", "HEALTH", "PARTS", "LAST EXIT"), rows);
    }

    /** Prints each result; failures also on stderr. Returns the exit code (1 if any failed). */
    static int results(PrintWriter out, PrintWriter err, String verb, List<LifecycleResult> rs) {
        int failed = 0;
        for (LifecycleResult r : rs) {
            if (r.success()) {
                out.printf("%-24s %-9s %s%s%n", r.instance(), r.newState() == null ? "" : r.newState().name(),
                        r.pid() == null ? "" : "pid " + r.pid() + "  ", "(" + r.durationMs() + " ms)");
            } else {
                failed++;
                err.printf("%s: %s failed: %s%n", r.instance(), r.operation(), r.error());
            }
        }
        java.util.Map<String, Long> byOp = new java.util.LinkedHashMap<>();
        for (LifecycleResult r : rs) if (r.success()) byOp.merge(r.operation(), 1L, Long::sum);
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

    /** Prints the notices the engine attached to its replies (e.g. "not recorded durably: ...") on stderr. */
    static void notices(PrintWriter err, io.sabot.control.RemoteEngine e) {
        for (String n : e.takeNotices()) err.println("sabot: " + n);
        err.flush();
    }

    /** {@link #notices}, then the exit code unchanged: the operation was done, only its record is delayed. */
    static int withNotices(PrintWriter err, io.sabot.control.RemoteEngine e, int code) {
        notices(err, e);
        return code;
    }

    /** A line on stderr when the store is not recording (human output only). */
    static void storeProblem(PrintWriter err, io.sabot.control.RemoteEngine e) {
        try {
            io.sabot.engine.StoreHealth h = e.info().store();
            if (h != null && !h.ok() && h.message() != null) {
                err.println("store: " + h.message());
                err.flush();
            }
        } catch (RuntimeException ignored) {
            // the status itself was printed
        }
    }
}
