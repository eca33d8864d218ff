package io.sabot.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code sabot}: with no command, opens the console. */
@Command(name = "sabot", mixinStandardHelpOptions = true, versionProvider = SabotCommand.Version.class,
        description = "Supervisor engine and desktop console for stream-processing agents.",
        subcommands = {ConsoleCommand.class, DaemonCommand.class, AgentsCommand.class, PartitionsCommand.class,
                TelemetryCommand.class, ImportCommand.class, AlertsCommand.class, MetricsCommand.class, StoreCommand.class, StateCommand.class, BridgeCommand.class,
                AutoComplete.GenerateCompletion.class})
public final class SabotCommand implements Callable<Integer> {
    @CommandLine.Mixin CommonOptions common;
    @CommandLine.Option(names = "--demo", arity = "0..1", fallbackValue = "embedded", paramLabel = "KIND",
            description = "with the console: deploy and start a demo, embedded (default) or kafka (see `sabot console --help`)") String demo;
    @CommandLine.Option(names = "--bootstrap", paramLabel = "HOST:PORT[,...]", description = "with --demo kafka: your Kafka cluster") String bootstrap;
    @CommandLine.Spec CommandLine.Model.CommandSpec self;

    @Override
    public Integer call() throws Exception {
        ConsoleCommand c = new ConsoleCommand();
        CommandLine cl = new CommandLine(c);
        cl.parseArgs(); // every option at its default (a field added to the console later is never left null)
        c.common = common;
        c.demo = demo;
        c.bootstrap = bootstrap;
        c.spec = cl.getCommandSpec();
        c.view = "agents";
        c.after = 3;
        c.relaunchArgs = self.commandLine().getParseResult() == null ? null : self.commandLine().getParseResult().originalArgs();
        return c.call();
    }

    /** The version from the jar's manifest (the pom's version). */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SabotCommand.class.getPackage().getImplementationVersion();
            return new String[] {"sabot " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
