package io.sabot;

import io.sabot.cli.Cli;

/** Entry point of {@code sabot.jar}: every command of the contract; no command opens the console. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // the engine's own diagnostics (System.Logger, backed by java.util.logging) as one line each, as before
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "sabot: %5$s%6$s%n");
        }
        // the console runs in a JVM tuned for a long-running desktop app (a child, see ConsoleJvm)
        Integer relaunched = io.sabot.cli.ConsoleJvm.relaunch(args);
        int code = relaunched != null ? relaunched : Cli.run(args);
        // the daemon and console return only when done; anything left is a daemon thread
        System.exit(code);
    }
}
