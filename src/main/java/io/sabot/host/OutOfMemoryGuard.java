package io.sabot.host;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import javax.management.NotificationEmitter;

/**
 * An engine out of heap dies at once instead of limping on with threads that lost their work:
 * its watchdog then ends the agents and the next start recovers from the store
 * (OutOfHeapTest#anEngineOutOfHeapDiesTheWatchdogEndsTheAgentsAndTheNextStartRecovers).
 *
 * <p>The packaged launcher starts the JVM with {@code -XX:+ExitOnOutOfMemoryError}, which does
 * exactly that wherever the error is thrown. {@code java -jar sabot.jar} cannot pass JVM flags,
 * so when the flag is off this guard does the same in two ways: an uncaught
 * {@link OutOfMemoryError} on any thread halts the JVM, and so does a heap that is still at least
 * {@value #FULL_AFTER_GC_PERCENT}% full right after a collection (the state in which the error is
 * thrown, also when some code catches and swallows it). Halting skips shutdown hooks, like the
 * JVM flag: nothing that needs memory runs after the heap is exhausted.
 */
public final class OutOfMemoryGuard {
    static final int FULL_AFTER_GC_PERCENT = 98;
    /** The exit status, the JVM's own for -XX:+ExitOnOutOfMemoryError. */
    static final int EXIT_STATUS = 3;
    private static boolean installed;

    private OutOfMemoryGuard() {}

    /** Installs the guard once per JVM (a no-op when the JVM already exits on an out-of-memory error). */
    public static synchronized void install() {
        if (installed) return;
        installed = true;
        if (jvmExitsOnOutOfMemory()) return;
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (e instanceof OutOfMemoryError) die("on thread " + t.getName());
            if (previous != null) {
                previous.uncaughtException(t, e);
            } else {
                System.err.println("sabot: thread " + t.getName() + " ended: " + io.sabot.errors.UserMessages.describe(e));
                if (io.sabot.errors.UserMessages.isBug(e)) e.printStackTrace();
            }
        });
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP || !pool.isCollectionUsageThresholdSupported()) continue;
            long max = pool.getUsage().getMax();
            if (max <= 0) continue;
            pool.setCollectionUsageThreshold(max * FULL_AFTER_GC_PERCENT / 100);
        }
        NotificationEmitter emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
        emitter.addNotificationListener((n, handback) -> {
            if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(n.getType())) {
                die("the heap was still " + FULL_AFTER_GC_PERCENT + "% full after a garbage collection");
            }
        }, null, null);
    }

    /** Whether the JVM was started with -XX:+ExitOnOutOfMemoryError or -XX:+CrashOnOutOfMemoryError. */
    static boolean jvmExitsOnOutOfMemory() {
        try {
            com.sun.management.HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (hs == null) return false;
            return "true".equals(hs.getVMOption("ExitOnOutOfMemoryError").getValue())
                    || "true".equals(hs.getVMOption("CrashOnOutOfMemoryError").getValue());
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static void die(String where) {
        long maxMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        try {
            System.err.println("sabot: the engine ran out of memory (" + where + "; the heap is limited to " + maxMb
                    + " MiB): exiting now; its watchdog ends the agents and the next start recovers from the store");
            System.err.flush();
        } finally {
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}
