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
    private final List<Long> seenPids = new ArrayList<>();

    public Daemon(Path home) throws Exception {
        this(home, new String[0]);
    }

    /** A daemon with more options ({@code --metrics-listen ...}). */
    public Daemon(Path home, String... options) throws Exception {
        this(home, java.util.Map.of(), options);
    }

    /** A daemon with more environment ({@code SABOT_HOST_NAME}: two "hosts" on one machine). */
    public Daemon(Path home, java.util.Map<String, String> env, String... options) throws Exception {
        this.home = home;
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "io.sabot.Main", "daemon", "--home", home.toString()));
        cmd.addAll(List.of(options));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        this.process = pb
                .redirectErrorStream(true).redirectOutput(home.resolveSibling(home.getFileName() + "-daemon.log").toFile()).start();
        // a loaded machine (other builds, a broker, several daemons) may take longer than 30 s to start a JVM and its engine
        Await.until(Duration.ofSeconds(env.isEmpty() ? 30 : 90), () -> Files.exists(home.resolve("control.sock")) && run("agents", "status").code == 0,
                () -> "daemon up on " + home);
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
