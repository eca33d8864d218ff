package io.sabot.reliability;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a call that might hang (a request to an engine under abuse) with a deadline, so a hang fails the test instead of stalling the build. */
final class Bounded {
    private Bounded() {}

    static <T> T call(Duration limit, String what, Callable<T> c) {
        FutureTask<T> task = new FutureTask<>(c);
        Thread t = new Thread(task, "bounded-" + what);
        t.setDaemon(true);
        t.start();
        try {
            return task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            t.interrupt();
            throw new AssertionError(what + ": no answer within " + limit.toMillis() + " ms (hung)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AssertionError) throw (AssertionError) cause;
            throw new AssertionError(what + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
