package io.sabot.process;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one spawn of the engine's native launcher costs (pipes, environment, the hand-off to a
 * sabot-spawn thread, posix_spawn until the child execs) when spawns come back to back, when each
 * comes after an idle gap (as a crash's respawn does), and when other threads keep the cores busy
 * (issue 13, docs/benchmarks.md "Session 8"). Prints p10/p50/p90 in microseconds per round of 100.
 *
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * javac -cp target/classes:$(cat /tmp/cp.txt) -d /tmp/spawngap bench/SpawnGap.java
 * java -cp /tmp/spawngap:target/classes:$(cat /tmp/cp.txt) io.sabot.process.SpawnGap GAP_MS [BUSY_THREADS]
 * </pre>
 */
public final class SpawnGap {
    public static void main(String[] args) throws Exception {
        long gapMs = args.length > 0 ? Long.parseLong(args[0]) : 0;
        int busy = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        Map<String, String> env = new HashMap<>(System.getenv());
        List<String> argv = List.of("/bin/sh", "-c", "exit 0");
        for (int i = 0; i < busy; i++) {
            Thread t = new Thread(() -> { long x = 0; while (x >= 0) x++; }, "busy-" + i);
            t.setDaemon(true);
            t.start();
        }
        List<Long> times = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            long[] us = new long[100];
            for (int i = 0; i < us.length; i++) {
                if (gapMs > 0) Thread.sleep(gapMs);
                long t0 = System.nanoTime();
                NativeSpawner.Child c = NativeSpawner.spawn(argv, null, env, NativeSpawner.Stdin.NULL, true);
                us[i] = (System.nanoTime() - t0) / 1000;
                LinuxNative.waitpid(c.pid(), new int[1], 0); // our own child, by its pid
                LinuxNative.close(c.stdoutFd());
                LinuxNative.close(c.stderrFd());
            }
            Arrays.sort(us);
            System.out.println("gap " + gapMs + " ms, busy threads " + busy + ": spawn p10 " + us[10] + " p50 " + us[50] + " p90 " + us[90] + " us");
        }
    }
}
