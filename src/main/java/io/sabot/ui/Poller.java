package io.sabot.ui;

import io.sabot.engine.Engine;
import io.sabot.engine.Selection;
import io.sabot.ui.model.LiveFeed;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the engine's state on its own thread and leaves the latest answer in the {@link LiveFeed}
 * (latest wins): status right after transitions (at most every 200 ms) and at least every second
 * for uptimes; partitions after assignment events and every 2 s while the map is open (lag and
 * offsets move without events); the spec after deploys.
 */
final class Poller implements AutoCloseable {
    private final Engine engine;
    private final LiveFeed feed;
    private final ScheduledExecutorService timer;
    private volatile boolean partitionsWanted;
    private long lastStatus, lastPartitions;
    private String lastError;

    Poller(Engine engine, LiveFeed feed) {
        this.engine = engine;
        this.feed = feed;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sabot-ui-poll");
            t.setDaemon(true);
            return t;
        });
    }

    void start() { timer.scheduleWithFixedDelay(this::tick, 0, 200, TimeUnit.MILLISECONDS); }

    void wantPartitions(boolean b) {
        partitionsWanted = b;
        if (b) feed.markAssignmentsDirty();
    }

    private void tick() {
        long now = System.currentTimeMillis();
        try {
            if (feed.takeSpecDirty()) feed.offerSpec(engine.spec());
            if (feed.takeTransitionsSeen() || now - lastStatus >= 1000) {
                lastStatus = now;
                feed.offerStatus(now, engine.status(Selection.everything()));
            }
            boolean assignments = feed.takeAssignmentsDirty();
            if (assignments || (partitionsWanted && now - lastPartitions >= 2000)) {
                lastPartitions = now;
                feed.offerPartitions(engine.partitions(null));
            }
            lastError = null;
        } catch (RuntimeException e) {
            String msg = "engine not answering: " + e.getMessage();
            if (!msg.equals(lastError)) feed.notice(msg);
            lastError = msg;
        }
    }

    @Override
    public void close() { timer.shutdownNow(); }
}
