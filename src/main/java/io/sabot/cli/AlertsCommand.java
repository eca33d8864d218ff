package io.sabot.cli;

import io.sabot.control.RemoteEngine;
import io.sabot.engine.AlertView;
import java.io.PrintWriter;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sabot alerts list|test}: the alerts the engine raised, and a test through a rule's channels. */
@Command(name = "alerts", description = "Alerts raised by the spec's alert rules.", mixinStandardHelpOptions = true,
        subcommands = {AlertsCommand.ListAlerts.class, AlertsCommand.Test.class})
public final class AlertsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.BAD_INPUT;
    }

    @Command(name = "list", description = "Recent alerts, newest first: rule, state, subject, message, deliveries.", mixinStandardHelpOptions = true)
    static final class ListAlerts implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CommonOptions common;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "how many (default: ${DEFAULT-VALUE})") int limit;
        @Option(names = "--json", description = "a JSON array, newest first") boolean json;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 10_000) throw new IllegalArgumentException("--limit must be between 1 and 10000, was " + limit);
            PrintWriter out = spec.commandLine().getOut();
            try (RemoteEngine e = common.connect()) {
                List<AlertView> all = e.alerts(limit);
                if (json) out.println(Output.json(all));
                else if (all.isEmpty()) out.println("no alerts (rules are the spec's \"alerts\"; sabot alerts test NAME sends a test)");
                else {
                    SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss");
                    List<List<String>> rows = new ArrayList<>();
                    for (AlertView a : all) {
                        rows.add(List.of(f.format(new Date(a.startedAtEpochMs())), a.alert(), a.test() ? "test" : a.state(),
                                a.instance() != null ? a.instance() : a.agent() != null ? a.agent() : "-", deliveries(a), a.message()));
                    }
                    Output.table(out, List.of("STARTED", "ALERT", "STATE", "SUBJECT", "DELIVERIES", "MESSAGE"), rows);
                }
                out.flush();
                return ExitCodes.OK;
            }
        }
    }

    static String deliveries(AlertView a) {
        List<String> parts = new ArrayList<>();
        for (AlertView.Delivery d : a.deliveries()) {
            if (d.state().equals(a.state())) parts.add(d.channel() + ":" + d.outcome());
        }
        return parts.isEmpty() ? "-" : String.join(",", parts);
    }

    @Command(name = "test", description = "Fire a test alert through a rule's channels and show each channel's outcome.", mixinStandardHelpOptions = true)
    static final class Test implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CommonOptions common;
        @Parameters(paramLabel = "NAME", description = "the alert rule's name") String name;
        @Option(names = "--json", description = "the test alert with its deliveries, as JSON") boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (RemoteEngine e = common.connect()) {
                AlertView a = e.testAlert(name);
                if (json) {
                    out.println(Output.json(a));
                    out.flush();
                }
                int failed = 0;
                for (AlertView.Delivery d : a.deliveries()) {
                    boolean ok = d.outcome().equals("delivered") || d.outcome().equals("skipped");
                    if (!ok) failed++;
                    if (!json) out.printf("%-8s %-28s %-10s %s%n", d.channel(), d.target(), d.outcome(), d.detail() == null ? "" : d.detail());
                    if (!ok) err.printf("%s: %s delivery %s: %s%n", name, d.channel(), d.outcome(), d.detail());
                }
                out.flush();
                err.flush();
                return failed > 0 ? ExitCodes.PARTIAL : ExitCodes.OK;
            }
        }
    }
}
