package io.sabot.cli;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code sabot console} runs in a JVM tuned for a long-running desktop app, whichever way it was
 * started ({@code java -jar sabot.jar console}, the app image's {@code bin/sabot console}, the
 * desktop entry). The JVM that parsed the command line cannot change its own JIT or heap flags,
 * so it starts the console once more as a child with {@link #FLAGS} (the user's own JVM flags
 * after them, so theirs win), passes its terminal through, forwards a stop, and exits with the
 * child's code. It stays a small waiting process.
 *
 * <p>Why these flags (docs/benchmarks.md, "Console"): C1 only ({@code TieredStopAtLevel=1}),
 * because C2 was the largest CPU user of an idle console for minutes (it recompiles UI code that
 * C1 runs fast enough); G1 with a 20 ms pause goal, because the serial collector's full
 * collections stopped the window for 70-220 ms whenever a bulk restart grew the live set, while
 * G1 marks the old generation concurrently (Shenandoah's pauses were shorter still, but its
 * control thread alone cost an idle console 1.3-1.6 % of a core: docs/benchmarks.md, "Console
 * frames and the collector"); a small initial heap that gives memory back, because a
 * desktop app should hold what it uses, not what it once touched; smaller thread stacks and code
 * cache; two malloc arenas.
 *
 * <p>Not relaunched: {@code --screenshot} (a one-shot render), {@code --help}/{@code --version},
 * a JVM already tuned ({@code -Dsabot.console.jvm} set), or {@code SABOT_CONSOLE_JVM=inherit}
 * (run in the JVM as started).
 */
public final class ConsoleJvm {
    public static final List<String> FLAGS = List.of(
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-XX:G1PeriodicGCInterval=15000", // an idle console still gets a concurrent cycle that gives memory back
            "-Xms48m",
            "-Xmx768m",
            "-XX:MinHeapFreeRatio=20",
            "-XX:MaxHeapFreeRatio=40",
            "-XX:ReservedCodeCacheSize=64m",
            "-Xss512k",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:-UsePerfData", // no hsperfdata file, and no sampler waking 20 times a second (jcmd PID still attaches)
            "-Dsabot.console.jvm=tuned");
    private static final Set<String> NO_RELAUNCH = Set.of("--screenshot", "-h", "--help", "-V", "--version");

    private ConsoleJvm() {}

    /** Whether these arguments open the console in an untuned JVM that should start a tuned one. */
    static boolean wanted(String[] args) {
        if (args == null || args.length == 0 || !"console".equals(args[0])) return false;
        if (System.getProperty("sabot.console.jvm") != null || "inherit".equals(System.getenv("SABOT_CONSOLE_JVM"))) return false;
        for (String a : args) if (NO_RELAUNCH.contains(a) || a.startsWith("--screenshot=")) return false;
        return true;
    }

    /** The child's command line: java, the console flags, the user's JVM flags, the class path, the same arguments. */
    static List<String> command(String[] args) {
        return command(args, List.of());
    }

    /** The same, with {@code javafx} (JavaFX's module options) after the console flags. */
    static List<String> command(String[] args, List<String> javafx) {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.addAll(FLAGS);
        cmd.addAll(javafx);
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-Djava.class.path")) cmd.add(a); // one debugger per port
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.sabot.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs the console in a tuned child JVM when wanted; returns its exit code, or null when the
     * console should run in this JVM (not wanted, or the child could not be started).
     */
    public static Integer relaunch(String[] args) {
        if (!wanted(args)) return null;
        // JavaFX's modules on the tuned JVM's module path at once: from the jar, the console used to
        // start a third JVM for them, and two JVMs (117 MB) waited for the one with the window
        List<String> javafx;
        try {
            javafx = io.sabot.launch.JavaFxModules.optionsForChild(System.getenv());
        } catch (RuntimeException e) {
            javafx = List.of(); // the child relaunches for them itself, and says what failed
        }
        // software drawing at once where JavaFX would refuse the only GL there is (no GPU device): RenderPipeline
        List<String> render = io.sabot.launch.RenderPipeline.jvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments(), java.nio.file.Path.of("/dev"));
        List<String> childOptions = new ArrayList<>(render);
        childOptions.addAll(javafx);
        ProcessBuilder pb = new ProcessBuilder(command(args, childOptions)).inheritIO();
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        io.sabot.launch.RenderPipeline.environment(render, pb.environment());
        if (!javafx.isEmpty()) pb.environment().put(io.sabot.launch.JavaFxModules.relaunchedVariable(), "1");
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            System.err.println("sabot console: cannot start a tuned JVM (" + e.getMessage() + "); running in this one");
            return null;
        }
        // a stop of this process (SIGTERM, Ctrl+C) stops the console the same way, and waits for its orderly end
        Thread stop = new Thread(() -> {
            if (!child.isAlive()) return;
            child.destroy();
            try {
                child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sabot-console-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            int code = child.waitFor();
            Runtime.getRuntime().removeShutdownHook(stop);
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.PARTIAL;
        } catch (IllegalStateException shuttingDown) {
            return ExitCodes.PARTIAL;
        }
    }
}
