package io.sabot.partition;

import io.sabot.spec.TopicStrategy;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The manager against simulated agents, over random sequences of joins, health changes,
 * deaths, recoveries, acks, commits, forced rebalances and time passing (debounce and revoke
 * timeouts). An agent consumes a partition from the moment it is assigned until it acks the
 * revoke (after committing) or dies. The property: no partition is ever assigned to an agent
 * while another live agent still consumes it, and assigns resume from the committed offset.
 */
class HandoffPropertiesTest {
    private static final String TOPIC = "payments";
    private static final int AGENTS = 6;

    /** Simulated agents: what each live one consumes, and its unacked revokes, oldest first. */
    static final class World implements AssignmentSink {
        final Set<String> alive = new TreeSet<>();
        final Map<String, Set<Integer>> consuming = new HashMap<>();
        final Map<String, ArrayDeque<long[]>> revokes = new HashMap<>(); // [epoch, partitions...]
        final Map<Integer, Long> progress = new HashMap<>();
        PartitionManager manager;
        int assigns;
        int timeouts;
        int revokesSeen;
        int acks;

        @Override
        public void revoke(String instance, String topic, long epoch, List<Integer> partitions) {
            assertThat(alive).as("revoke sent to a dead agent").contains(instance);
            assertThat(consuming.get(instance)).as("revoke of partitions %s it does not hold", partitions)
                    .containsAll(partitions);
            long[] r = new long[partitions.size() + 1];
            r[0] = epoch;
            for (int i = 0; i < partitions.size(); i++) {
                r[i + 1] = partitions.get(i);
            }
            revokes.computeIfAbsent(instance, k -> new ArrayDeque<>()).add(r);
            revokesSeen++;
        }

        @Override
        public void assign(String instance, String topic, long epoch, List<PartitionStart> partitions) {
            if (!alive.contains(instance)) {
                fail("assign to dead agent " + instance);
            }
            for (PartitionStart ps : partitions) {
                for (String other : alive) {
                    if (consuming.get(other).contains(ps.partition())) {
                        fail("partition " + ps.partition() + " assigned to " + instance + " while " + other
                                + " still consumes it (no ack, not dead)");
                    }
                }
                assertThat(ps.offset()).as("resume offset of %d", ps.partition())
                        .isEqualTo(manager.committedOffset(topic, ps.partition()));
                consuming.get(instance).add(ps.partition());
            }
            assigns++;
        }

        @Override
        public void revokeTimedOut(String instance, String topic, long epoch) {
            timeouts++;
            kill(instance); // what the engine does
        }

        void start(String id) {
            alive.add(id);
            consuming.put(id, new HashSet<>());
            revokes.put(id, new ArrayDeque<>());
        }

        void kill(String id) {
            alive.remove(id);
            consuming.remove(id);
            revokes.remove(id);
        }

        /** The agent handles its oldest revoke: commit what it did, stop, then ack. */
        boolean ackOldest(String id) {
            ArrayDeque<long[]> q = revokes.get(id);
            if (q == null || q.isEmpty()) {
                return false;
            }
            long[] r = q.poll();
            for (int i = 1; i < r.length; i++) {
                int p = (int) r[i];
                long off = progress.merge(p, 3L, Long::sum);
                manager.commit(id, TOPIC, p, off);
                consuming.get(id).remove(p);
            }
            manager.onRevokeAck(id, TOPIC, r[0]);
            acks++;
            return true;
        }
    }

    @Property(tries = 120)
    void noPartitionIsEverConsumedByTwoLiveAgents(
            @ForAll @IntRange(min = 1, max = 40) int partitions,
            @ForAll("ops") List<Integer> ops) {
        ManualScheduler clock = new ManualScheduler(1_000_000);
        World w = new World();
        PartitionManager m = new PartitionManager(w, new PartitionManager.Options(50, 500), clock, clock::now);
        w.manager = m;
        m.addTopic(new TopicConfig(TOPIC, partitions, TopicStrategy.sticky, 100));
        TopicStrategy[] strategies = TopicStrategy.values();
        for (int op : ops) {
            String id = "agent-" + (op % AGENTS);
            switch (op / AGENTS) {
                case 0: // process starts (first time or after a death) and becomes healthy
                    if (!w.alive.contains(id)) {
                        w.start(id);
                    }
                    m.memberUp(TOPIC, id);
                    break;
                case 1: // unhealthy but still running: keeps its partitions until it acks
                    m.memberDown(TOPIC, id);
                    break;
                case 2: // crash
                    if (w.alive.contains(id)) {
                        w.kill(id);
                        m.onInstanceDead(id);
                    }
                    break;
                case 3:
                case 4: // the agent handles a revoke
                    w.ackOldest(id);
                    break;
                case 5: // time passes: debounce fires, revokes may time out
                    clock.advance(40L * (op % AGENTS + 1));
                    break;
                case 6: // operator forces a rebalance with some strategy
                    m.rebalance(TOPIC, Optional.of(strategies[op % strategies.length]), "operator");
                    break;
                default: // a consuming agent commits progress; a non-holder's commit is fenced off
                    for (String a : w.alive) {
                        for (int p : w.consuming.get(a)) {
                            long off = w.progress.merge(p, 1L, Long::sum);
                            assertThat(m.commit(a, TOPIC, p, off)).isTrue();
                        }
                    }
                    if (!w.alive.contains(id) || w.consuming.get(id).isEmpty()) {
                        assertThat(m.commit(id, TOPIC, 0, 1_000_000)).isFalse();
                    }
            }
            checkManagerView(m, w, partitions);
        }
        // quiesce: let every debounce fire and every live agent ack; then all is settled
        for (int round = 0; round < 10; round++) {
            clock.advance(100);
            for (String a : new ArrayList<>(w.alive)) {
                while (w.ackOldest(a)) {
                    checkManagerView(m, w, partitions);
                }
            }
        }
        PartitionAssignment last = m.assignment(TOPIC);
        TreeSet<String> members = new TreeSet<>(m.members(TOPIC));
        Checks.everyPartitionOwned(partitions, members, last.ownerMap());
        if (members.isEmpty()) {
            assertThat(last.unassigned()).hasSize(partitions);
        } else {
            assertThat(m.isSettled(TOPIC)).as("settled after quiescing").isTrue();
            for (int p = 0; p < partitions; p++) {
                assertThat(w.consuming.get(last.owner(p))).contains(p);
            }
        }
        // coverage of the interesting paths across the tries (seen: revokes ~60-70%,
        // timeouts ~8-12%, acks ~55-65%; thresholds leave room for random variation)
        net.jqwik.api.statistics.Statistics.label("revokes sent").collect(w.revokesSeen > 0);
        net.jqwik.api.statistics.Statistics.label("revoke timeouts").collect(w.timeouts > 0);
        net.jqwik.api.statistics.Statistics.label("acks").collect(w.acks > 0);
        net.jqwik.api.statistics.Statistics.label("revokes sent").coverage(c -> c.check(true).percentage(p -> p >= 40));
        net.jqwik.api.statistics.Statistics.label("revoke timeouts").coverage(c -> c.check(true).percentage(p -> p > 0));
        net.jqwik.api.statistics.Statistics.label("acks").coverage(c -> c.check(true).percentage(p -> p >= 30));
        m.close();
    }

    /** kind * AGENTS + agent, kinds weighted so joins, handoffs and timeouts all happen often. */
    @Provide
    Arbitrary<List<Integer>> ops() {
        Arbitrary<Integer> kind = Arbitraries.frequency(
                Tuple.of(4, 0), Tuple.of(1, 1), Tuple.of(1, 2), Tuple.of(2, 3), Tuple.of(2, 4),
                Tuple.of(3, 5), Tuple.of(1, 6), Tuple.of(1, 7));
        Arbitrary<Integer> agent = Arbitraries.integers().between(0, AGENTS - 1);
        return Combinators.combine(kind, agent).as((k, a) -> k * AGENTS + a).list().ofMinSize(10).ofMaxSize(80);
    }

    /** The manager's holders agree with the agents: one holder per partition, a live one. */
    private static void checkManagerView(PartitionManager m, World w, int partitions) {
        for (int p = 0; p < partitions; p++) {
            Optional<String> h = m.holderOf(TOPIC, p);
            int consumers = 0;
            for (String a : w.alive) {
                if (w.consuming.get(a).contains(p)) {
                    consumers++;
                    assertThat(h).as("holder of %d", p).contains(a);
                }
            }
            assertThat(consumers).as("live consumers of %d", p).isLessThanOrEqualTo(1);
            final int q = p;
            h.ifPresent(x -> assertThat(w.alive).as("holder of %d is alive", q).contains(x));
        }
        // the target of every epoch: one owner per partition from that epoch's healthy members
        PartitionAssignment a = m.assignment(TOPIC);
        Checks.everyPartitionOwned(partitions, new TreeSet<>(a.members()), a.ownerMap());
    }
}
