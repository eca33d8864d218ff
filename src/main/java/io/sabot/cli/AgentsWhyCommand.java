package io.sabot.cli;

import io.sabot.control.RemoteEngine;
import io.sabot.engine.CrashReport;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.Selection;
import java.io.PrintWriter;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sabot agents why NAME}: each instance's last crash, with its cause and the log lines before it. */
@Command(name = "why", description = "Each instance's last crash: exit code or signal, cause, uptime, last log lines, restart budget left, next backoff.",
        mixinStandardHelpOptions = true)
public final class AgentsWhyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;
    @Parameters(paramLabel = "NAME", arity = "1..*", description = "agents or instances") List<String> names;
    @Option(names = "--json", description = "a JSON array, one crash report per instance that crashed") boolean json;
    @Option(names = "--lines", paramLabel = "N", defaultValue = "20", description = "log lines to print of the (up to 50) kept (default: ${DEFAULT-VALUE})") int lines;

    @Override
    public Integer call() {
        if (lines < 0 || lines > 50) throw new IllegalArgumentException("--lines must be between 0 and 50, was " + lines);
        PrintWriter out = spec.commandLine().getOut();
        try (RemoteEngine e = common.connect()) {
            List<CrashReport> rs = e.why(Selection.of(names));
            if (json) {
                out.println(Output.json(rs));
                out.flush();
                return ExitCodes.OK;
            }
            List<InstanceStatus> all = e.status(Selection.of(names));
            SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss");
            for (InstanceStatus s : all) {
                CrashReport r = rs.stream().filter(x -> x.instance().equals(s.id())).findFirst().orElse(null);
                if (r == null) {
                    out.printf("%s: no crash recorded (%s)%n%n", s.id(), s.state());
                    continue;
                }
                out.printf("%s: %s at %s, after %s up%n", r.instance(), describe(r), f.format(new Date(r.timeMs())), Output.duration(r.uptimeMs()));
                out.printf("  exit:     %s%s%n", r.signal() != null ? "signal " + r.signal() : r.exitCode() != null ? "code " + r.exitCode() : "none (did not start)",
                        r.pid() == null ? "" : " (pid " + r.pid() + ")");
                out.printf("  reason:   %s%n", r.causeDetail());
                if (r.oomEvidence() != null) out.printf("  kernel:   %s%n", r.oomEvidence());
                out.printf("  restarts: %d in the last %d s of at most %d%s; %s%n", r.restartsInWindow(), r.windowSeconds(), r.maxRestarts(),
                        r.group() == null || r.group().equals(r.agent()) ? "" : " (group " + r.group() + ")",
                        r.restartBudgetLeft() == null ? "budget unknown" : r.restartBudgetLeft() == 0 ? "no restart left: the next crash fails it"
                                : r.restartBudgetLeft() + " left before FAILED");
                out.printf("  then:     %s%n", r.nextBackoffMs() != null ? "restart after " + r.nextBackoffMs() + " ms of backoff"
                        : r.outcome());
                if (r.traceId() != null) out.printf("  trace:    %s%n", r.traceId());
                List<String> l = r.lastLines();
                if (!l.isEmpty() && lines > 0) {
                    out.printf("  last %d log lines:%n", Math.min(lines, l.size()));
                    for (String line : l.subList(Math.max(0, l.size() - lines), l.size())) out.println("    " + line);
                }
                out.println();
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    static String describe(CrashReport r) {
        switch (r.cause()) {
            case CrashReport.MEMORY_LIMIT: return "killed at its memory limit";
            case CrashReport.HEARTBEAT_TIMEOUT: return "killed: no heartbeat in time";
            case CrashReport.START_TIMEOUT: return "killed: not ready within its start timeout";
            case CrashReport.LIVENESS: return "killed: liveness probe failed";
            case CrashReport.OOM_KILLER: return "killed by the kernel's OOM killer";
            default: return r.signal() != null ? "died of " + r.signal() : "crashed";
        }
    }
}
