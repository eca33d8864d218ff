package io.sabot.probe;

import java.util.concurrent.CompletableFuture;

/**
 * One kind of check, run without blocking the caller's thread: the future completes when the
 * check is done (never exceptionally; a timeout is a failed result).
 */
interface Check extends AutoCloseable {
    CompletableFuture<CheckResult> run();

    /** Releases what the check holds between runs (an open log tail). */
    @Override
    default void close() { }
}
