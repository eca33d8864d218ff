package io.sabot.cli;

import io.sabot.control.RemoteEngine;
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

        @Override
        public Integer call() {
            if (limit < 1 || limit > 10_000) throw new IllegalArgumentException("--limit must be between 1 and 10000, was " + limit);
            try (RemoteEngine e = common.connect()) {
                List<TraceView> ts = e.traces(limit);
                if (json) spec.commandLine().getOut().println(Output.json(ts));
                else if (ts.isEmpty()) spec.commandLine().getOut().println("no traces yet");
                else for (TraceView t : ts) spec.commandLine().getOut().print(TraceTreePrinter.render(t));
                spec.commandLine().getOut().flush();
                return ExitCodes.OK;
            }
        }
    }
}
