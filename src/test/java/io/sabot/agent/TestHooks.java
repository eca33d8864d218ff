package io.sabot.agent;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Fault injection that runs beside a test agent's consumer loop ({@link TestAgentMain}). */
final class TestHooks {
    private TestHooks() {}

    private static final List<Object> HELD = new ArrayList<>();
    static volatile long sink;

    /** Allocates and touches {@code mb} MiB outside the Java heap (so -Xmx does not cap it) and holds it. */
    static void allocate(long mb, java.io.PrintStream log) {
        Thread t = new Thread(() -> {
            long chunk = 8L << 20;
            long remaining = mb << 20;
            try {
                Class<?> uc = Class.forName("sun.misc.Unsafe");
                Field f = uc.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                Object unsafe = f.get(null);
                Method alloc = uc.getMethod("allocateMemory", long.class);
                Method set = uc.getMethod("setMemory", long.class, long.class, byte.class);
                while (remaining > 0) {
                    long n = Math.min(chunk, remaining);
                    long addr = (Long) alloc.invoke(unsafe, n);
                    set.invoke(unsafe, addr, n, (byte) 1); // touch every page
                    HELD.add(addr);
                    remaining -= n;
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.println("SABOT_TEST_ALLOC_MB: Unsafe unavailable (" + e + "), using direct buffers");
                while (remaining > 0) {
                    int n = (int) Math.min(chunk, remaining);
                    ByteBuffer b = ByteBuffer.allocateDirect(n);
                    for (int i = 0; i < n; i += 4096) b.put(i, (byte) 1);
                    HELD.add(b);
                    remaining -= n;
                }
            }
            log.println("SABOT_TEST_ALLOC_MB: holding " + mb + " MiB");
        }, "sabot-test-alloc");
        t.setDaemon(true);
        t.start();
    }

    /** Starts {@code threads} daemon threads spinning forever. */
    static void busy(int threads) {
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                long x = 1;
                while (true) {
                    for (int k = 0; k < 1_000_000; k++) x = x * 6364136223846793005L + 1442695040888963407L;
                    sink = x;
                }
            }, "sabot-test-busy-" + i);
            t.setDaemon(true);
            t.start();
        }
    }
}
