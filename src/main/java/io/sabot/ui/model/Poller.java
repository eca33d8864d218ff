package io.sabot.ui.model;

import io.sabot.engine.Engine;
import io.sabot.engine.Selection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the engine's state on its own thread and leaves the latest answer in the {@link LiveFeed}
 * (latest wins). Events drive it; the timers are only a safety net:
 * <ul>
 *   <li>status after transitions, results, deploys and assignments, once events pause for 300 ms
 *       (at most every 2 s while they keep coming: the transitions themselves move the rows), and
 *       otherwise every {@link #STATUS_SAFETY_MS} (health and lag move without events; the
 *       uptime column ticks locally, CPU and memory come with the metrics events);</li>
 *   <li>partitions after assignment events and every 2 s while the map is open (lag and offsets
 *       move without events);</li>
 *   <li>the spec after deploys.</li>
 * </ul>
 * Guarantee: idle, it asks the engine for status once per {@link #STATUS_SAFETY_MS}, not once a
 * second (a status of 1,000 instances over the socket is ~300 KB of JSON). Held by PollerTest.
 */
public final class Poller implements AutoCloseable {
    /** The longest a status may be stale when no event arrives. */
    public static final long STATUS_SAFETY_MS = 10_000;
    static final long TICK_MS = 200;
    static final long QUIET_NANOS = 300_000_000L;
    static final long STORM_STATUS_MS = 2_000;
    private final Engine engine;
    private final LiveFeed feed;
    private final ScheduledExecutorService timer;
    private volatile boolean partitionsWanted;
    private long lastStatus, lastPartitions;
    private String lastError;
    private volatile long statusPolls;

    public Poller(Engine engine, LiveFeed feed) {
        this.engine = engine;
        this.feed = feed;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sabot-ui-poll");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() { timer.scheduleWithFixedDelay(this::tick, 0, TICK_MS, TimeUnit.MILLISECONDS); }

    public void wantPartitions(boolean b) {
        partitionsWanted = b;
        if (b) feed.markAssignmentsDirty();
    }

    /** One round (the timer calls it every 200 ms; tests call it directly). */
    void tick() {
        long now = System.currentTimeMillis();
        try {
            if (feed.takeSpecDirty()) feed.offerSpec(engine.spec());
            // during a storm (a bulk restart of 1,000) transitions already move the rows: read the
            // full status when it calms down (300 ms without events), at most every 2 s meanwhile
            boolean quiet = System.nanoTime() - feed.lastEventNanos() >= QUIET_NANOS;
            boolean seen = feed.transitionsSeen() && (quiet || now - lastStatus >= STORM_STATUS_MS);
            if (seen || now - lastStatus >= STATUS_SAFETY_MS) {
                feed.takeTransitionsSeen();
                lastStatus = now;
                statusPolls++;
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

    /** Status reads so far (tests and the benchmark). */
    public long statusPolls() { return statusPolls; }

    @Override
    public void close() { timer.shutdownNow(); }
}
