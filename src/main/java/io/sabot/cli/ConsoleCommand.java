package io.sabot.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sabot console}: the desktop console, hosting the engine or attached to a running daemon. */
@Command(name = "console", description = "Open the desktop console (hosts the engine, or attaches to a running daemon).", mixinStandardHelpOptions = true)
public final class ConsoleCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CommonOptions common;
    @Option(names = "--demo", description = "deploy and start the demo fleet") boolean demo;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("sabot console: not available in this build yet");
        return ExitCodes.PARTIAL;
    }
}
