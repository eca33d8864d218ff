package io.sabot;

import io.sabot.cli.Launcher;

/** Entry point of {@code sabot.jar}: every command of the contract; no command opens the console. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // the engine's own diagnostics (System.Logger, backed by java.util.logging) as one line each, as before
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "sabot: %5$s%6$s%n");
        }
        // the daemon re-executes itself with its JVM flags, the console runs in a tuned child JVM (see Launcher)
        int code = Launcher.run(args);
        // the daemon and console return only when done; anything left is a daemon thread
        System.exit(code);
    }
}
