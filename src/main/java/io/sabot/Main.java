package io.sabot;

import io.sabot.cli.Cli;

/** Entry point of {@code sabot.jar}: every command of the contract; no command opens the console. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        io.sabot.cli.Cli.tuneDaemonJvm(args); // the daemon re-executes itself with its JVM flags (same pid) and starts over
        int code = Cli.run(args);
        // the daemon and console return only when done; anything left is a daemon thread
        System.exit(code);
    }
}
