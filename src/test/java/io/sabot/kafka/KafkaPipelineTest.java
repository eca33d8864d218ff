package io.sabot.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.partition.KafkaTopics;
import io.sabot.engine.AssignmentView;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.testing.Await;
import io.sabot.testing.FleetFixture;
import io.sabot.testing.KafkaBroker;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real built-in agents under the engine on a real KRaft Kafka broker (loopback, started by the
 * suite from the Apache Kafka artifacts): Sabot assigns, Kafka carries the data and stores the
 * offsets. Each test uses its own topics and groups on the shared broker.
 */
class KafkaPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path home;

    static String cluster(KafkaBroker k) {
        return "\"clusters\":[{\"name\":\"local\",\"bootstrapServers\":\"" + k.bootstrap() + "\",\"properties\":{\"linger.ms\":\"5\"}}]";
    }

    static String topic(String name, int partitions) {
        return "{\"name\":\"" + name + "\",\"cluster\":\"local\",\"create\":true,\"partitions\":" + partitions + ",\"replication\":1}";
    }

    static String agent(String name, String kind, int n, String in, String out, String env) {
        return "{\"name\":\"" + name + "\",\"builtin\":\"" + kind + "\",\"concurrency\":" + n
                + (in == null ? "" : ",\"topic\":\"" + in + "\"") + (out == null ? "" : ",\"outputs\":[\"" + out + "\"]")
                + ",\"stopGraceMs\":3000,\"restart\":{\"maxRestarts\":100,\"backoff\":{\"initialMs\":50,\"maxMs\":500}}"
                + ",\"env\":{\"SABOT_LINGER_MS\":\"50\",\"SABOT_BATCH\":\"200\"" + (env == null ? "" : "," + env) + "}}";
    }

    static String logs(FleetFixture x, String... ids) {
        StringBuilder b = new StringBuilder();
        for (String id : ids) b.append("\n--- ").append(id).append(" ").append(x.f.status(id)).append('\n')
                .append(String.join("\n", x.f.engine.logs(id, 25)));
        return b.append('\n').toString();
    }

    private static List<PartitionView> lanes(FleetFixture x, String topic, String group) {
        return x.f.engine.partitions(topic).stream().filter(p -> group.equals(p.group())).toList();
    }

    /** The group has committed everything the broker has on every partition (and the end is known). */
    private static boolean caughtUp(FleetFixture x, String topic, String group, int partitions, long atLeast) {
        List<PartitionView> ps = lanes(x, topic, group);
        if (ps.size() != partitions) return false;
        long sum = 0;
        for (PartitionView p : ps) {
            if (p.committedOffset() != p.logEndOffset()) return false;
            sum += p.committedOffset();
        }
        return sum >= atLeast;
    }

    @Test
    void twoAgentsOnOneKafkaTopicEachProcessEveryRecordAndKafkaShowsSabotsOffsets() throws Exception {
        KafkaBroker k = KafkaBroker.shared();
        String tx = KafkaBroker.uniqueName("tx");
        int n = 3_000;
        String spec = "{" + cluster(k) + ",\"topics\":[" + topic(tx, 6) + "],\"agents\":["
                + agent("gen", "generator", 1, null, tx, "\"SABOT_GENERATOR_RATE\":\"2000\",\"SABOT_GENERATOR_LIMIT\":\"" + n + "\"") + ","
                + agent("enr", "enricher", 2, tx, null, null) + ","
                + agent("alr", "alerter", 1, tx, null, null) + "]}";
        try (FleetFixture x = new FleetFixture(home)) {
            x.f.engine.deploy(Specs.parse(spec, home));
            assertThat(x.f.engine.start(Selection.everything(), null, null)).allMatch(LifecycleResult::success);
            Await.until(Duration.ofSeconds(90), () -> caughtUp(x, tx, "enr", 6, n) && caughtUp(x, tx, "alr", 6, n),
                    () -> "both groups processed all " + n + " records: " + x.f.engine.partitions(tx));
            assertThat(lanes(x, tx, "alr")).allMatch(p -> "alr-0".equals(p.owner()) && "local".equals(p.cluster()) && p.reachable());
            assertThat(lanes(x, tx, "enr")).extracting(PartitionView::owner).containsOnly("enr-0", "enr-1");
            assertThat(k.endOffsets(tx, 6).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(n);
            // Kafka's own view of the groups' offsets (what kafka-consumer-groups.sh --describe shows) equals Sabot's
            for (String g : List.of("enr", "alr")) {
                Await.until(Duration.ofSeconds(10), () -> {
                    Map<Integer, Long> inKafka = k.committed(g, tx);
                    return lanes(x, tx, g).stream().allMatch(p -> Long.valueOf(p.committedOffset()).equals(inKafka.get(p.partition())));
                }, () -> "Kafka's offsets of " + g + " " + k.committed(g, tx) + " = Sabot's " + lanes(x, tx, g));
            }
        }
    }

    @Test
    void aGroupOfThreeOverTwelvePartitionsIsBalancedAndEachPartitionOwnedOnce() throws Exception {
        KafkaBroker k = KafkaBroker.shared();
        String tx = KafkaBroker.uniqueName("tx");
        String spec = "{" + cluster(k) + ",\"topics\":[" + topic(tx, 12) + "],\"agents\":["
                + agent("fd", "fraud-detector", 3, tx, null, null) + "]}";
        try (FleetFixture x = new FleetFixture(home)) {
            x.f.engine.deploy(Specs.parse(spec, home));
            assertThat(x.f.engine.start(Selection.everything(), null, null)).allMatch(LifecycleResult::success);
            Await.until(Duration.ofSeconds(60), () -> {
                Map<String, Integer> counts = new HashMap<>();
                List<PartitionView> ps = lanes(x, tx, "fd");
                for (PartitionView p : ps) if (p.owner() != null) counts.merge(p.owner(), 1, Integer::sum);
                return ps.size() == 12 && counts.size() == 3 && counts.values().stream().allMatch(c -> c == 4)
                        && x.partitions.group("fd").map(m -> m.isSettled(tx)).orElse(false)
                        && x.f.engine.status(Selection.everything()).stream().allMatch(s -> s.partitions().size() == 4);
            }, () -> "4 partitions each: " + x.f.engine.partitions(tx) + " " + x.f.engine.status(Selection.everything()));
            Set<String> owned = new HashSet<>();
            for (InstanceStatus s : x.f.engine.status(Selection.everything())) {
                for (String p : s.partitions()) assertThat(owned.add(p)).as("%s owned twice", p).isTrue();
            }
            assertThat(owned).hasSize(12);
            assertThat(k.partitions(tx)).isEqualTo(12);
        }
    }

    /**
     * The whole pipeline, with SIGKILLs of an enricher and a fraud detector while it runs: every
     * generated transaction reaches the enriched topic, and every enriched record is accounted for
     * in the alerts topic (alerted, or inside a filtered range), read from the topics themselves.
     */
    @Test
    void aSigkilledInstancesPartitionsMoveAndThePipelineLosesNothing() throws Exception {
        KafkaBroker k = KafkaBroker.shared();
        String tx = KafkaBroker.uniqueName("transactions");
        String en = KafkaBroker.uniqueName("enriched");
        String al = KafkaBroker.uniqueName("alerts");
        int n = 8_000;
        String spec = "{" + cluster(k) + ",\"topics\":[" + topic(tx, 12) + "," + topic(en, 12) + "," + topic(al, 12) + "],\"agents\":["
                + agent("gen", "generator", 1, null, tx, "\"SABOT_GENERATOR_RATE\":\"1000\",\"SABOT_GENERATOR_LIMIT\":\"" + n + "\"") + ","
                + agent("enricher", "enricher", 2, tx, en, null) + ","
                + agent("fraud", "fraud-detector", 3, en, al, null) + ","
                + agent("alerter", "alerter", 1, al, null, null) + "]}";
        try (FleetFixture x = new FleetFixture(home)) {
            x.f.engine.deploy(Specs.parse(spec, home));
            assertThat(x.f.engine.start(Selection.everything(), null, null)).allMatch(LifecycleResult::success);
            Await.until(Duration.ofSeconds(60), () -> lanes(x, en, "fraud").stream().mapToLong(PartitionView::committedOffset).sum() > 500,
                    () -> "the pipeline flows: " + logs(x, "gen-0", "enricher-0", "fraud-0", "alerter-0") + x.f.engine.partitions(null));
            // SIGKILL one enricher and one fraud detector mid-stream
            List<AssignmentView> assignments = new CopyOnWriteArrayList<>();
            x.f.engine.subscribe(e -> { if (e instanceof EngineEvent.AssignmentEvent a) assignments.add(a.assignment()); });
            long e1 = x.f.status("enricher-1").pid();
            long f0 = x.f.status("fraud-0").pid();
            Procs.sigkill(e1);
            Procs.sigkill(f0);
            // the dead instances' partitions move to their groups' survivors (before the restarted ones rejoin)
            Await.until(Duration.ofSeconds(30), () -> assignments.stream().anyMatch(a -> a.topic().equals(tx) && "enricher".equals(a.group())
                            && a.owners().size() == 12 && a.owners().values().stream().allMatch("enricher-0"::equals))
                    && assignments.stream().anyMatch(a -> a.topic().equals(en) && "fraud".equals(a.group())
                            && a.owners().size() == 12 && !a.owners().containsValue("fraud-0") && !a.owners().containsValue(null)),
                    () -> "enricher-1's and fraud-0's partitions moved to the others: " + assignments);
            Await.until(Duration.ofSeconds(120), () -> caughtUp(x, tx, "enricher", 12, n) && caughtUp(x, en, "fraud", 12, n)
                            && caughtUp(x, al, "alerter", 12, 1),
                    () -> "every stage caught up: " + x.f.engine.partitions(null));
            assertThat(x.f.engine.history("enricher-1")).anyMatch(t -> t.to() == InstanceState.BACKOFF);

            // from the topics themselves
            Set<String> generated = new HashSet<>();
            for (ConsumerRecord<String, String> r : k.readAll(tx)) generated.add(JSON.readTree(r.value()).get("txn").asText());
            assertThat(generated).hasSize(n);
            Set<String> enrichedTxns = new HashSet<>();
            Map<Integer, TreeMap<Long, String>> enriched = new HashMap<>();
            for (ConsumerRecord<String, String> r : k.readAll(en)) {
                JsonNode j = JSON.readTree(r.value());
                enrichedTxns.add(j.get("txn").asText());
                enriched.computeIfAbsent(r.partition(), p -> new TreeMap<>()).put(r.offset(), j.get("txn").asText());
                // per-card order: the enriched record is in the partition of its key, as the transaction was
                assertThat(r.key()).isEqualTo(j.get("card").asText());
            }
            assertThat(enrichedTxns).as("every generated transaction was enriched").containsAll(generated);
            Map<Integer, TreeMap<Long, Long>> covered = new HashMap<>();
            Set<String> alerted = new HashSet<>();
            long filtered = 0;
            for (ConsumerRecord<String, String> r : k.readAll(al)) {
                JsonNode j = JSON.readTree(r.value());
                JsonNode src = j.get("source");
                assertThat(src.get("topic").asText()).isEqualTo(en);
                int p = src.get("partition").asInt();
                if ("alert".equals(j.get("type").asText())) {
                    long o = src.get("offset").asLong();
                    covered.computeIfAbsent(p, q -> new TreeMap<>()).merge(o, o + 1, Math::max);
                    alerted.add(j.get("txn").asText());
                    assertThat(j.get("rule").asText()).isIn("amount", "burst", "amount+burst");
                } else {
                    covered.computeIfAbsent(p, q -> new TreeMap<>()).merge(src.get("from").asLong(), src.get("to").asLong(), Math::max);
                    filtered += j.get("count").asLong();
                }
            }
            long records = 0;
            for (Map.Entry<Integer, TreeMap<Long, String>> e : enriched.entrySet()) {
                long end = e.getValue().lastKey() + 1;
                records += e.getValue().size();
                long reach = 0;
                for (Map.Entry<Long, Long> r : covered.getOrDefault(e.getKey(), new TreeMap<>()).entrySet()) {
                    assertThat(r.getKey()).as("enriched partition %d: offsets [%d, %d) reached the alerts stage", e.getKey(), reach, r.getKey())
                            .isLessThanOrEqualTo(reach);
                    reach = Math.max(reach, r.getValue());
                }
                assertThat(reach).as("enriched partition %d fully accounted for", e.getKey()).isGreaterThanOrEqualTo(end);
            }
            System.out.printf("pipeline: %d generated, %d enriched records (%d duplicates from replays), %d alerted, %d filtered%n",
                    generated.size(), records, records - enrichedTxns.size(), alerted.size(), filtered);
            assertThat(alerted).isNotEmpty();
            // the alerter's notifications reached its sink
            Path sink = home.resolve("sinks").resolve("alerter.jsonl");
            Await.until(Duration.ofSeconds(10), () -> Files.exists(sink), "alerter sink file");
        }
    }

    @Test
    void aCommitFromAFencedInstanceNeverLowersAnOffsetInKafka() throws Exception {
        KafkaBroker k = KafkaBroker.shared();
        String tx = KafkaBroker.uniqueName("fence");
        Path zombie = Path.of(KafkaPipelineTest.class.getResource("zombie_agent.py").toURI());
        String spec = "{" + cluster(k) + ",\"topics\":[" + topic(tx, 6) + "],\"agents\":[{\"name\":\"z\",\"command\":[\"python3\",\"" + zombie
                + "\"],\"protocol\":true,\"topic\":\"" + tx + "\",\"concurrency\":2,\"health\":{\"heartbeatTimeoutMs\":0}}]}";
        try (FleetFixture x = new FleetFixture(home)) {
            x.f.engine.deploy(Specs.parse(spec, home));
            assertThat(x.f.engine.start(Selection.of("z-0"), null, null)).allMatch(LifecycleResult::success);
            Await.until(Duration.ofSeconds(60), () -> lanes(x, tx, "z").size() == 6 && lanes(x, tx, "z").stream().allMatch(p -> p.committedOffset() == 100),
                    () -> "z-0 holds and committed 100 everywhere: " + lanes(x, tx, "z"));
            Await.until(Duration.ofSeconds(10), () -> k.committed("z", tx).size() == 6 && k.committed("z", tx).values().stream().allMatch(o -> o == 100),
                    () -> "in Kafka: " + k.committed("z", tx));
            // z-1 joins: z-0 is told to revoke half, acks, then sends late commits of offset 5 for them
            assertThat(x.f.engine.start(Selection.of("z-1"), null, null)).allMatch(LifecycleResult::success);
            Await.until(Duration.ofSeconds(30), () -> lanes(x, tx, "z").stream().filter(p -> "z-1".equals(p.owner())).count() == 3
                    && x.partitions.group("z").map(m -> m.isSettled(tx)).orElse(false), () -> "z-1 owns 3: " + lanes(x, tx, "z"));
            KafkaTopics kt = (KafkaTopics) x.partitions.external();
            Await.until(Duration.ofSeconds(10), () -> kt.fencedCommits().getOrDefault("z-0", 0L) >= 3,
                    () -> "z-0's late commits refused: " + kt.fencedCommits());
            // a refused commit, were it queued, would be written by the next full flush turn: wait for two to finish
            long turns = kt.flushTurns();
            Await.until(Duration.ofSeconds(10), () -> kt.flushTurns() >= turns + 2, "two flush turns after the refused commits");
            assertThat(lanes(x, tx, "z")).allMatch(p -> p.committedOffset() == 100);
            assertThat(k.committed("z", tx).values()).hasSize(6).allMatch(o -> o == 100);
        }
    }
}
