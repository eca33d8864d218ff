package io.sabot.engine;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in the order given, on a shared pool: a group's supervisor handles
 * its events like an OTP process handles its messages, without a thread of its own.
 */
final class Mailbox implements Executor {
    private static final System.Logger LOG = System.getLogger("io.sabot.engine");
    private final Executor pool;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Mailbox(Executor pool) { this.pool = pool; }

    @Override
    public void execute(Runnable task) {
        queue.add(task);
        schedule();
    }

    private void schedule() {
        if (!scheduled.compareAndSet(false, true)) return;
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            scheduled.set(false); // the engine is closing
            queue.clear();
        }
    }

    private void drain() {
        try {
            for (int n = 0; n < 256; n++) {
                Runnable r = queue.poll();
                if (r == null) break;
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "supervision task failed", e);
                }
            }
        } finally {
            scheduled.set(false);
            if (!queue.isEmpty()) schedule();
        }
    }
}
