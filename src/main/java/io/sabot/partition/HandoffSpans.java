package io.sabot.partition;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Partition handoffs as spans inside the operation that caused them: a rebalance epoch is a span
 * "rebalance TOPIC epoch N" under the span of the instance whose start, stop or crash set it off
 * (found by trace id through the telemetry's {@code SpanIndex}); each revoke lasts from the
 * message to the agent's ack ("revoke INSTANCE TOPIC[partitions]"), each assign likewise. An
 * epoch with no cause (an operator's rebalance) is a trace of its own.
 *
 * <p>Guarantees (test: {@code HandoffTraceTest}): a rolling restart's trace holds the revoke, ack
 * and assign of the partitions that moved; a revoke never acked ends as an error (timeout, or its
 * holder crashed; a holder stopped on purpose releases by exiting); the epoch span ends when its last handoff ends. Thread-safe; never blocks.
 */
public final class HandoffSpans implements AutoCloseable {
    /** How long after a transition its trace is taken as the cause of the next epoch. */
    static final long CAUSE_MS = 5_000;
    /** A handoff message never acknowledged is closed as an error after this long. */
    static final long STALE_MS = 30_000;
    /** An epoch with nothing open ends after this much quiet (at its last handoff's end). */
    static final long QUIET_NANOS = 300_000_000L;

    private record Cause(String traceId, String instance, long atMs) { }

    private static final class Epoch {
        final Span span;
        final long epoch;
        int open;
        boolean hadChildren;
        boolean ended;
        long lastActivityNanos;
        final long createdMs = System.currentTimeMillis();

        Epoch(Span span, long epoch, long startNanos) {
            this.span = span;
            this.epoch = epoch;
            this.lastActivityNanos = startNanos;
        }
    }

    private record Key(String kind, String instance, String topic, long epoch) { }

    private record Child(Span span, Epoch parent, long startedMs) { }

    private final Tracer tracer;
    private final BiFunction<String, String, Optional<SpanContext>> parentFor;
    private final Map<String, Cause> causes = new HashMap<>();
    private final Map<String, List<Epoch>> epochs = new HashMap<>();
    private final Map<Key, Child> children = new HashMap<>();
    /** Ends quiet epochs and stale handoffs when nothing else calls in. */
    private final java.util.concurrent.ScheduledExecutorService sweeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sabot-handoff-spans");
        t.setDaemon(true);
        return t;
    });

    /** @param parentFor (trace id, instance) -> the span to hang the handoff under */
    public HandoffSpans(Tracer tracer, BiFunction<String, String, Optional<SpanContext>> parentFor) {
        this.tracer = tracer;
        this.parentFor = parentFor;
    }

    /** The sweep runs only while an epoch or a handoff is open: no topics, no wake-ups (issue 13). Caller holds this. */
    private java.util.concurrent.ScheduledFuture<?> sweeping;

    private void ensureSweeping() {
        if (sweeping != null || sweeper.isShutdown()) return;
        sweeping = sweeper.scheduleWithFixedDelay(() -> {
            synchronized (this) {
                sweep();
                if (children.isEmpty() && epochs.values().stream().allMatch(List::isEmpty) && sweeping != null) {
                    sweeping.cancel(false);
                    sweeping = null;
                }
            }
        }, 250, 250, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private static long nowNanos() {
        Instant n = Instant.now();
        return n.getEpochSecond() * 1_000_000_000L + n.getNano();
    }

    /** An instance of {@code topic} changed state within trace {@code traceId}: the next epoch of the topic is its doing. */
    public synchronized void cause(String topic, String traceId, String instance) {
        if (topic == null) return;
        long now = System.currentTimeMillis();
        if (traceId == null) {
            // an untraced step of the same instance (RUNNING once its agent says ready) continues its operation:
            // a start slower than CAUSE_MS under load still owns the epoch it sets off
            Cause c = causes.get(topic);
            if (c != null && java.util.Objects.equals(c.instance(), instance)) causes.put(topic, new Cause(c.traceId(), instance, now));
            return;
        }
        causes.put(topic, new Cause(traceId, instance, now));
    }

    /** A new epoch was decided for a topic. */
    public synchronized void epoch(String topic, long epoch, String reason, int moved) {
        sweep();
        // the cause stays for the epochs after this one: the manager batches member changes, so under load one
        // epoch may come after the next transition of the same operation (a restart's "down" after its STARTING)
        Cause c = causes.get(topic);
        if (c != null && (System.currentTimeMillis() - c.atMs() > CAUSE_MS || !causedBy(reason, c.instance()))) c = null;
        Context parent = Context.root();
        if (c != null) {
            Optional<SpanContext> p = parentFor.apply(c.traceId(), c.instance());
            if (p.isPresent()) parent = Context.root().with(Span.wrap(p.get()));
        }
        long start = nowNanos();
        Span s = tracer.spanBuilder("rebalance " + topic + " epoch " + epoch).setParent(parent)
                .setStartTimestamp(start, java.util.concurrent.TimeUnit.NANOSECONDS).startSpan();
        s.setAttribute("sabot.topic", topic);
        s.setAttribute("sabot.epoch", epoch);
        s.setAttribute("sabot.reason", reason == null ? "" : reason);
        s.setAttribute("sabot.moved", moved);
        if (c != null) s.setAttribute("sabot.caused_by", c.instance() == null ? "" : c.instance());
        epochs.computeIfAbsent(topic, k -> new ArrayList<>()).add(new Epoch(s, epoch, start));
        ensureSweeping();
    }

    /** An epoch is the doing of an instance's transition when its reason names that instance ("instance fd-0 up", "+[fd-0]"). */
    static boolean causedBy(String reason, String instance) {
        if (reason == null || instance == null) return true;
        return java.util.regex.Pattern.compile("(?<![\\w-])" + java.util.regex.Pattern.quote(instance) + "(?![\\w-])").matcher(reason).find();
    }

    /** A revoke was sent; it lasts until the ack. */
    public synchronized void revoke(String instance, String topic, long epoch, List<Integer> partitions) {
        child("revoke", instance, topic, epoch, partitions.toString());
    }

    /** An assign was sent; it lasts until the ack. */
    public synchronized void assign(String instance, String topic, long epoch, List<Integer> partitions) {
        child("assign", instance, topic, epoch, partitions.toString());
    }

    private void child(String kind, String instance, String topic, long epoch, String partitions) {
        sweep();
        Epoch e = epochOf(topic, epoch);
        long start = nowNanos();
        Context parent = e == null ? Context.root() : Context.root().with(e.span);
        Span s = tracer.spanBuilder(kind + " " + instance + " " + topic + partitions).setParent(parent)
                .setStartTimestamp(start, java.util.concurrent.TimeUnit.NANOSECONDS).startSpan();
        s.setAttribute("sabot.instance", instance);
        s.setAttribute("sabot.topic", topic);
        s.setAttribute("sabot.epoch", epoch);
        if (e != null) {
            e.open++;
            e.hadChildren = true;
            e.lastActivityNanos = start;
        }
        Child old = children.put(new Key(kind, instance, topic, epoch), new Child(s, e, System.currentTimeMillis()));
        ensureSweeping();
        if (old != null) end(old, "superseded", false);
    }

    /** The agent acknowledged a revoke or an assign ("revoke"/"assign") of this epoch (or, for a revoke, of an earlier one). */
    public synchronized void acked(String kind, String instance, String topic, long epoch) {
        for (Iterator<Map.Entry<Key, Child>> it = children.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Child> c = it.next();
            Key k = c.getKey();
            if (k.kind().equals(kind) && k.instance().equals(instance) && k.topic().equals(topic) && k.epoch() <= epoch) {
                it.remove();
                c.getValue().span().addEvent("ack");
                end(c.getValue(), null, false);
            }
        }
        sweep();
    }

    /**
     * Restore progress of a store partition the instance was given: the first report opens a span
     * "restore INSTANCE TOPIC[P] STORE" under the topic's newest epoch (the handoff that gave the
     * partition; it stays open until the restore ends), the last ends it with what was replayed
     * and from where. Progress keeps it from being taken for a stale handoff.
     */
    public synchronized void restore(String instance, String topic, int partition, String store, long restored, long total,
                                     boolean done, String source, long durationMs) {
        List<Epoch> es = epochs.get(topic);
        Epoch e = es == null || es.isEmpty() ? null : es.get(es.size() - 1);
        long epoch = e == null ? -1 : e.epoch;
        String kind = "restore " + partition + " " + store;
        Key key = null;
        Child c = null;
        for (Map.Entry<Key, Child> x : children.entrySet()) {
            Key k = x.getKey();
            if (k.kind().equals(kind) && k.instance().equals(instance) && k.topic().equals(topic)) {
                key = k;
                c = x.getValue();
            }
        }
        if (c == null) {
            if (done && restored == 0 && total == 0 && durationMs == 0) return; // nothing was restored: no span
            child(kind, instance, topic, epoch, "");
            key = new Key(kind, instance, topic, epoch);
            c = children.get(key);
            c.span().updateName("restore " + instance + " " + topic + "[" + partition + "] " + store);
            c.span().setAttribute("sabot.partition", partition);
            c.span().setAttribute("sabot.store", store);
        }
        c.span().setAttribute("sabot.restore.total", total);
        c.span().setAttribute("sabot.restore.restored", restored);
        if (!done) {
            children.put(key, new Child(c.span(), c.parent(), System.currentTimeMillis())); // progress: not stale
            return;
        }
        children.remove(key);
        if (source != null) c.span().setAttribute("sabot.restore.source", source);
        end(c, null, false);
        sweep();
    }

    /** A revoke was not acknowledged in time (the instance is then killed). */
    public synchronized void timedOut(String instance, String topic, long epoch) {
        Child c = children.remove(new Key("revoke", instance, topic, epoch));
        if (c != null) end(c, "no ack within the revoke timeout", true);
        sweep();
    }

    /** The instance's process is gone: what it was asked and did not acknowledge ends here. */
    public synchronized void dead(String instance) { dead(instance, false); }

    /**
     * The instance's process is gone. A revoke it never acknowledged is an error when it crashed;
     * when it was stopped on purpose (a stop, a restart) the exit is the release, and not a failure
     * of the operation that asked for it.
     */
    public synchronized void dead(String instance, boolean stopped) {
        for (Iterator<Map.Entry<Key, Child>> it = children.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Child> c = it.next();
            if (c.getKey().instance().equals(instance)) {
                it.remove();
                boolean restore = c.getKey().kind().startsWith("restore ");
                end(c.getValue(), restore ? (stopped ? "the instance stopped while restoring" : "the instance died while restoring")
                        : stopped ? "the instance stopped before acknowledging (its exit releases the partitions)"
                        : "the instance died before acknowledging", !stopped && (restore || c.getKey().kind().equals("revoke")));
            }
        }
        sweep();
    }

    private Epoch epochOf(String topic, long epoch) {
        List<Epoch> es = epochs.get(topic);
        if (es == null) return null;
        for (int i = es.size() - 1; i >= 0; i--) if (es.get(i).epoch == epoch) return es.get(i);
        return null;
    }

    private void end(Child c, String why, boolean error) {
        long t = nowNanos();
        if (why != null) c.span().setAttribute("sabot.outcome", why);
        if (error) c.span().setStatus(StatusCode.ERROR, why);
        c.span().end(t, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (c.parent() != null) {
            c.parent().open--;
            c.parent().lastActivityNanos = Math.max(c.parent().lastActivityNanos, t);
        }
    }

    /** Ends epochs whose handoffs are all done (at their last handoff's end) and handoffs left unacknowledged too long. */
    private void sweep() {
        long nowMs = System.currentTimeMillis();
        for (Iterator<Map.Entry<Key, Child>> it = children.entrySet().iterator(); it.hasNext(); ) {
            Child c = it.next().getValue();
            if (nowMs - c.startedMs() > STALE_MS) {
                it.remove();
                end(c, "no ack within " + STALE_MS / 1000 + " s", true);
            }
        }
        long nowNanos = nowNanos();
        for (List<Epoch> es : epochs.values()) {
            for (Iterator<Epoch> it = es.iterator(); it.hasNext(); ) {
                Epoch e = it.next();
                // quiet for a moment: the assigns that follow an ack come right after it
                if (!e.ended && e.open == 0 && nowNanos - e.lastActivityNanos > QUIET_NANOS) {
                    e.span.end(e.lastActivityNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
                    e.ended = true;
                }
                // an ended epoch stays findable a while: a late handoff still hangs under it
                if (e.ended && nowMs - e.createdMs > STALE_MS * 2) it.remove();
            }
        }
    }

    /** Ends everything still open (the engine is closing). */
    @Override
    public synchronized void close() {
        sweeper.shutdownNow();
        for (Child c : children.values()) end(c, "engine closed", false);
        children.clear();
        for (List<Epoch> es : epochs.values()) for (Epoch e : es) if (!e.ended) e.span.end();
        epochs.clear();
    }
}
