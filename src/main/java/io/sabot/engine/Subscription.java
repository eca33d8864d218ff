package io.sabot.engine;

/** Ends a subscription (events, log follow). */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
