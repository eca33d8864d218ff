package io.sabot.partition;

import io.sabot.spec.TopicStrategy;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupAssignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sabot's assignors against Kafka's (kafka-clients, public ConsumerPartitionAssignor API) on one
 * topic of P partitions over N instances: time of the first assignment, time after one instance
 * is removed (its partitions must move; the others' may stay), partitions moved, and balance.
 *
 * <p>Each cell is the median of {@code runs} timed calls after {@code warmup} untimed ones, on
 * inputs built before timing (Kafka: Cluster + GroupSubscription with ownedPartitions and the
 * generation; Sabot: member list + the previous epoch's owner map, as PartitionManager passes).
 * The "PartitionManager" rows time the whole engine path instead: rebalance() including the
 * PartitionAssignment (moved/unassigned lists) and the handoff plan.
 *
 * <p>Run: {@code mvn -q -B -Pbench test-compile exec:java@assignor-bench}
 * (args: {@code -Dexec.args="--sizes 1000/50,10000/100 --warmup 5 --runs 7"}).
 */
public final class AssignorBenchmark {
    static final String COMMAND = "mvn -q -B -Pbench test-compile exec:java@assignor-bench";
    private static final String TOPIC = "bench";

    private int warmup = 5;
    private int runs = 7;
    private final List<int[]> sizes = new ArrayList<>(List.of(
            new int[] {1_000, 50}, new int[] {10_000, 100}, new int[] {100_000, 1_000}));

    public static void main(String[] args) {
        AssignorBenchmark b = new AssignorBenchmark();
        b.parse(args);
        b.run();
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup":
                    warmup = Integer.parseInt(args[++i]);
                    break;
                case "--runs":
                    runs = Integer.parseInt(args[++i]);
                    break;
                case "--sizes":
                    sizes.clear();
                    for (String s : args[++i].split(",")) {
                        String[] pn = s.split("/");
                        sizes.add(new int[] {Integer.parseInt(pn[0].trim()), Integer.parseInt(pn[1].trim())});
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument '" + args[i]
                            + "'; allowed: --sizes P/N,P/N --warmup N --runs N");
            }
        }
    }

    /** One row of the table. */
    private record Row(String size, String assignor, double firstMs, double afterMs, int moved, int ideal, int spread) {
    }

    private void run() {
        String loadBefore = loadAverage();
        List<Row> rows = new ArrayList<>();
        for (int[] pn : sizes) {
            int p = pn[0];
            int n = pn[1];
            System.err.printf("measuring %d partitions / %d instances ...%n", p, n);
            List<String> members = members(n);
            String removed = members.get(n / 2);
            List<String> after = new ArrayList<>(members);
            after.remove(removed);
            String size = String.format("%,d / %,d", p, n);
            int ideal = (int) Math.ceil((double) p / n);
            rows.add(sabot(size, "Sabot sticky", new StickyAssignor(), p, members, after, ideal));
            rows.add(kafka(size, "Kafka CooperativeSticky", CooperativeStickyAssignor::new, p, members, after, ideal));
            rows.add(kafka(size, "Kafka RoundRobin", RoundRobinAssignor::new, p, members, after, ideal));
            rows.add(sabot(size, "Sabot hash (HRW)", new HashAssignor(TOPIC), p, members, after, ideal));
            rows.add(manager(size, p, members, removed, ideal));
        }
        print(rows, loadBefore, loadAverage());
    }

    /** 1/5/15-minute load averages, to judge how much other work shared the cores. */
    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }

    // ---- Sabot --------------------------------------------------------------------------

    private Row sabot(String size, String name, Assignor a, int p, List<String> members, List<String> after, int ideal) {
        Map<Integer, String> first = a.assign(p, members, Map.of(), Map.of(), Map.of());
        double firstMs = time(() -> a.assign(p, members, Map.of(), Map.of(), Map.of()));
        Map<Integer, String> second = a.assign(p, after, first, Map.of(), Map.of());
        double afterMs = time(() -> a.assign(p, after, first, Map.of(), Map.of()));
        return new Row(size, name, firstMs, afterMs, moved(p, first::get, second::get), ideal,
                spread(p, after, second::get));
    }

    /** The engine's whole path: PartitionManager.rebalance, assignment record and handoff plan. */
    private Row manager(String size, int p, List<String> members, String removed, int ideal) {
        Scheduler none = (delay, task) -> () -> { };
        double[] firstMs = new double[runs];
        double[] afterMs = new double[runs];
        PartitionAssignment[] last = new PartitionAssignment[2];
        for (int i = -warmup; i < runs; i++) {
            PartitionManager m = new PartitionManager(AssignmentSink.NONE, PartitionManager.Options.DEFAULTS, none,
                    System::currentTimeMillis);
            m.addTopic(new TopicConfig(TOPIC, p, TopicStrategy.sticky, 10));
            m.setMembers(TOPIC, members);
            long t0 = System.nanoTime();
            PartitionAssignment a1 = m.rebalanceNow(TOPIC, "start");
            long t1 = System.nanoTime();
            m.memberDown(TOPIC, removed);
            long t2 = System.nanoTime();
            PartitionAssignment a2 = m.rebalanceNow(TOPIC, "instance removed");
            long t3 = System.nanoTime();
            if (i >= 0) {
                firstMs[i] = (t1 - t0) / 1e6;
                afterMs[i] = (t3 - t2) / 1e6;
            }
            last[0] = a1;
            last[1] = a2;
        }
        List<String> after = new ArrayList<>(members);
        after.remove(removed);
        return new Row(size, "Sabot sticky via PartitionManager", median(firstMs), median(afterMs),
                last[1].moved().size(), ideal, spread(p, after, last[1]::owner));
    }

    // ---- Kafka --------------------------------------------------------------------------

    private Row kafka(String size, String name, Supplier<ConsumerPartitionAssignor> make, int p,
                      List<String> members, List<String> after, int ideal) {
        Cluster cluster = cluster(p);
        GroupSubscription fresh = subscriptions(members, null);
        Map<Integer, String> first = owners(make.get().assign(cluster, fresh));
        double firstMs = timeKafka(make, cluster, fresh);
        GroupSubscription owned = subscriptions(after, first);
        Map<Integer, String> second = owners(make.get().assign(cluster, owned));
        double afterMs = timeKafka(make, cluster, owned);
        return new Row(size, name, firstMs, afterMs, moved(p, first::get, second::get), ideal,
                spread(p, after, second::get));
    }

    private double timeKafka(Supplier<ConsumerPartitionAssignor> make, Cluster cluster, GroupSubscription subs) {
        double[] ms = new double[runs];
        for (int i = -warmup; i < runs; i++) {
            ConsumerPartitionAssignor a = make.get(); // leader-side state must not leak between runs
            long t0 = System.nanoTime();
            GroupAssignment g = a.assign(cluster, subs);
            long t1 = System.nanoTime();
            if (i >= 0) {
                ms[i] = (t1 - t0) / 1e6;
            }
            Objects.requireNonNull(g);
        }
        return median(ms);
    }

    private static Cluster cluster(int p) {
        Node node = new Node(0, "localhost", 9092);
        Node[] replicas = {node};
        List<PartitionInfo> infos = new ArrayList<>(p);
        for (int i = 0; i < p; i++) {
            infos.add(new PartitionInfo(TOPIC, i, node, replicas, replicas));
        }
        return new Cluster("bench", List.of(node), infos, java.util.Set.of(), java.util.Set.of());
    }

    /** One subscription per member; with {@code previous}, each lists what it owned (generation 1). */
    private static GroupSubscription subscriptions(List<String> members, Map<Integer, String> previous) {
        Map<String, List<TopicPartition>> owned = new HashMap<>();
        if (previous != null) {
            previous.forEach((part, owner) -> owned.computeIfAbsent(owner, k -> new ArrayList<>())
                    .add(new TopicPartition(TOPIC, part)));
        }
        Map<String, Subscription> subs = new HashMap<>();
        for (String m : members) {
            subs.put(m, new Subscription(List.of(TOPIC), null, owned.getOrDefault(m, List.of()),
                    previous == null ? -1 : 1, Optional.empty()));
        }
        return new GroupSubscription(subs);
    }

    private static Map<Integer, String> owners(GroupAssignment g) {
        Map<Integer, String> out = new HashMap<>();
        g.groupAssignment().forEach((member, a) -> a.partitions().forEach(tp -> out.put(tp.partition(), member)));
        return out;
    }

    // ---- helpers ------------------------------------------------------------------------

    private double time(Runnable r) {
        double[] ms = new double[runs];
        for (int i = -warmup; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            long t1 = System.nanoTime();
            if (i >= 0) {
                ms[i] = (t1 - t0) / 1e6;
            }
        }
        return median(ms);
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static List<String> members(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(String.format("worker-%04d", i));
        }
        return out;
    }

    /** Partitions whose owner differs (a partition left without owner counts as moved). */
    private static int moved(int p, java.util.function.IntFunction<String> before, java.util.function.IntFunction<String> after) {
        int n = 0;
        for (int i = 0; i < p; i++) {
            if (!Objects.equals(before.apply(i), after.apply(i))) {
                n++;
            }
        }
        return n;
    }

    private static int spread(int p, List<String> members, java.util.function.IntFunction<String> owner) {
        Map<String, Integer> c = new HashMap<>();
        members.forEach(m -> c.put(m, 0));
        for (int i = 0; i < p; i++) {
            String o = owner.apply(i);
            if (o != null) {
                c.merge(o, 1, Integer::sum);
            }
        }
        int max = c.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int min = c.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        return max - min;
    }

    private void print(List<Row> rows, String loadBefore, String loadAfter) {
        StringBuilder sb = new StringBuilder();
        sb.append("| partitions / instances | assignor | first assignment (ms) | after 1 instance removed (ms) "
                + "| partitions moved | ideal moved (ceil P/N) | max - min after |\n");
        sb.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row r : rows) {
            sb.append(String.format("| %s | %s | %.2f | %.2f | %,d | %,d | %d |%n",
                    r.size(), r.assignor(), r.firstMs(), r.afterMs(), r.moved(), r.ideal(), r.spread()));
        }
        sb.append('\n');
        sb.append(String.format("Median of %d runs after %d warm-up runs; JDK %s (%s), %d available processors.%n",
                runs, warmup, System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors()));
        sb.append(String.format("Load average (1/5/15 min) before: %s, after: %s.%n", loadBefore, loadAfter));
        sb.append("Command: `").append(COMMAND).append("`\n");
        System.out.print(sb);
    }
}
