package io.sabot.statestore;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.agent.AgentLog;
import io.sabot.agent.FraudDetector;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.stream.EmbeddedStream;
import io.sabot.stream.Record;
import io.sabot.testing.Await;
import io.sabot.testing.FleetFixture;
import io.sabot.testing.KafkaBroker;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The determinism test on a real Kafka broker with a compacted changelog topic: transactions
 * produced to a Kafka topic (keyed by card, explicit partitions, produced over ~15 s) and read by
 * three fraud detectors with RocksDB state under random SIGKILLs and rebalances flag exactly what
 * one uninterrupted detector flags over the same records. Twice mid-stream the whole group stops
 * and its local state directory (live databases and checkpoints) is wiped, as if every partition
 * moved to a host that never held it: the restores that follow can only come from the changelog
 * topic (the agents' logs say "from changelog topic"), which must hold the state exactly, killed
 * owners' uncommitted tails included: each instance once halts right after a batch reached the
 * topic and before its commit ({@code SABOT_TEST_HALT_AT_COMMIT}), and a restore must skip that tail.
 */
class KafkaStateDeterminismTest {
    private static final int PARTITIONS = 4;
    private static final long N = 3_000;
    @TempDir Path home;

    @Test
    void killsAndRebalancesOnKafkaFlagTheSameTransactions() throws Exception {
        KafkaBroker k = KafkaBroker.shared();
        String tx = KafkaBroker.uniqueName("tx");
        String group = KafkaBroker.uniqueName("fd"); // the changelog topic is named after the group: one of this run's own
        k.createTopic(tx, PARTITIONS);
        Path audit = Files.createDirectories(home.resolve("audit"));
        EmbeddedStream source = new EmbeddedStream(1_000, 1_700_000_000_000L);
        // the uninterrupted run: every partition's records, in offset order, through one detector
        Map<Integer, TreeSet<Long>> expected = new HashMap<>();
        FraudDetector base = new FraudDetector(new AgentLog(new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(OutputStream.nullOutputStream()), "baseline"));
        base.onFlag((t, p, o) -> expected.computeIfAbsent(p, x -> new TreeSet<>()).add(o));
        for (int p = 0; p < PARTITIONS; p++) {
            for (long o = 0; o < N; o++) base.process(source.recordAt(tx, p, o));
        }
        String spec = "{\"clusters\":[{\"name\":\"local\",\"bootstrapServers\":\"" + k.bootstrap() + "\"}],"
                + "\"topics\":[{\"name\":\"" + tx + "\",\"cluster\":\"local\"}],"
                + "\"agents\":[{\"name\":\"fd\",\"builtin\":\"fraud-detector\",\"topic\":\"" + tx + "\",\"concurrency\":3,\"stopGraceMs\":3000,\"consumerGroup\":\"" + group + "\","
                + "\"state\":{\"backend\":\"rocksdb\",\"checkpointIntervalMs\":2000},"
                + "\"env\":{\"SABOT_AUDIT_DIR\":\"" + audit + "\",\"SABOT_TEST_HALT_AT_COMMIT\":\"25:" + audit + "\",\"SABOT_LINGER_MS\":\"50\",\"SABOT_BATCH\":\"100\"},"
                + "\"restart\":{\"maxRestarts\":1000,\"backoff\":{\"initialMs\":50,\"maxMs\":200}}}]}";
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrap());
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (FleetFixture x = new FleetFixture(home);
             KafkaProducer<String, String> producer = new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
            x.f.engine.deploy(Specs.parse(spec, home));
            x.f.engine.start(Selection.everything(), null, null);
            Random rnd = new Random(10);
            int kills = 0;
            int rebalances = 0;
            int wipes = 0;
            long nextChaos = System.nanoTime() + 800_000_000L;
            for (long o = 0; o < N; o++) {
                for (int p = 0; p < PARTITIONS; p++) {
                    Record r = source.recordAt(tx, p, o);
                    String json = "{\"card\":" + r.cardId() + ",\"amountCents\":" + r.amountCents() + ",\"merchantId\":" + r.merchantId()
                            + ",\"country\":\"" + r.country() + "\",\"ts\":" + r.timestampMs() + "}";
                    producer.send(new ProducerRecord<>(tx, p, Long.toString(r.cardId()), json));
                }
                if (o % 20 == 19) {
                    producer.flush();
                    Thread.sleep(100); // ~15 s of stream, so the chaos lands mid-stream
                }
                if (o == N / 3 || o == 2 * N / 3) {
                    // every partition moves to "new hosts": nothing local survives
                    x.f.engine.stop(Selection.everything(), false, null);
                    Await.until(Duration.ofSeconds(30), () -> x.f.engine.status(Selection.everything()).stream()
                            .allMatch(s -> s.state() == InstanceState.STOPPED || s.state() == InstanceState.FAILED), () -> "fd stopped");
                    Path dir = Stores.groupDir(home, group);
                    assertThat(dir).as("the stores were on disk before the wipe").isDirectory();
                    Stores.deleteTree(dir);
                    wipes++;
                    x.f.engine.start(Selection.everything(), null, null);
                }
                if (System.nanoTime() > nextChaos) {
                    nextChaos = System.nanoTime() + (600 + rnd.nextInt(900)) * 1_000_000L;
                    if (rnd.nextInt(4) == 0) {
                        x.f.engine.rebalance(tx, rnd.nextBoolean() ? "round_robin" : "sticky", "kafka determinism test");
                        rebalances++;
                    } else {
                        InstanceStatus victim = x.f.status("fd-" + rnd.nextInt(3));
                        if (victim.pid() != null && victim.state() == InstanceState.RUNNING) {
                            Procs.sigkill(victim.pid());
                            kills++;
                        }
                    }
                }
            }
            producer.flush();
            assertThat(k.endOffsets(tx, PARTITIONS).values()).allMatch(e -> e == N);
            Await.until(Duration.ofSeconds(120), () -> {
                List<PartitionView> ps = x.f.engine.partitions(tx);
                return ps.size() == PARTITIONS && ps.stream().allMatch(p -> p.committedOffset() >= N);
            }, () -> "every partition committed " + N + ": " + x.f.engine.partitions(tx));
            x.f.engine.stop(Selection.everything(), false, null);
            System.out.printf("kafka determinism: %d kills, %d rebalances, %d wipes%n", kills, rebalances, wipes);
            assertThat(wipes).isEqualTo(2);
            // the changelog topic: compacted, one partition per input partition, created by the agents
            String changelog = KafkaChangelog.topicName(group, FraudDetector.STORE);
            assertThat(k.partitions(changelog)).isEqualTo(PARTITIONS);
            org.apache.kafka.common.config.ConfigResource cr = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, changelog);
            assertThat(k.admin().describeConfigs(List.of(cr)).all().get().get(cr).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(k.endOffsets(changelog, PARTITIONS).values().stream().mapToLong(Long::longValue).sum()).isGreaterThan(0);
            java.util.List<String> logs = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) logs.addAll(x.f.engine.logs("fd-" + i, 20_000));
            System.out.printf("kafka determinism: %d restores logged with changelog topic records, %d skipped an uncommitted tail%n",
                    logs.stream().filter(l -> l.contains("restored to offset") && l.contains("changelog topic")).count(),
                    logs.stream().filter(l -> l.contains("processed but never committed")).count());
            // every instance died once right after a batch reached the changelog topic, before its commit: someone skipped that tail
            assertThat(audit.resolve("halted-fd-0")).exists();
            assertThat(logs).as("a restore skipped an uncommitted tail in the changelog topic")
                    .anyMatch(l -> l.contains("processed but never committed"));
            assertThat(logs).as("restores from the changelog topic after the wipes")
                    .anyMatch(l -> l.contains("restored to offset") && l.contains("from changelog topic") && !l.contains("restored to offset 0 "));
            assertThat(kills).isGreaterThanOrEqualTo(3);
            int total = 0;
            for (int p = 0; p < PARTITIONS; p++) {
                TreeSet<Long> got = new TreeSet<>();
                Path f = audit.resolve("flags-" + tx + "-" + p + ".log");
                if (Files.exists(f)) {
                    for (String line : Files.readAllLines(f)) {
                        String[] w = line.split(" ");
                        if (w.length == 2) got.add(Long.parseLong(w[0]));
                    }
                }
                TreeSet<Long> want = expected.getOrDefault(p, new TreeSet<>());
                assertThat(got).as("flagged offsets of %s:%d", tx, p).isEqualTo(want);
                total += want.size();
            }
            assertThat(total).as("flags compared").isGreaterThan(20);
        }
    }
}
