package io.sabot.engine;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in the order given, on a shared pool: a group's supervisor handles
 * its events like an OTP process handles its messages, without a thread of its own.
 *
 * <p>A task given on one of the pool's own threads ({@link #drainsInline}) while that thread is
 * not draining a mailbox already, to a mailbox nobody drains, runs at once on that thread instead
 * of waking another one: a death (handled on the pool) reaches its group's decision and the
 * respawn without a second thread hand-off (issue 13: the crash path). Order and one-at-a-time
 * hold either way (the same {@code scheduled} flag guards both). Held by {@code MailboxTest}.
 */
final class Mailbox implements Executor {
    private static final System.Logger LOG = System.getLogger("io.sabot.engine");
    private final Executor pool;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /** Per thread: 0 not a pool thread, 1 a pool thread free to drain here, 2 a pool thread draining now. */
    private static final ThreadLocal<int[]> HERE = ThreadLocal.withInitial(() -> new int[1]);

    Mailbox(Executor pool) { this.pool = pool; }

    /** Threads of the pool mailboxes run on: tasks given on them may be drained in place. */
    static java.util.concurrent.ThreadFactory drainsInline(java.util.concurrent.ThreadFactory f) {
        return r -> f.newThread(() -> {
            HERE.get()[0] = 1;
            r.run();
        });
    }

    @Override
    public void execute(Runnable task) {
        queue.add(task);
        int[] here = HERE.get();
        if (here[0] == 1 && scheduled.compareAndSet(false, true)) {
            drain(); // on a pool thread already: no hand-off
            return;
        }
        schedule();
    }

    /**
     * Runs {@code body} with this thread counted as a pool thread, so a mailbox nobody drains runs
     * its task here: the reaper handing over a lone exit ({@link io.sabot.process.LoneExit}).
     */
    static void drainHere(Runnable body) {
        int[] here = HERE.get();
        int was = here[0];
        if (was == 0) here[0] = 1;
        try {
            body.run();
        } finally {
            here[0] = was;
        }
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
        int[] here = HERE.get();
        int was = here[0];
        if (was == 1) here[0] = 2; // tasks this drain gives to other mailboxes are queued, not nested
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
            here[0] = was;
            scheduled.set(false);
            if (!queue.isEmpty()) schedule();
        }
    }
}
