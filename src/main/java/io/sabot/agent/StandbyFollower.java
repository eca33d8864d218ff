package io.sabot.agent;

import io.sabot.protocol.ProtocolMessages;
import io.sabot.statestore.StandbyStore;
import io.sabot.statestore.StateConfig;
import io.sabot.statestore.Stores;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

/**
 * The standby replicas an agent keeps ({@code standby} messages): per standby partition, a warm
 * copy of each of its stores ({@link StandbyStore}) that a thread of its own keeps following the
 * owner's changelog (every {@value #FOLLOW_MS} ms), off the processing loop. When the partition is
 * assigned here, {@link #take} hands the copies to the restore. A copy the engine no longer lists
 * is kept {@value #RETIRE_MS} ms more: the list may reach the agent before the assign that makes
 * this instance the partition's owner.
 *
 * <p>Standbys are kept for durable memory-backend stores with a local changelog (embedded topics).
 * RocksDB stores already share their live database on one host (a new owner replays only the tail
 * since the old owner's last write), and Kafka input is not followed yet: both ignore the message.
 */
final class StandbyFollower implements AutoCloseable {
    static final long FOLLOW_MS = 200;
    static final long RETIRE_MS = 30_000;

    private record Held(Map<String, StandbyStore> stores, long retiredAtMs) {}

    private final StateConfig state;
    private final List<String> storeNames;
    private final AgentLog log;
    /** "topic partition" -> the copies (retiredAtMs 0: listed by the engine now). */
    private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();
    private ScheduledExecutorService follower;
    /** The engine's last list per topic (a partition listed while still owned here is followed once revoked). */
    private final Map<String, Set<Integer>> listed = new ConcurrentHashMap<>();

    StandbyFollower(StateConfig state, List<String> storeNames, AgentLog log) {
        this.state = state;
        this.storeNames = storeNames;
        this.log = log;
    }

    /** True when this agent keeps standby copies at all. */
    boolean enabled() {
        return state.durable() && !storeNames.isEmpty() && Stores.MEMORY.equals(state.backend());
    }

    private static String key(String topic, int partition) { return topic + " " + partition; }

    /** The engine's list of {@code topic}'s partitions this instance is the standby of; {@code owned} tells which it owns. */
    void update(ProtocolMessages.Standby m, BiPredicate<String, Integer> owned) {
        if (!enabled()) return;
        Set<String> want = new HashSet<>();
        long now = System.currentTimeMillis();
        listed.put(m.topic(), Set.copyOf(m.partitions()));
        for (int p : m.partitions()) {
            String k = key(m.topic(), p);
            want.add(k);
            if (owned.test(m.topic(), p)) continue;
            Held h = held.get(k);
            if (h != null) {
                if (h.retiredAtMs() != 0) held.put(k, new Held(h.stores(), 0));
                continue;
            }
            follow(m.topic(), p);
        }
        for (Map.Entry<String, Held> e : held.entrySet()) {
            if (e.getKey().startsWith(m.topic() + " ") && !want.contains(e.getKey()) && e.getValue().retiredAtMs() == 0) {
                e.setValue(new Held(e.getValue().stores(), now));
            }
        }
        log.info("standby of " + m.topic() + " " + m.partitions() + " (epoch " + m.epoch() + ")");
        startFollower();
    }

    /** A partition revoked here: followed from now on when the engine lists this instance as its standby. */
    void revoked(String topic, int partition) {
        if (!enabled() || !listed.getOrDefault(topic, Set.of()).contains(partition) || held.containsKey(key(topic, partition))) return;
        follow(topic, partition);
        startFollower();
    }

    private void follow(String topic, int p) {
        Map<String, StandbyStore> stores = new LinkedHashMap<>();
        for (String name : storeNames) {
            stores.put(name, new StandbyStore(name, topic, p, Stores.partitionDir(state.dir(), name, topic, p)));
        }
        held.put(key(topic, p), new Held(stores, 0));
    }

    private void startFollower() {
        if (follower == null && !held.isEmpty()) {
            follower = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sabot-state-standby");
                t.setDaemon(true);
                return t;
            });
            follower.scheduleWithFixedDelay(this::follow, 0, FOLLOW_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** The warm copies of a partition now assigned here (null: none); the caller closes them. */
    Map<String, StandbyStore> take(String topic, int partition) {
        Held h = held.remove(key(topic, partition));
        return h == null ? null : h.stores();
    }

    /** The copies listed by the engine, as store states with status {@code standby}. */
    List<ProtocolMessages.StoreState> report() {
        List<ProtocolMessages.StoreState> out = new ArrayList<>();
        for (Held h : held.values()) {
            if (h.retiredAtMs() != 0) continue;
            for (StandbyStore s : h.stores().values()) {
                out.add(new ProtocolMessages.StoreState(s.store(), s.topic(), s.partition(), "standby", s.entries(), s.bytes(), 0, 0, 0));
            }
        }
        return out;
    }

    boolean isEmpty() { return held.isEmpty(); }

    private void follow() {
        long now = System.currentTimeMillis();
        for (Map.Entry<String, Held> e : held.entrySet()) {
            Held h = e.getValue();
            if (h.retiredAtMs() != 0 && now - h.retiredAtMs() > RETIRE_MS) {
                if (held.remove(e.getKey(), h)) h.stores().values().forEach(StandbyStore::close);
                continue;
            }
            for (StandbyStore s : h.stores().values()) {
                try {
                    s.catchUp();
                } catch (java.io.IOException | RuntimeException ex) {
                    // the owner rolled or deleted a segment meanwhile: the next round reads the log again
                }
            }
        }
    }

    @Override
    public void close() {
        if (follower != null) follower.shutdownNow();
        for (Held h : held.values()) h.stores().values().forEach(StandbyStore::close);
        held.clear();
    }
}
