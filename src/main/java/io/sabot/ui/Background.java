package io.sabot.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.application.Platform;

/**
 * Where the console's engine calls run: never on the FX thread. Each call hands its outcome back
 * with exactly one {@code Platform.runLater}. Lifecycle operations may take seconds (stop
 * graces, start timeouts), so they get their own threads and never queue behind quick reads.
 */
public final class Background implements AutoCloseable {
    private final ExecutorService ops = pool("sabot-ui-op", 8);
    private final ExecutorService reads = pool("sabot-ui-read", 3);

    private static ExecutorService pool(String prefix, int max) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor p = new ThreadPoolExecutor(max, max, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    /** A lifecycle operation (start/stop/restart/deploy/rebalance). */
    public <T> void op(Callable<T> work, Consumer<T> onDone, Consumer<Throwable> onError) {
        submit(ops, work, onDone, onError);
    }

    /** A read (history, logs, traces, partitions, metric history). */
    public <T> void read(Callable<T> work, Consumer<T> onDone, Consumer<Throwable> onError) {
        submit(reads, work, onDone, onError);
    }

    /** Fire and forget, off the FX thread (saving preferences, writing a PNG). */
    public void run(Runnable r) { reads.execute(r); }

    private static <T> void submit(ExecutorService ex, Callable<T> work, Consumer<T> onDone, Consumer<Throwable> onError) {
        ex.execute(() -> {
            T result;
            try {
                result = work.call();
            } catch (Throwable t) {
                if (onError != null) Platform.runLater(() -> onError.accept(t));
                return;
            }
            if (onDone != null) Platform.runLater(() -> onDone.accept(result));
        });
    }

    @Override
    public void close() {
        ops.shutdownNow();
        reads.shutdown();
    }
}
