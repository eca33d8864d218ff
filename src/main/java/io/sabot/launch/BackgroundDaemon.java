package io.sabot.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Starts {@code sabot daemon} for a home in the background, detached from the console: its own
 * session ({@code setsid}), stdin from /dev/null, stdout and stderr appended to
 * {@code <home>/logs/daemon.log} (owner-only). The console then attaches to it over the control
 * socket, so closing the window leaves the engine and its agents running.
 *
 * <p>Guarantees (test: {@code ConsoleDaemonTest}): the daemon outlives the console's JVM; when it
 * cannot come up (home held, bad home) the error names why, with the last lines of its log.
 */
public final class BackgroundDaemon {
    /** A daemon started by this console: its pid and log. */
    public record Started(long pid, Path log) { }

    private BackgroundDaemon() {}

    public static Path logFile(Path home) { return home.resolve("logs").resolve("daemon.log"); }

    /**
     * Starts the daemon and waits until {@code answers} says its socket answers (at most
     * {@code timeout}); IOException naming the reason when it exits or stays silent.
     */
    public static Started start(Path home, Duration timeout, BooleanSupplier answers) throws IOException {
        Path logs = home.resolve("logs");
        Files.createDirectories(logs, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path log = logFile(home);
        if (!Files.exists(log)) Files.createFile(log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        List<String> argv = new ArrayList<>();
        for (String s : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            if (Files.isExecutable(Path.of(s))) {
                argv.add(s);
                break;
            }
        }
        argv.addAll(JvmCommand.sabot(List.of("daemon", "--home", home.toString())));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove(JavaFxModules.RELAUNCHED);
        Files.writeString(log, "---- started by sabot console (pid " + ProcessHandle.current().pid() + ") at " + java.time.Instant.now() + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        Process p = pb.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (answers.getAsBoolean()) return new Started(p.pid(), log);
            if (!p.isAlive()) {
                throw new IOException("the background engine exited at once (code " + p.exitValue() + "); the end of " + log + ":\n" + tail(log, 8));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the background engine was starting");
            }
        }
        throw new IOException("the background engine (pid " + p.pid() + ") did not answer within " + timeout.toSeconds() + " s; the end of " + log + ":\n" + tail(log, 8));
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()).stream().map(l -> "  " + l).toList());
        } catch (IOException e) {
            return "  (cannot read it: " + e.getMessage() + ")";
        }
    }
}
