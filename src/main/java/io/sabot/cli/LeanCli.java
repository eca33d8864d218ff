package io.sabot.cli;

import io.sabot.control.Dial;
import io.sabot.control.NoEngineException;
import io.sabot.host.Homes;
import io.sabot.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hot commands without picocli or Jackson: {@code --version}, {@code agents status [NAME...]}
 * and {@code agents start|stop|restart --all|NAME...} (each with an optional {@code --home DIR}).
 * A CLI run is a JVM start, and on a cold JVM every class loaded costs (picocli models every
 * command's annotations, Jackson loads ~500 classes): this path loads about a tenth of those and
 * prints exactly what the full path prints (the same {@link Output} code; held by
 * {@code LeanCliTest}). Any other form, or any option it does not know, goes to the full CLI.
 */
final class LeanCli {
    static final int NOT_HANDLED = -1;

    private LeanCli() {}

    /** Runs {@code args} if it is one of the forms above; else {@link #NOT_HANDLED} (nothing was printed or sent). */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, System.getenv());
    }

    /** As above, with the environment given: a {@code SABOT_HOST} default sends every command to the full CLI (it goes over ssh). */
    static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        if (args.length > 0 && args[0].equals("bridge")) return bridge(args);
        String host = env.get(CommonOptions.HOST_ENV);
        if (host != null && !host.isBlank()) return NOT_HANDLED;
        // a leading --home (the option's place in the usage) is as good as a trailing one: `sabot --home H agents status`
        String leadingHome = null;
        if (args.length >= 2 && args[0].equals("--home")) {
            leadingHome = args[1];
            args = java.util.Arrays.copyOfRange(args, 2, args.length);
        } else if (args.length >= 1 && args[0].startsWith("--home=")) {
            leadingHome = args[0].substring(7);
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        if (leadingHome != null && (args.length == 0 || !args[0].equals("agents"))) return NOT_HANDLED;
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            String v = LeanCli.class.getPackage().getImplementationVersion();
            out.println("sabot " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")");
            out.flush();
            return ExitCodes.OK;
        }
        if (args.length < 2 || !args[0].equals("agents")) return NOT_HANDLED;
        String op = args[1];
        if (!op.equals("status") && !op.equals("start") && !op.equals("stop") && !op.equals("restart")) return NOT_HANDLED;
        String home = leadingHome;
        boolean all = false;
        List<String> names = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--home") && i + 1 < args.length && home == null) home = args[++i];
            else if (a.startsWith("--home=") && home == null) home = a.substring(7);
            else if (a.equals("--all") && !all && !op.equals("status")) all = true;
            else if (a.isEmpty() || a.startsWith("-") || a.startsWith("@")) return NOT_HANDLED; // options, files: the full CLI
            else names.add(a);
        }
        if (!op.equals("status") && all == !names.isEmpty()) return NOT_HANDLED; // the full CLI explains
        String qualified = "sabot agents " + op;
        StringBuilder req = new StringBuilder("{\"id\":1,\"op\":\"").append(op).append("\",\"all\":")
                .append(op.equals("status") ? names.isEmpty() : all).append(",\"names\":[");
        for (int i = 0; i < names.size(); i++) Json.quote(i > 0 ? req.append(',') : req, names.get(i));
        req.append(op.equals("status") ? "],\"rows\":true}\n" : "]}\n"); // status: the compact form (see StatusRows)
        Map<String, Object> reply;
        try (SocketChannel ch = Dial.open(Homes.socket(Homes.resolve(home)))) {
            ByteBuffer b = ByteBuffer.wrap(req.toString().getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) ch.write(b);
            String line = readLine(ch);
            if (line == null) throw new NoEngineException("the engine closed the connection (did it stop?)");
            reply = Json.parseObject(line);
        } catch (NoEngineException e) {
            err.println(qualified + ": " + e.getMessage());
            err.flush();
            return ExitCodes.NO_ENGINE;
        } catch (IOException e) {
            err.println(qualified + ": lost the engine on " + Homes.socket(Homes.resolve(home)) + ": " + e.getMessage());
            err.flush();
            return ExitCodes.NO_ENGINE;
        }
        if (!Boolean.TRUE.equals(reply.get("ok"))) {
            Map<String, Object> e = map(reply.get("error"));
            String kind = str(e.get("kind"));
            err.println(qualified + ": " + (e.get("message") == null ? "unknown error" : str(e.get("message"))));
            err.flush();
            return "bad-input".equals(kind) || "spec".equals(kind) ? ExitCodes.BAD_INPUT : ExitCodes.PARTIAL;
        }
        List<Object> result = list(reply.get("result"));
        if (op.equals("status")) {
            if (result.isEmpty()) {
                out.println("no agents deployed (sabot agents deploy FILE)");
                out.flush();
                return ExitCodes.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (Object o : result) {
                if (o instanceof List) { // the compact form, in StatusRows.COLUMNS order
                    List<Object> c = list(o);
                    rows.add(Output.statusRow(str(c.get(0)), str(c.get(1)), c.get(2) == null ? null : num(c.get(2)), num(c.get(3)),
                            (int) num(c.get(4)), dbl(c.get(5)), num(c.get(6)), Boolean.TRUE.equals(c.get(7)), (int) num(c.get(8)),
                            c.get(9) == null ? null : str(c.get(9))));
                    continue;
                }
                Map<String, Object> s = map(o); // an engine that does not know the compact form
                Map<String, Object> exit = s.get("lastExit") == null ? null : map(s.get("lastExit"));
                rows.add(Output.statusRow(str(s.get("id")), str(s.get("state")), s.get("pid") == null ? null : num(s.get("pid")),
                        num(s.get("uptimeMs")), (int) num(s.get("restarts")), dbl(s.get("cpuPercent")), num(s.get("memoryBytes")),
                        Boolean.TRUE.equals(s.get("healthy")), s.get("partitions") == null ? 0 : list(s.get("partitions")).size(),
                        exit == null ? null : str(exit.get("reason"))));
            }
            Output.statusTable(out, rows);
            return ExitCodes.OK;
        }
        List<Output.Result> rs = new ArrayList<>();
        for (Object o : result) {
            Map<String, Object> r = map(o);
            rs.add(new Output.Result(str(r.get("operation")), str(r.get("instance")), Boolean.TRUE.equals(r.get("success")),
                    r.get("newState") == null ? null : str(r.get("newState")), num(r.get("durationMs")),
                    r.get("error") == null ? null : str(r.get("error")), r.get("pid") == null ? null : num(r.get("pid"))));
        }
        return Output.plainResults(out, err, op.equals("start") ? "started" : op.equals("stop") ? "stopped" : "restarted", rs);
    }

    /**
     * {@code sabot bridge [--home H]}: what {@code --host} runs on the remote host for every ssh
     * session, so its start is on the path of every remote command; no picocli, no Jackson (the
     * same {@link io.sabot.control.Bridge} as {@link BridgeCommand}). It never reads
     * {@code SABOT_HOST} (the remote user's environment cannot send it on); {@code --host} and any
     * other option go to the full CLI, which refuses or explains them.
     */
    private static int bridge(String[] args) {
        String home = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--home") && i + 1 < args.length && home == null) home = args[++i];
            else if (args[i].startsWith("--home=") && home == null) home = args[i].substring(7);
            else return NOT_HANDLED;
        }
        try {
            // the raw descriptors: a PrintStream would swallow the write error that says ssh is gone
            return io.sabot.control.Bridge.run(Homes.socket(Homes.resolve(home)), new java.io.FileInputStream(java.io.FileDescriptor.in),
                    new java.io.FileOutputStream(java.io.FileDescriptor.out));
        } catch (IOException e) {
            return ExitCodes.OK; // stdin or stdout gone: ssh ended the session, nothing is left to tell
        }
    }

    private static String readLine(SocketChannel ch) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64 * 1024);
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        while (ch.read(b) >= 0) {
            b.flip();
            while (b.hasRemaining()) {
                byte c = b.get();
                if (c == '\n') return line.toString(StandardCharsets.UTF_8);
                line.write(c);
            }
            b.clear();
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) { return o instanceof Map ? (Map<String, Object>) o : Map.of(); }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) { return o instanceof List ? (List<Object>) o : List.of(); }

    private static String str(Object o) { return o == null ? "null" : o.toString(); }

    private static long num(Object o) { return o instanceof Number ? ((Number) o).longValue() : 0; }

    private static double dbl(Object o) { return o instanceof Number ? ((Number) o).doubleValue() : 0; }
}
