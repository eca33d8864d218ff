package io.sabot.cli;

import java.io.PrintWriter;

/**
 * What {@code main} runs: the daemon's JVM flags first ({@link DaemonJvm}: re-exec in place when
 * missing), then the lean path for the hot commands ({@link LeanCli}), else the full picocli CLI
 * ({@link Cli}). Kept free of picocli and Jackson so that loading it loads neither.
 */
public final class Launcher {
    private Launcher() {}

    public static int run(String[] args) {
        DaemonJvm.tune(args);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = LeanCli.run(args, out, err);
        return code != LeanCli.NOT_HANDLED ? code : Cli.run(args);
    }
}
