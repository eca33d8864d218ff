package io.sabot.ui.model;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Where the console's engine calls run: never on the UI thread. Each call hands its outcome back
 * with exactly one hop to the UI thread ({@code Platform::runLater} in the console, a direct
 * executor in toolkit-free tests of the view models). Lifecycle operations may take seconds (stop
 * graces, start timeouts), so they get their own threads and never queue behind quick reads.
 */
public final class Background implements AutoCloseable {
    private final ExecutorService ops = pool("sabot-ui-op", 8);
    private final ExecutorService reads = pool("sabot-ui-read", 3);
    private final Executor ui;

    /** @param ui runs a result on the UI thread */
    public Background(Executor ui) { this.ui = ui; }

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

    /** Runs on the UI thread (a result computed elsewhere). */
    public void ui(Runnable r) { ui.execute(r); }

    /** Fire and forget, off the UI thread (saving preferences, writing a PNG). */
    public void run(Runnable r) { reads.execute(r); }

    private <T> void submit(ExecutorService ex, Callable<T> work, Consumer<T> onDone, Consumer<Throwable> onError) {
        ex.execute(() -> {
            T result;
            try {
                result = work.call();
            } catch (Throwable t) {
                if (onError != null) ui.execute(() -> onError.accept(t));
                return;
            }
            if (onDone != null) ui.execute(() -> onDone.accept(result));
        });
    }

    @Override
    public void close() {
        ops.shutdownNow();
        reads.shutdown();
    }
}
