package io.sabot.cli;

import java.io.PrintWriter;

/**
 * What {@code main} runs: the daemon's JVM flags first ({@link DaemonJvm}: re-exec in place when
 * missing), the console's tuned child JVM ({@link ConsoleJvm}), then the lean path for the hot commands ({@link LeanCli}), else the full picocli CLI
 * ({@link Cli}). Kept free of picocli and Jackson so that loading it loads neither.
 */
public final class Launcher {
    private Launcher() {}

    public static int run(String[] args) {
        DaemonJvm.tune(args);
        // the console runs in a JVM tuned for a long-running desktop app (a child, see ConsoleJvm)
        Integer relaunched = ConsoleJvm.relaunch(args);
        if (relaunched != null) return relaunched;
        // a --host command: ssh and the remote bridge come up while this JVM loads the CLI
        EarlySsh.start(args, System.getenv());
        // one write for a 1,000-row table (System.out itself flushes every line, through a 128-byte buffer)
        PrintWriter out = new PrintWriter(new java.io.BufferedWriter(new java.io.OutputStreamWriter(System.out,
                java.nio.charset.Charset.defaultCharset()), 1 << 16), false);
        PrintWriter err = new PrintWriter(System.err, true);
        int code;
        try {
            code = LeanCli.run(args, out, err);
        } finally {
            out.flush();
        }
        return code != LeanCli.NOT_HANDLED ? code : Cli.run(args);
    }
}
