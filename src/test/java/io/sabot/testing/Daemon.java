package io.sabot.testing;

import io.sabot.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * A real {@code sabot daemon} process on a temp home, and the CLI run in-process against it
 * (same code as {@code java -jar sabot.jar}, without a JVM start per command).
 */
public final class Daemon implements AutoCloseable {
    public final Path home;
    public final Process process;
    public final Path log;
    private final List<Long> seenPids = new ArrayList<>();

    public Daemon(Path home) throws Exception {
        this(home, new String[0]);
    }

    /** A daemon with more options ({@code --metrics-listen ...}). */
    public Daemon(Path home, String... options) throws Exception {
        this(home, home.resolveSibling(home.getFileName() + "-daemon.log"), java.util.Map.of(), List.of(), options);
    }

    /**
     * A daemon whose output goes to {@code log}, with extra environment variables and JVM options
     * (e.g. a small -Xmx), and {@code io.sabot.Main} or another main class as the first of {@code jvmArgs}
     * when it does not start with '-'; {@code -jar FILE} runs a packaged jar.
     */
    public Daemon(Path home, Path log, java.util.Map<String, String> env, List<String> jvmArgs, String... options) throws Exception {
        this(home, log, env, argv(home, jvmArgs, options));
    }

    /**
     * A daemon started as {@code sh -c 'ulimit -n N; exec java ...'}: the same process (sh execs
     * the JVM in place), allowed at most {@code nofile} open file descriptors.
     */
    public static Daemon withFileLimit(int nofile, Path home, Path log, java.util.Map<String, String> env) throws Exception {
        StringBuilder cmd = new StringBuilder("ulimit -n " + nofile + " && exec");
        for (String a : argv(home, List.of())) cmd.append(" '").append(a.replace("'", "'\\''")).append('\'');
        return new Daemon(home, log, env, List.of("/bin/sh", "-c", cmd.toString()));
    }

    private Daemon(Path home, Path log, java.util.Map<String, String> env, List<String> argv) throws Exception {
        this.home = home;
        this.log = log;
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        this.process = pb.start();
        Await.until(Duration.ofSeconds(60), () -> !process.isAlive()
                        || (Files.exists(home.resolve("control.sock")) && run("agents", "status").code == 0),
                () -> "daemon up on " + home);
        if (!process.isAlive()) throw new AssertionError("the daemon exited with " + process.exitValue() + ": " + logText());
    }

    private static List<String> argv(Path home, List<String> jvmArgs, String... options) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> argv = new ArrayList<>(List.of(java));
        if (jvmArgs.contains("-jar")) { // e.g. -jar target/sabot.jar: the packaged jar, as users run it
            argv.addAll(jvmArgs);
            argv.addAll(List.of("daemon", "--home", home.toString()));
            argv.addAll(List.of(options));
        } else {
            String main = "io.sabot.Main";
            for (String a : jvmArgs) {
                if (a.startsWith("-")) argv.add(a);
                else main = a;
            }
            argv.addAll(List.of("-cp", System.getProperty("java.class.path"), main, "daemon", "--home", home.toString()));
            argv.addAll(List.of(options));
        }
        return argv;
    }

    /** What the daemon wrote to stdout and stderr so far. */
    public String logText() {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** What a command printed and returned. */
    public static final class Result {
        public final int code;
        public final String out;
        public final String err;

        public Result(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() { return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err; }
    }

    public static Result cli(String... args) {
        CommandLine cl = Cli.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Deploys the spec {@code json} (written beside the home) and fails the test with the CLI's words if that is refused. */
    public void deploy(String json) throws java.io.IOException {
        Path file = home.resolveSibling(home.getFileName() + "-spec.json");
        Files.writeString(file, json);
        Result r = run("agents", "deploy", file.toString());
        if (r.code != 0) throw new AssertionError("deploy exited with " + r.code + ": " + r.out + r.err);
    }

    public Result run(String... args) {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--home";
        full[args.length + 1] = home.toString();
        return cli(full);
    }

    /** What the daemon wrote on stdout and stderr so far. */
    public String log() {
        try {
            return Files.readString(home.resolveSibling(home.getFileName() + "-daemon.log"));
        } catch (java.io.IOException e) {
            return "";
        }
    }

    public void remember(long pid) {
        synchronized (seenPids) { seenPids.add(pid); }
    }

    /** {@link #close()}, for finally blocks (a daemon already killed is fine). */
    public void closeQuietly() {
        try {
            close();
        } catch (Exception ignored) {
            // ending anyway
        }
    }

    @Override
    public void close() throws Exception {
        List<Long> descendants = new ArrayList<>();
        process.descendants().forEach(h -> descendants.add(h.pid()));
        process.destroy(); // SIGTERM: the daemon stops its agents
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        for (long p : descendants) Procs.kill(p);
        synchronized (seenPids) { for (long p : seenPids) Procs.kill(p); }
    }
}
