package io.sabot.cli;

import io.sabot.process.SelfExec;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM a {@code sabot daemon} runs in: small and steady rather than peak-fast. When the daemon
 * was started without these flags (a plain {@code java -jar sabot.jar daemon}), it re-executes
 * itself in place with them before anything else happens (same pid; see {@link SelfExec}). The
 * app image's launcher passes them itself (packaging: {@code --java-options}), marker included.
 * {@code SABOT_DAEMON_JVM=asis} turns this off. Figures behind each flag: docs/benchmarks.md,
 * "Daemon JVM flags".
 */
final class DaemonJvm {
    /** Set (as a system property) on a JVM already started with {@link #FLAGS}. */
    static final String MARK = "sabot.jvm";

    static final List<String> FLAGS = List.of(
            "-XX:+UseSerialGC",            // no GC worker threads, no G1 remembered sets: the live set is a few MB
            "-XX:TieredStopAtLevel=1",     // C1 only: compiles once, quickly; no C2 recompiling for minutes at idle
            "-XX:CICompilerCount=1",
            "-Xms32m",                     // not 1/64 of RAM (its young generation gets touched in full); 16m: 4 full GCs per restart of 100
            "-Xmx512m",
            "-XX:MaxHeapFreeRatio=70",     // give memory back after a burst (IdleCollection runs the full collection that does)
            "-XX:MinHeapFreeRatio=40",     // 10 made a full collection every few hundred starts at 1,000 agents (40-100 ms each)
            "-Xss512k",
            "-XX:ReservedCodeCacheSize=32m",
            "-XX:+ExitOnOutOfMemoryError", // out of heap: die at once; the orphan watchdog ends the agents and the next start recovers
            "-XX:-UsePerfData",            // no hsperfdata file; jcmd PID still attaches
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:AsyncDeflationInterval=1000", // the monitor-deflation thread looks every 1 s, not 4 times a second (0.03 % of a core idle)
            "-D" + MARK + "=tuned");

    private DaemonJvm() {}

    /** Re-executes with {@link #FLAGS} when {@code args} run the daemon in an untuned JVM; returns otherwise. */
    static void tune(String[] args) {
        if (System.getProperty(MARK) != null || "asis".equals(System.getenv("SABOT_DAEMON_JVM")) || !isDaemon(args)) return;
        String why = SelfExec.reexec(new ArrayList<>(FLAGS));
        // still here: this JVM serves as it is
        if (why != null && System.getenv("SABOT_DEBUG") != null) System.err.println("sabot daemon: JVM flags not applied: " + why);
    }

    /** Whether the command line runs {@code sabot daemon} (options before it skipped). */
    static boolean isDaemon(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--home")) {
                i++;
                continue;
            }
            if (a.startsWith("-")) continue;
            return a.equals("daemon");
        }
        return false;
    }
}
