package io.sabot.ui.model;

import io.sabot.engine.AssignmentView;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.EngineListener;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.MetricsSnapshot;
import io.sabot.engine.PartitionView;
import io.sabot.telemetry.SpanView;
import io.sabot.engine.Transition;
import io.sabot.spec.FleetSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The only thing engine threads touch: every event is recorded into concurrent structures and
 * the call returns at once. The FX pulse takes what accumulated (latest wins per instance,
 * bounded queues for journals), so a burst of 10k events costs the FX thread one pass, not 10k
 * runLaters.
 */
public final class LiveFeed implements EngineListener {
    private final ConcurrentHashMap<String, Transition> latestTransition = new ConcurrentHashMap<>();
    private final BoundedQueue<EngineEvent> journal = new BoundedQueue<>(5_000);
    private final BoundedQueue<MetricsSnapshot> metrics = new BoundedQueue<>(32);
    private final BoundedQueue<SpanView> spans = new BoundedQueue<>(20_000);
    private final BoundedQueue<AssignmentView> assignments = new BoundedQueue<>(64);
    private final BoundedQueue<io.sabot.engine.AlertView> alerts = new BoundedQueue<>(1_000);
    private final AtomicBoolean transitionsSeen = new AtomicBoolean(true);
    private final AtomicBoolean assignmentsDirty = new AtomicBoolean(true);
    private final AtomicBoolean specDirty = new AtomicBoolean(true);
    private final AtomicReference<StatusPoll> polledStatus = new AtomicReference<>();

    /** A status poll and when it started (transitions older than that are already in it). */
    public record StatusPoll(long atMs, List<InstanceStatus> status) { }
    private final AtomicReference<List<PartitionView>> polledPartitions = new AtomicReference<>();
    private final AtomicReference<FleetSpec> polledSpec = new AtomicReference<>();
    private final AtomicLong received = new AtomicLong();
    /** Something arrived since the UI last applied the feed (the pulse ticks only then, or once a second). */
    private final AtomicBoolean pending = new AtomicBoolean(true);
    private volatile long lastEventNanos;

    /** Offsets: the partitions view polls them; as events they only woke the pulse (they are ignored below too). */
    private static final java.util.Set<String> IGNORED = java.util.Set.of("offset");

    @Override
    public java.util.Set<String> ignores() { return IGNORED; }

    /** The frames come first: the engine's events may wait for a core behind the FX thread. */
    @Override
    public boolean background() { return true; }

    @Override
    public void onEvent(EngineEvent e) {
        if (e instanceof EngineEvent.OffsetEvent) return; // nothing shows them: no wake-up of the UI for them
        received.incrementAndGet();
        lastEventNanos = System.nanoTime();
        pending.set(true);
        if (e instanceof EngineEvent.TransitionEvent te) {
            Transition t = te.transition();
            latestTransition.put(t.instance(), t);
            journal.offer(e);
            transitionsSeen.set(true);
        } else if (e instanceof EngineEvent.ResultEvent || e instanceof EngineEvent.NoticeEvent || e instanceof EngineEvent.GroupEvent) {
            journal.offer(e);
            transitionsSeen.set(true);
        } else if (e instanceof EngineEvent.MetricsEvent m) {
            metrics.offer(m.metrics());
        } else if (e instanceof EngineEvent.SpanEvent s) {
            spans.offer(s.span());
        } else if (e instanceof EngineEvent.AssignmentEvent a) {
            assignments.offer(a.assignment());
            assignmentsDirty.set(true);
            transitionsSeen.set(true); // instance partition lists changed: poll status soon
        } else if (e instanceof EngineEvent.AlertEvent a) {
            alerts.offer(a.alert());
        } else if (e instanceof EngineEvent.SpecEvent || e instanceof EngineEvent.RemovedEvent) {
            specDirty.set(true);
            transitionsSeen.set(true);
        } else if (e instanceof EngineEvent.StoreEvent s) {
            storeHealth.set(s.health());
        } else if (e instanceof EngineEvent.RestoreEvent r) {
            io.sabot.engine.StateStoreView v = r.store();
            restores.put(v.owner() + " " + v.store() + " " + v.topic() + " " + v.partition(), v);
        }
    }

    /** Latest restore progress per (instance, store, partition) since the last take. */
    private final ConcurrentHashMap<String, io.sabot.engine.StateStoreView> restores = new ConcurrentHashMap<>();

    /** Restore progress since the last call (latest per store partition). */
    public List<io.sabot.engine.StateStoreView> takeRestores() {
        if (restores.isEmpty()) return List.of();
        List<io.sabot.engine.StateStoreView> out = new java.util.ArrayList<>();
        for (String k : restores.keySet()) {
            io.sabot.engine.StateStoreView v = restores.remove(k);
            if (v != null) out.add(v);
        }
        return out;
    }

    private final AtomicReference<io.sabot.engine.StoreHealth> storeHealth = new AtomicReference<>();

    /** The store's newest health since the last call (latest wins), or null. */
    public io.sabot.engine.StoreHealth takeStoreHealth() { return storeHealth.getAndSet(null); }

    /** The latest transition per instance since the last call (each instance at most once). */
    public Map<String, Transition> takeTransitions() {
        if (latestTransition.isEmpty()) return Map.of();
        Map<String, Transition> out = new java.util.HashMap<>();
        for (String k : latestTransition.keySet()) {
            Transition t = latestTransition.remove(k);
            if (t != null) out.put(k, t);
        }
        return out;
    }

    public List<EngineEvent> takeJournal() { return journal.drain(); }

    /** Alert events since the last call, oldest first (fired, resolved, delivery outcomes). */
    public List<io.sabot.engine.AlertView> takeAlerts() { return alerts.drain(); }

    public List<MetricsSnapshot> takeMetrics() { return metrics.drain(); }

    public List<SpanView> takeSpans() { return spans.drain(); }

    public List<AssignmentView> takeAssignments() { return assignments.drain(); }

    public boolean hasSpans() { return !spans.isEmpty(); }

    /** For the poller: whether something happened that makes a status poll worth doing now. */
    public boolean takeTransitionsSeen() { return transitionsSeen.getAndSet(false); }

    /** Whether a status poll is wanted, without clearing it. */
    public boolean transitionsSeen() { return transitionsSeen.get(); }

    public boolean takeAssignmentsDirty() { return assignmentsDirty.getAndSet(false); }

    public boolean takeSpecDirty() { return specDirty.getAndSet(false); }

    public void markSpecDirty() { specDirty.set(true); }

    public void markStatusDirty() { transitionsSeen.set(true); }

    public void markAssignmentsDirty() { assignmentsDirty.set(true); }

    public void offerStatus(long atMs, List<InstanceStatus> s) {
        polledStatus.set(new StatusPoll(atMs, s));
        pending.set(true);
    }

    public StatusPoll takeStatus() { return polledStatus.getAndSet(null); }

    public void offerPartitions(List<PartitionView> p) {
        polledPartitions.set(p);
        pending.set(true);
    }

    public List<PartitionView> takePartitions() { return polledPartitions.getAndSet(null); }

    public void offerSpec(FleetSpec s) {
        polledSpec.set(s);
        pending.set(true);
    }

    /** Whether anything waits to be applied (the pulse's daemon thread asks). */
    public boolean hasPending() { return pending.get(); }

    /** The UI is about to apply everything: clears the flag (before taking, so nothing is missed). */
    public boolean takePending() { return pending.getAndSet(false); }

    /** Something outside the engine's events has new data for the UI (log lines): tick soon. */
    public void poke() { pending.set(true); }

    public FleetSpec takeSpec() { return polledSpec.getAndSet(null); }

    /** Records a text for people from the UI's own side (poll failures), shown like engine notices. */
    public void notice(String text) {
        journal.offer(new EngineEvent.NoticeEvent(text));
        pending.set(true);
    }

    public long received() { return received.get(); }

    public long lastEventNanos() { return lastEventNanos; }
}
