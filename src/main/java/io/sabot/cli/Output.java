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
        if (b < 1024 * 1024) return fixed(b / 1024.0, 0) + " KiB";
        if (b < 1024L * 1024 * 1024) return fixed(b / 1048576.0, 1) + " MiB";
        return fixed(b / 1073741824.0, 2) + " GiB";
    }

    /**
     * {@code String.format(Locale.ROOT, "%.<decimals>f", v)}, the same text, without a Formatter: a
     * table of 1,000 rows on a cold JVM spent over a second in Formatter (held by OutputTest).
     * Java rounds the shortest decimal form of the double (Double.toString) half up; so does this.
     */
    static String fixed(double v, int decimals) {
        if (!(v >= 0) || Double.isInfinite(v) || (v == 0 && 1 / v < 0)) return String.format(Locale.ROOT, "%." + decimals + "f", v);
        String s = Double.toString(v);
        if (s.indexOf('E') >= 0) s = new java.math.BigDecimal(s).toPlainString();
        int dot = s.indexOf('.');
        if (dot < 0) {
            s = s + ".";
            dot = s.length() - 1;
        }
        StringBuilder digits = new StringBuilder(s.length() + decimals);
        digits.append(s, 0, dot);
        int intLen = dot;
        String frac = s.substring(dot + 1);
        for (int i = 0; i < decimals; i++) digits.append(i < frac.length() ? frac.charAt(i) : '0');
        if (frac.length() > decimals && frac.charAt(decimals) >= '5') { // half up
            int i = digits.length() - 1;
            while (i >= 0 && digits.charAt(i) == '9') digits.setCharAt(i--, '0');
            if (i >= 0) digits.setCharAt(i, (char) (digits.charAt(i) + 1));
            else {
                digits.insert(0, '1');
                intLen++;
            }
        }
        if (decimals == 0) return digits.toString();
        return digits.substring(0, intLen) + "." + digits.substring(intLen);
    }

    /** {@code String.format("%-<width>s", s)}. */
    static String padRight(String s, int width) { return s.length() >= width ? s : s + " ".repeat(width - s.length()); }

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
                Integer.toString(restarts), pid == null ? "-" : fixed(cpuPercent, 1),
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
                out.print(padRight(String.valueOf(r.instance()), 24) + " " + padRight(r.newState() == null ? "" : r.newState(), 9) + " "
                        + (r.pid() == null ? "" : "pid " + r.pid() + "  ") + "(" + r.durationMs() + " ms)" + System.lineSeparator());
            } else {
                failed++;
                err.print(r.instance() + ": " + r.operation() + " failed: " + r.error() + System.lineSeparator());
            }
        }
        java.util.Map<String, Long> byOp = new java.util.LinkedHashMap<>();
        for (Result r : rs) if (r.success()) byOp.merge(r.operation(), 1L, Long::sum);
        if (byOp.size() > 1) {
            StringBuilder ops = new StringBuilder();
            byOp.forEach((op, n) -> ops.append(ops.length() == 0 ? "" : ", ").append(op).append(' ').append(n));
            out.print((rs.size() - failed) + " done (" + ops + "), " + failed + " failed" + System.lineSeparator());
        } else {
            out.print((rs.size() - failed) + " " + verb + ", " + failed + " failed" + System.lineSeparator());
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
