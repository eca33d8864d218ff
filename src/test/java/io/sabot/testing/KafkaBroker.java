package io.sabot.testing;

import io.sabot.kafka.LocalBroker;
import io.sabot.process.OrphanWatchdog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A real single-node KRaft Kafka broker for tests, on loopback, on free ports, in its own temp
 * folder, from the Apache Kafka jars the build copies into {@code target/kafka-broker}
 * ({@code sabot.kafkaBroker}). {@link #shared()} starts one lazily, once per test JVM (~10 s), and
 * every test uses its own topics and group ids on it; {@link #startNew()} gives a private broker to
 * a test that stops and starts it. Processes end by PID: at JVM exit (shutdown hook), and through an
 * orphan watchdog even if the test JVM is killed.
 *
 * <p>Also the helpers a Kafka test needs: an {@link #admin()}, topic creation, reading a whole
 * topic, and a group's committed offsets as Kafka itself reports them.
 */
public final class KafkaBroker implements AutoCloseable {
    private static KafkaBroker shared;
    private static OrphanWatchdog watchdog;

    private final LocalBroker broker;
    private final Path dir;
    private Admin admin;

    private KafkaBroker(LocalBroker broker, Path dir) {
        this.broker = broker;
        this.dir = dir;
    }

    /** The test JVM's broker, started on first use. */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            shared = startNew();
            KafkaBroker b = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(b::close, "kafka-broker-cleanup"));
        }
        return shared;
    }

    /** A broker of the caller's own (close it). */
    public static synchronized KafkaBroker startNew() {
        Path jars = jars();
        try {
            Path dir = Files.createTempDirectory("sabot-kafka-");
            LocalBroker b = LocalBroker.start(LocalBroker.Options.of(jars, dir), Duration.ofSeconds(90));
            watch(b);
            return new KafkaBroker(b, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the test Kafka broker: " + e.getMessage(), e);
        }
    }

    private static synchronized void watch(LocalBroker b) throws IOException {
        if (watchdog == null) watchdog = OrphanWatchdog.start();
        watchdog.watch(b.pid()); // setsid: its pid is its group
    }

    /** The broker part's folder; fails with how to build it when missing. */
    public static Path jars() {
        Path jars = LocalBroker.findJars();
        if (jars == null) {
            throw new IllegalStateException("the Kafka broker jars are missing: run `mvn -B generate-resources` (it copies them into "
                    + "target/kafka-broker) or set -Dsabot.kafkaBroker=DIR");
        }
        return jars;
    }

    public String bootstrap() { return broker.bootstrap(); }

    public long pid() { return broker.pid(); }

    public LocalBroker broker() { return broker; }

    /** SIGTERM and wait (the data stays). */
    public void stop() {
        closeAdmin();
        broker.stop(Duration.ofSeconds(20));
    }

    /** Starts again on the same ports and data. */
    public void start() {
        try {
            broker.start(Duration.ofSeconds(90));
            watch(broker);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized Admin admin() {
        if (admin == null) {
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
            p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
            admin = Admin.create(p);
        }
        return admin;
    }

    private synchronized void closeAdmin() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }

    /** A topic name no other test uses. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public void createTopic(String name, int partitions) {
        try {
            admin().createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create topic " + name + ": " + e, e);
        }
    }

    /** Log-end offsets of every partition of a topic. */
    public Map<Integer, Long> endOffsets(String topic, int partitions) {
        try {
            Map<TopicPartition, OffsetSpec> q = new HashMap<>();
            for (int p = 0; p < partitions; p++) q.put(new TopicPartition(topic, p), OffsetSpec.latest());
            Map<Integer, Long> out = new HashMap<>();
            admin().listOffsets(q).all().get(30, TimeUnit.SECONDS).forEach((tp, r) -> out.put(tp.partition(), r.offset()));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("could not read end offsets of " + topic + ": " + e, e);
        }
    }

    /** The group's committed offsets, read back through Kafka's AdminClient: partition -> offset. */
    public Map<Integer, Long> committed(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> m = admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            Map<Integer, Long> out = new HashMap<>();
            m.forEach((tp, o) -> { if (tp.topic().equals(topic) && o != null) out.put(tp.partition(), o.offset()); });
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("could not read committed offsets of group " + group + ": " + e, e);
        }
    }

    /** Every record of the topic now (all partitions, from the start to the current end). */
    public List<ConsumerRecord<String, String>> readAll(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            c.partitionsFor(topic, Duration.ofSeconds(20)).forEach(i -> tps.add(new TopicPartition(topic, i.partition())));
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps, Duration.ofSeconds(20));
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!done(c, end)) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("reading " + topic + " took over 60 s");
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    private static boolean done(KafkaConsumer<String, String> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) if (c.position(e.getKey()) < e.getValue()) return false;
        return true;
    }

    /** Partition count of a topic as the broker has it. */
    public int partitions(String topic) {
        try {
            return admin().describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
        } catch (Exception e) {
            throw new IllegalStateException("could not describe " + topic + ": " + e, e);
        }
    }

    public static <T> List<T> flat(Collection<? extends Collection<T>> cs) {
        List<T> out = new ArrayList<>();
        cs.forEach(out::addAll);
        return out;
    }

    @Override
    public void close() {
        closeAdmin();
        broker.kill();
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
