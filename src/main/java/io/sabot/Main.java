package io.sabot;

import io.sabot.cli.Launcher;

/** Entry point of {@code sabot.jar}: every command of the contract; no command opens the console. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // the daemon re-executes itself with its JVM flags, the console runs in a tuned child JVM (see Launcher)
        int code = Launcher.run(args);
        // the daemon and console return only when done; anything left is a daemon thread
        System.exit(code);
    }
}
