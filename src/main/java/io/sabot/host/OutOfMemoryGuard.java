package io.sabot.host;

import java.lang.management.ManagementFactory;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * An engine out of heap dies at once instead of limping on with threads that lost their work:
 * its watchdog then ends the agents and the next start recovers from the store
 * (OutOfHeapTest#anEngineOutOfHeapDiesTheWatchdogEndsTheAgentsAndTheNextStartRecovers).
 *
 * <p>The packaged launcher starts the JVM with {@code -XX:+ExitOnOutOfMemoryError}, which does
 * exactly that wherever the error is thrown. {@code java -jar sabot.jar} cannot pass JVM flags,
 * so when the flag is off this guard does the same in two ways: an uncaught
 * {@link OutOfMemoryError} on any thread halts the JVM, and so do two full collections in a row
 * (within {@value #SPIRAL_MS} ms) that each leave the heap at least {@value #FULL_AFTER_GC_PERCENT}%
 * full: the JVM's last attempts before it throws the error, seen also when the code that got the
 * error catches and swallows it (measured here: G1, which keeps 10% in reserve, leaves 92% after its last full collections,
 * Serial 99%; a healthy engine's full collections leave far less). Halting skips shutdown hooks,
 * like the JVM flag: nothing that needs memory runs after the heap is exhausted.
 */
public final class OutOfMemoryGuard {
    private static final System.Logger LOG = System.getLogger("io.sabot.host");
    /** Made before the heap runs out: the last words must not need an allocation the logger would make. */
    private static final java.io.PrintStream ERR = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true);
    static final int FULL_AFTER_GC_PERCENT = 88; // G1 keeps 10% in reserve (G1ReservePercent): 90% used is all it can give
    static final long SPIRAL_MS = 5000;
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
                LOG.log(System.Logger.Level.ERROR, "thread " + t.getName() + " ended: " + io.sabot.errors.UserMessages.describe(e),
                        io.sabot.errors.UserMessages.isBug(e) ? e : null);
            }
        });
        long max = Runtime.getRuntime().maxMemory();
        long[] lastFull = {0};
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof NotificationEmitter)) continue;
            ((NotificationEmitter) gc).addNotificationListener((n, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                if (!info.getGcAction().contains("major")) return;
                long after = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() != MemoryType.HEAP) continue;
                    java.lang.management.MemoryUsage u = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                    if (u != null) after += u.getUsed();
                }
                long now = System.nanoTime() / 1_000_000; // monotonic: a clock jump must not look like two collections in a row
                synchronized (lastFull) {
                    if (after * 100 < max * FULL_AFTER_GC_PERCENT) {
                        lastFull[0] = 0;
                        return;
                    }
                    if (lastFull[0] != 0 && now - lastFull[0] <= SPIRAL_MS) {
                        die("two full garbage collections in a row left the heap " + (after * 100 / max) + "% full");
                    }
                    lastFull[0] = now;
                }
            }, null, null);
        }
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
            ERR.println("sabot: the engine ran out of memory (" + where + "; the heap is limited to " + maxMb
                    + " MiB): exiting now; its watchdog ends the agents and the next start recovers from the store");
            ERR.flush();
        } finally {
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}
