package io.sabot.cli;

import io.sabot.control.RemoteEngine;
import io.sabot.engine.UsageHistory;
import java.io.PrintWriter;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sabot agents history NAME --range R [--group] [--json]}: an agent's or consumer group's figures over time. */
@Command(name = "history", description = "CPU, memory, throughput, lag and restarts of an agent (or, with --group, a consumer group) over time, downsampled.",
        mixinStandardHelpOptions = true)
public final class AgentsHistoryCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;
    @Parameters(paramLabel = "NAME", description = "agent (or consumer group with --group)") String name;
    @Option(names = "--range", paramLabel = "R", defaultValue = "1h", description = "live (10 min), 1h, 24h or 7d (default: ${DEFAULT-VALUE})") String range;
    @Option(names = "--group", description = "NAME is a consumer group") boolean group;
    @Option(names = "--json", description = "{subject, range, fromMs, toMs, bucketMs, maxPoints, points: [...]}") boolean json;

    @Override
    public Integer call() {
        if (!List.of("live", "1h", "24h", "7d").contains(range)) {
            throw new IllegalArgumentException("--range must be one of live, 1h, 24h, 7d; was \"" + range + "\"");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (RemoteEngine e = common.connect()) {
            UsageHistory h = e.usageHistory((group ? "group:" : "agent:") + name, range);
            if (json) {
                out.println(Output.json(h));
            } else if (h.points().isEmpty()) {
                out.println("no history of " + h.subject() + " in the last " + range + " (samples are taken every 5 s while the engine runs)");
            } else {
                SimpleDateFormat f = new SimpleDateFormat(range.equals("7d") ? "MM-dd HH:mm" : "HH:mm:ss");
                List<List<String>> rows = new ArrayList<>();
                for (UsageHistory.UsagePoint p : h.points()) {
                    rows.add(List.of(f.format(new Date(p.timeMs())), String.format(Locale.ROOT, "%.1f", p.cpuPercent()), Output.bytes(p.memoryBytes()),
                            String.format(Locale.ROOT, "%.1f", p.ratePerSec()), Long.toString(p.lagRecords()),
                            String.format(Locale.ROOT, "%.1f", p.lagSeconds()), Long.toString(p.restarts())));
                }
                Output.table(out, List.of("TIME", "CPU%", "MEMORY", "REC/S", "LAG", "LAG S", "RESTARTS"), rows);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
