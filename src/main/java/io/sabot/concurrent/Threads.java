package io.sabot.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The one way the engine and its services make threads: named for what they do, daemon, numbered. */
public final class Threads {
    private Threads() {}

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, ... */
    public static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * A pool of up to {@code n} threads that exist only while there is work: each ends after
     * {@code idleSeconds} without a task and is made again when one comes (a thread costs ~0.1 ms to
     * start). For pools sized for bursts (bulk operations) that an idle engine should not carry.
     */
    public static java.util.concurrent.ExecutorService elastic(String prefix, int n, int idleSeconds) {
        java.util.concurrent.ThreadPoolExecutor p = new java.util.concurrent.ThreadPoolExecutor(n, n, idleSeconds,
                java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), named(prefix));
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    /** Starts a daemon thread with this name. */
    public static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Interrupts {@code t} and waits up to {@code ms} for it to end (a service's close: its loop
     * ends on the interrupt; a close that is itself interrupted keeps the interrupt and returns).
     */
    public static void stop(Thread t, long ms) {
        t.interrupt();
        try {
            t.join(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
