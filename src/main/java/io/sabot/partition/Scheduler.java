package io.sabot.partition;

import io.sabot.concurrent.Threads;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Delayed tasks for the debounce and the revoke timeouts. An interface so tests can run on a
 * virtual clock instead of sleeping.
 */
public interface Scheduler extends AutoCloseable {

    Cancellable schedule(long delayMs, Runnable task);

    @Override
    default void close() {
    }

    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    /** One daemon thread; close() stops it. */
    static Scheduler daemon(String threadName) {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, Threads.named(threadName));
        ex.setRemoveOnCancelPolicy(true);
        return of(ex, true);
    }

    /** Runs tasks on an executor the caller owns (closed here only if {@code owned}). */
    static Scheduler of(ScheduledExecutorService ex, boolean owned) {
        return new Scheduler() {
            @Override
            public Cancellable schedule(long delayMs, Runnable task) {
                ScheduledFuture<?> f = ex.schedule(task, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }

            @Override
            public void close() {
                if (owned) {
                    ex.shutdownNow();
                }
            }
        };
    }
}
