package io.sabot.cli;

import io.sabot.control.RemoteEngine;
import io.sabot.telemetry.CriticalPath;
import io.sabot.telemetry.TraceQuery;
import io.sabot.telemetry.TraceTreePrinter;
import io.sabot.telemetry.TraceView;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sabot telemetry traces}. */
@Command(name = "telemetry", description = "Traces of what the engine did.", mixinStandardHelpOptions = true,
        subcommands = {TelemetryCommand.Traces.class})
public final class TelemetryCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.BAD_INPUT;
    }

    @Command(name = "traces", description = "Recent traces, newest first, each as a tree of its spans.", mixinStandardHelpOptions = true)
    static final class Traces implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CommonOptions common;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "how many traces (default: ${DEFAULT-VALUE})") int limit;
        @Option(names = "--json", description = "the contract's JSON") boolean json;
        @Option(names = "--agent", paramLabel = "NAME", description = "only traces that involve this agent or instance (NAME or NAME-I)") String agent;
        @Option(names = "--operation", paramLabel = "OP", description = "only traces of this operation (start, stop, restart, rolling-restart, crash-restart, redeploy...; a prefix)") String operation;
        @Option(names = "--status", paramLabel = "S", description = "ok or error") String status;
        @Option(names = "--min-duration", paramLabel = "D", description = "only traces lasting at least D (500ms, 2s, 1.5s; a bare number is ms)") String minDuration;
        @Option(names = "--max-duration", paramLabel = "D", description = "only traces lasting at most D") String maxDuration;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 10_000) throw new IllegalArgumentException("--limit must be between 1 and 10000, was " + limit);
            TraceQuery q = new TraceQuery(agent, operation, status, millis("--min-duration", minDuration), millis("--max-duration", maxDuration), limit);
            try (RemoteEngine e = common.connect()) {
                List<TraceView> ts = e.traces(q);
                if (json) spec.commandLine().getOut().println(Output.json(ts));
                else if (ts.isEmpty()) spec.commandLine().getOut().println(q.isEmpty() ? "no traces yet" : "no traces match");
                else for (TraceView t : ts) {
                    spec.commandLine().getOut().print(TraceTreePrinter.render(t));
                    String cp = CriticalPath.of(t.spans()).summary(t.spans());
                    if (!cp.isEmpty()) spec.commandLine().getOut().println("critical path: " + cp);
                }
                spec.commandLine().getOut().flush();
                return ExitCodes.OK;
            }
        }

        /** "500ms", "2s", "1.5s", "2m" or a bare number of ms; null stays null. */
        static Long millis(String option, String v) {
            if (v == null || v.isBlank()) return null;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)?").matcher(v.strip().toLowerCase(java.util.Locale.ROOT));
            if (!m.matches()) throw new IllegalArgumentException(option + " must be a duration such as 500ms, 2s or 1.5s, was \"" + v + "\"");
            double x = Double.parseDouble(m.group(1));
            String u = m.group(2) == null ? "ms" : m.group(2);
            return Math.round(x * (u.equals("s") ? 1000 : u.equals("m") ? 60_000 : 1));
        }
    }
}
