package io.sabot.state;

import io.sabot.concurrent.Threads;
import io.sabot.engine.Engine;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.Ports;
import io.sabot.engine.Selection;
import io.sabot.engine.StateStoreView;
import io.sabot.engine.StateViews;
import io.sabot.engine.Subscription;
import io.sabot.protocol.ProtocolMessages;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.FleetSpec;
import io.sabot.statestore.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The engine's view of agents' state stores. Agents report the stores they hold ({@code stores})
 * and restore progress ({@code restore}) over the protocol; this service keeps the latest of each,
 * publishes restore progress as {@link EngineEvent.RestoreEvent}s (at most 4 a second per store
 * partition, and when done), answers {@code sabot state show} (held stores, and stores on disk
 * that nobody holds now, status {@code offline}), resets an agent's state while it is stopped, and
 * deletes a consumer group's state when the last agent of the group is removed.
 *
 * <p>Disk work (sizes, deletes) runs on this service's own thread or the caller's (a reset), never
 * on an engine thread.
 */
public final class StateService implements StateViews, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.sabot.state");
    private final Ports.Events events;
    private final Ports.Instances instances;
    private final Engine engine;
    private final Path home;
    private final List<Subscription> subs = new ArrayList<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(Threads.named("sabot-state"));
    /** Held stores by "instance store topic partition". */
    private final Map<String, StateStoreView> held = new ConcurrentHashMap<>();
    /** Consumer group of every agent ever deployed here (the spec of a removed agent is gone when its removal is heard). */
    private final Map<String, String> groupOf = new ConcurrentHashMap<>();
    private volatile FleetSpec spec = new FleetSpec(List.of(), List.of());

    public StateService(Ports.Events events, Ports.Instances instances, Engine engine, Path home) {
        this.events = events;
        this.instances = instances;
        this.engine = engine;
        this.home = home;
        subs.add(instances.onAgentMessages(this::onMessage));
        subs.add(events.subscribe(e -> {
            if (e instanceof EngineEvent.SpecEvent s) onSpec(s.spec());
            else if (e instanceof EngineEvent.TransitionEvent t && t.transition().to() != InstanceState.RUNNING) {
                String id = t.transition().instance();
                held.keySet().removeIf(k -> k.startsWith(id + " "));
            } else if (e instanceof EngineEvent.RemovedEvent r) {
                List<String> agents = r.agents();
                worker.execute(() -> cleanUp(agents));
            }
        }));
        onSpec(engine.spec());
    }

    private void onSpec(FleetSpec s) {
        spec = s;
        for (AgentSpec a : s.agents()) groupOf.put(a.name(), a.consumerGroup());
    }

    private static String key(String instance, String store, String topic, int partition) {
        return instance + " " + store + " " + topic + " " + partition;
    }

    private void onMessage(String id, ProtocolMessages.ToEngine m) {
        if (m instanceof ProtocolMessages.Stores s) {
            AgentSpec a = instances.specOf(id);
            if (a == null) return;
            Set<String> now = new HashSet<>();
            long t = System.currentTimeMillis();
            for (ProtocolMessages.StoreState x : s.stores()) {
                String k = key(id, x.store(), x.topic(), x.partition());
                now.add(k);
                StateStoreView old = held.get(k);
                boolean restoring = "restoring".equals(x.status());
                held.put(k, new StateStoreView(a.name(), a.consumerGroup(), x.store(), x.topic(), x.partition(), id, x.status(),
                        x.entries(), x.bytes(), x.diskBytes(), x.restored(), x.restoreTotal(),
                        restoring && old != null ? old.restoreRate() : 0, restoring && old != null ? old.etaSeconds() : null,
                        old == null ? null : old.source(), t));
            }
            held.keySet().removeIf(k -> k.startsWith(id + " ") && !now.contains(k));
        } else if (m instanceof ProtocolMessages.Restore r) {
            AgentSpec a = instances.specOf(id);
            if (a == null) return;
            String k = key(id, r.store(), r.topic(), r.partition());
            long t = System.currentTimeMillis();
            StateStoreView old = held.get(k);
            double rate = 0;
            if (old != null && t > old.updatedAtEpochMs() && r.restored() >= old.restoredRecords()) {
                rate = (r.restored() - old.restoredRecords()) * 1000.0 / (t - old.updatedAtEpochMs());
            } else if (r.done() && r.durationMs() > 0) {
                rate = r.restored() * 1000.0 / r.durationMs();
            }
            Double eta = r.done() ? Double.valueOf(0) : rate > 0 ? (r.total() - r.restored()) / rate : null;
            StateStoreView v = new StateStoreView(a.name(), a.consumerGroup(), r.store(), r.topic(), r.partition(), id,
                    r.done() ? "active" : "restoring", old == null ? 0 : old.entries(), old == null ? 0 : old.bytes(),
                    old == null ? 0 : old.diskBytes(), r.restored(), r.total(), rate, eta,
                    r.source() != null ? r.source() : old == null ? null : old.source(), t);
            held.put(k, v);
            events.publish(new EngineEvent.RestoreEvent(v));
        }
    }

    @Override
    public List<StateStoreView> stores(String agent) {
        List<StateStoreView> out = new ArrayList<>();
        Set<String> heldDirs = new HashSet<>();
        for (StateStoreView v : held.values()) {
            if (agent != null && !agent.equals(v.agent())) continue;
            out.add(v);
            heldDirs.add(v.consumerGroup() + "/" + v.store() + "/" + v.topic() + "-" + v.partition());
        }
        // stores on disk that no running instance holds (the agent is stopped, or the partition unassigned)
        for (AgentSpec a : spec.agents()) {
            if (agent != null && !agent.equals(a.name())) continue;
            if (a.state() == null) continue;
            Path g = Stores.groupDir(home, a.consumerGroup());
            for (Path p : partitionDirs(g)) {
                String store = p.getParent().getFileName().toString();
                String tp = p.getFileName().toString();
                if (heldDirs.contains(a.consumerGroup() + "/" + store + "/" + tp)) continue;
                int dash = tp.lastIndexOf('-');
                int partition;
                try {
                    partition = Integer.parseInt(tp.substring(dash + 1));
                } catch (NumberFormatException | IndexOutOfBoundsException e) {
                    continue;
                }
                heldDirs.add(a.consumerGroup() + "/" + store + "/" + tp); // a group shared by agents: once
                out.add(new StateStoreView(a.name(), a.consumerGroup(), store, tp.substring(0, dash), partition, null, "offline",
                        0, 0, Stores.sizeOf(p), 0, 0, 0, null, null, 0));
            }
        }
        out.sort(Comparator.comparing(StateStoreView::agent).thenComparing(StateStoreView::store).thenComparing(StateStoreView::topic)
                .thenComparingInt(StateStoreView::partition).thenComparing(v -> v.owner() == null ? "" : v.owner()));
        return out;
    }

    private static List<Path> partitionDirs(Path groupDir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(groupDir)) return out;
        try (Stream<Path> stores = Files.list(groupDir)) {
            for (Path s : (Iterable<Path>) stores::iterator) {
                if (!Files.isDirectory(s)) continue;
                try (Stream<Path> parts = Files.list(s)) {
                    parts.filter(Files::isDirectory).forEach(out::add);
                }
            }
        } catch (IOException e) {
            // shown as far as it could be read
        }
        return out;
    }

    @Override
    public StateReset reset(String agent, String store) {
        AgentSpec a = null;
        for (AgentSpec x : engine.spec().agents()) if (x.name().equals(agent)) a = x;
        if (a == null) throw new IllegalArgumentException("unknown agent \"" + agent + "\"; deployed: " + groupOf.keySet().stream().sorted().toList());
        if (store != null && !Stores.NAME.matcher(store).matches()) throw new IllegalArgumentException("\"" + store + "\" is not a store name");
        // every agent of the consumer group shares its stores: all of them must be stopped
        List<String> sharing = new ArrayList<>();
        for (AgentSpec x : engine.spec().agents()) if (x.consumerGroup().equals(a.consumerGroup())) sharing.add(x.name());
        List<String> live = new ArrayList<>();
        for (InstanceStatus s : engine.status(Selection.of(sharing))) {
            if (s.state() != InstanceState.STOPPED && s.state() != InstanceState.FAILED) live.add(s.id() + " " + s.state());
        }
        if (!live.isEmpty()) {
            throw new IllegalArgumentException("cannot reset the state of \"" + agent + "\" while it runs (" + String.join(", ", live)
                    + "); stop it first: sabot agents stop " + String.join(" ", sharing));
        }
        Path g = Stores.groupDir(home, a.consumerGroup());
        List<String> cleared = new ArrayList<>();
        long freed = 0;
        try {
            if (Files.isDirectory(g)) {
                try (Stream<Path> ss = Files.list(g)) {
                    for (Path s : (Iterable<Path>) ss::iterator) {
                        String name = s.getFileName().toString();
                        if (store != null && !store.equals(name)) continue;
                        freed += Stores.sizeOf(s);
                        Stores.deleteTree(s);
                        cleared.add(name);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("state of \"" + agent + "\" under " + g + " not fully deleted: " + e.getMessage(), e);
        }
        if (store != null && cleared.isEmpty()) {
            throw new IllegalArgumentException("agent \"" + agent + "\" has no state store \"" + store + "\" (stores: "
                    + partitionDirs(g).stream().map(p -> p.getParent().getFileName().toString()).distinct().sorted().toList() + ")");
        }
        events.publish(new EngineEvent.NoticeEvent("state of " + agent + " reset" + (store == null ? "" : " (store " + store + ")")
                + ": " + cleared.size() + " store(s), " + freed + " bytes"));
        return new StateReset(agent, a.consumerGroup(), cleared, freed);
    }

    /** Removed agents: their consumer group's state goes once no deployed agent uses the group. */
    private void cleanUp(List<String> removed) {
        Set<String> inUse = new HashSet<>();
        for (AgentSpec a : engine.spec().agents()) inUse.add(a.consumerGroup());
        for (String agent : removed) {
            String g = groupOf.remove(agent);
            if (g == null || inUse.contains(g) || !Stores.NAME.matcher(g).matches()) continue;
            Path dir = Stores.groupDir(home, g);
            try {
                if (Files.exists(dir)) {
                    long bytes = Stores.sizeOf(dir);
                    Stores.deleteTree(dir);
                    events.publish(new EngineEvent.NoticeEvent("state of removed agent " + agent + " deleted (" + bytes + " bytes)"));
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "state of removed agent " + agent + " under " + dir + " not fully deleted: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        subs.forEach(Subscription::close);
        worker.shutdown();
        try {
            worker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
