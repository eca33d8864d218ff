package io.sabot.partition;

import io.sabot.spec.TopicStrategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several threads drive one manager on the real scheduler at once, while the sink (agents that
 * ack revokes at once, re-entrantly) checks that no partition is ever assigned while another
 * live agent holds it. A smoke test for locking, delivery order and deadlocks. Each thread
 * drives its own two instances, since the engine reports one instance's events in order.
 */
class PartitionManagerConcurrencyTest {
    private static final String TOPIC = "t";
    private static final int AGENTS = 8;
    private static final int PARTITIONS = 64;

    @Test
    void concurrentCallersKeepTheHandoffSafe() throws Exception {
        AtomicReference<String> violation = new AtomicReference<>();
        Set<String> dead = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Map<String, Set<Integer>> holding = new HashMap<>(); // guarded by itself
        PartitionManager[] self = new PartitionManager[1];
        AssignmentSink sink = new AssignmentSink() {
            @Override
            public void revoke(String instance, String topic, long epoch, List<Integer> partitions) {
                synchronized (holding) {
                    Set<Integer> h = holding.get(instance);
                    if (h != null) {
                        h.removeAll(partitions);
                    }
                }
                if (!dead.contains(instance)) {
                    self[0].onRevokeAck(instance, topic, epoch);
                }
            }

            @Override
            public void assign(String instance, String topic, long epoch, List<PartitionStart> partitions) {
                synchronized (holding) {
                    if (dead.contains(instance)) {
                        return; // the message reaches a process that just died: dropped
                    }
                    for (PartitionStart ps : partitions) {
                        holding.forEach((other, set) -> {
                            if (!other.equals(instance) && set.contains(ps.partition())) {
                                violation.compareAndSet(null, "partition " + ps.partition() + " assigned to "
                                        + instance + " while " + other + " holds it");
                            }
                        });
                    }
                    holding.computeIfAbsent(instance, k -> new HashSet<>());
                    partitions.forEach(ps -> holding.get(instance).add(ps.partition()));
                }
            }
        };
        try (PartitionManager m = new PartitionManager(sink, new PartitionManager.Options(5, 200))) {
            self[0] = m;
            m.addTopic(TopicConfig.of(TOPIC, PARTITIONS));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                fs.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    for (int i = 0; i < 1_500; i++) {
                        // each thread owns two agents: like the engine, lifecycle events of one
                        // instance (death, then restart under the same id) arrive in order
                        String id = "a-" + (seed * 2 + r.nextInt(2));
                        switch (r.nextInt(6)) {
                            case 0:
                            case 1:
                                synchronized (holding) {
                                    dead.remove(id);
                                }
                                m.memberUp(TOPIC, id);
                                break;
                            case 2:
                                m.memberDown(TOPIC, id);
                                break;
                            case 3:
                                synchronized (holding) {
                                    dead.add(id);
                                    holding.remove(id);
                                }
                                m.onInstanceDead(id);
                                break;
                            case 4:
                                m.rebalance(TOPIC, Optional.of(TopicStrategy.values()[r.nextInt(5)]), "op");
                                break;
                            default:
                                m.commit(TOPIC, r.nextInt(PARTITIONS), i);
                                m.status(TOPIC);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(20, TimeUnit.SECONDS);
            }
            pool.shutdown();
            // the last requested rebalance fires within the debounce; then all is settled
            m.rebalanceNow(TOPIC, "final");
            assertThat(violation.get()).isNull();
            Thread.sleep(50);
            PartitionAssignment a = m.assignment(TOPIC);
            Checks.everyPartitionOwned(PARTITIONS, new java.util.TreeSet<>(a.members()), a.ownerMap());
        }
    }
}
