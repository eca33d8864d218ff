package io.sabot.statestore;

import io.sabot.kafka.KafkaProperties;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The changelog of stores whose input is a Kafka topic: a compacted topic on the input's cluster,
 * {@code CONSUMER_GROUP-STORE-changelog}, one partition per input partition, keyed by the store
 * key (a null value deletes). Every record carries the input offset its batch reaches (header
 * {@value #OFFSET_HEADER}), so a restore to offset O applies only what the input below O produced.
 * One per agent process and cluster: one idempotent producer (acks from all in-sync replicas)
 * shared by every store, and a consumer per restore.
 *
 * <p>Guarantees (KafkaStateDeterminismTest, PartitionStoreTest.kafkaChangelog*):
 * <ul>
 *   <li>A batch's changes are acknowledged by the cluster before the store applies them, hence
 *       before the agent commits the batch's input offset: the changelog never holds less than a
 *       commit claims. (Flush, not a transactional producer: the input offset is committed to the
 *       engine, not to Kafka, so a Kafka transaction could not make the two atomic anyway; what
 *       the changelog holds beyond the commit is recognised by its offset header and skipped.)</li>
 *   <li>A restore that skipped records past its offset writes the restored value of each such key
 *       again (tagged with the restore's offset) before the partition processes anything, so the
 *       newest record of every key is one a commit covers and compaction cannot keep a value the
 *       input will produce again. Compaction waits {@value #MIN_COMPACTION_LAG_MS} ms
 *       ({@code min.compaction.lag.ms}) so that a crashed owner's tail is corrected before it.</li>
 *   <li>The topic is created when missing (the cluster's default replication factor); one with
 *       fewer partitions than the input, or not compacted, is an error that names it.</li>
 * </ul>
 */
public final class KafkaChangelog implements AutoCloseable {
    public static final String OFFSET_HEADER = "sabot.offset";
    public static final long MIN_COMPACTION_LAG_MS = 3_600_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String cluster;
    private final String bootstrap;
    private final Map<String, String> props;
    private final String clientId;
    private final Set<String> ensured = new HashSet<>();
    private KafkaProducer<byte[], byte[]> producer;

    public KafkaChangelog(String cluster, String bootstrap, Map<String, String> props, String clientId) {
        this.cluster = cluster;
        this.bootstrap = bootstrap;
        this.props = props == null ? Map.of() : props;
        this.clientId = clientId;
    }

    public String cluster() { return cluster; }

    /** The changelog topic of a consumer group's store. */
    public static String topicName(String consumerGroup, String store) {
        return consumerGroup + "-" + store + "-changelog";
    }

    /** Creates the changelog topic when missing, with the input topic's partition count (blocks: call off the agent's loop). */
    public synchronized void ensureTopic(String changelogTopic, String inputTopic) throws IOException {
        if (ensured.contains(changelogTopic)) return;
        Map<String, Object> cfg = KafkaProperties.admin(bootstrap, props, clientId + "-changelog-admin");
        cfg.put("default.api.timeout.ms", "30000");
        cfg.put("request.timeout.ms", "15000");
        try (Admin admin = Admin.create(cfg)) {
            int partitions = describe(admin, inputTopic, 5_000).partitions().size();
            try {
                admin.createTopics(List.of(new NewTopic(changelogTopic, Optional.of(partitions), Optional.empty())
                        .configs(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", Long.toString(MIN_COMPACTION_LAG_MS)))))
                        .all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) throw e;
            }
            TopicDescription d = describe(admin, changelogTopic, 30_000);
            if (d.partitions().size() < partitions) {
                throw new IOException("changelog topic " + changelogTopic + " on cluster \"" + cluster + "\" has " + d.partitions().size()
                        + " partitions but its input topic " + inputTopic + " has " + partitions
                        + " (add partitions to the changelog topic, or delete it so Sabot creates it again)");
            }
            ensured.add(changelogTopic);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new IOException("changelog topic " + changelogTopic + " on cluster \"" + cluster + "\" cannot be created or read: " + c.getMessage(), e);
        } catch (TimeoutException e) {
            throw new IOException("changelog topic " + changelogTopic + " on cluster \"" + cluster + "\": no answer from " + bootstrap + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating changelog topic " + changelogTopic, e);
        }
    }

    /** Describes a topic, waiting up to {@code waitMs} for one just created to be known to the broker answering. */
    private static TopicDescription describe(Admin admin, String topic, long waitMs)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.currentTimeMillis() + waitMs;
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.currentTimeMillis() > deadline) throw e;
                Thread.sleep(100); // metadata of a topic created a moment ago is on its way
            }
        }
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> cfg = KafkaProperties.producer(bootstrap, props, clientId + "-changelog");
            cfg.put(ProducerConfig.LINGER_MS_CONFIG, "0"); // every batch is flushed right away anyway
            cfg.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024)); // a store batch in few requests
            producer = new KafkaProducer<>(cfg, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** One partition of one changelog topic, as a store uses it. */
    public Partition partition(String changelogTopic, int partition) {
        return new Partition(new TopicPartition(changelogTopic, partition));
    }

    /** A store's changelog partition. */
    public final class Partition {
        private final TopicPartition tp;

        private Partition(TopicPartition tp) { this.tp = tp; }

        public String topic() { return tp.topic(); }

        public String describe() { return "changelog topic " + tp + " on cluster \"" + cluster + "\""; }

        /**
         * Sends a batch's changes tagged with the input offset they reach and waits until the
         * cluster has them all. Returns the topic offset after the last one ({@code -1}: no changes).
         */
        long write(List<Backend.Change> changes, long endOffset) throws IOException {
            if (changes.isEmpty()) return -1;
            byte[] off = ByteBuffer.allocate(8).putLong(endOffset).array();
            KafkaProducer<byte[], byte[]> p = producer();
            List<Future<RecordMetadata>> sent = new ArrayList<>(changes.size());
            try {
                for (Backend.Change c : changes) {
                    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(tp.topic(), tp.partition(), c.key(), c.value());
                    r.headers().add(OFFSET_HEADER, off);
                    sent.add(p.send(r));
                }
                p.flush();
                long last = -1;
                for (Future<RecordMetadata> f : sent) last = Math.max(last, f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset());
                return last + 1;
            } catch (ExecutionException e) {
                Throwable c = e.getCause() == null ? e : e.getCause();
                throw new IOException(describe() + " did not take a batch: " + c.getMessage(), e);
            } catch (TimeoutException e) {
                throw new IOException(describe() + " did not acknowledge a batch within " + TIMEOUT.toSeconds() + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while writing to " + describe(), e);
            } catch (RuntimeException e) {
                throw new IOException(describe() + " cannot be written: " + e.getMessage(), e);
            }
        }

        /** What a replay found. */
        record Replayed(long endPosition, long records, long skipped, List<byte[]> staleKeys) {}

        /** Receives replayed changes in order. */
        interface Sink {
            void changes(List<Backend.Change> changes, long position) throws IOException;
        }

        /** The topic offsets [beginning, end) of the partition now. */
        long[] bounds(KafkaConsumer<byte[], byte[]> c) {
            long b = c.beginningOffsets(List.of(tp), TIMEOUT).get(tp);
            long e = c.endOffsets(List.of(tp), TIMEOUT).get(tp);
            return new long[] {b, e};
        }

        KafkaConsumer<byte[], byte[]> consumer() {
            Map<String, Object> cfg = KafkaProperties.consumer(bootstrap, props, clientId + "-restore");
            cfg.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
            cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
            KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cfg, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            c.assign(List.of(tp));
            return c;
        }

        /**
         * Replays the records from {@code from} to {@code end} whose offset header is at most
         * {@code upTo}; the keys whose newest record was past it are returned as stale.
         */
        Replayed replay(KafkaConsumer<byte[], byte[]> c, long from, long end, long upTo, Sink sink, PartitionStore.Progress progress)
                throws IOException {
            c.seek(tp, from);
            Map<MemoryBackend.Key, Boolean> stale = new java.util.LinkedHashMap<>();
            long records = 0;
            long skipped = 0;
            long pos = from;
            long lastReport = 0;
            long idleSince = System.currentTimeMillis();
            while (pos < end) {
                long before = pos;
                List<Backend.Change> batch = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= end) continue;
                    records++;
                    Header h = r.headers().lastHeader(OFFSET_HEADER);
                    long offset = h == null || h.value().length != 8 ? 0 : ByteBuffer.wrap(h.value()).getLong();
                    MemoryBackend.Key k = MemoryBackend.Key.of(r.key() == null ? new byte[0] : r.key());
                    if (offset > upTo) {
                        skipped++;
                        stale.put(k, Boolean.TRUE);
                    } else {
                        stale.remove(k);
                        batch.add(new Backend.Change(k.b(), r.value()));
                    }
                    pos = r.offset() + 1;
                }
                long p = c.position(tp, TIMEOUT); // past the end of compacted-away offsets too
                if (p > pos) pos = Math.min(p, end);
                if (!batch.isEmpty()) sink.changes(batch, pos);
                long now = System.currentTimeMillis();
                if (pos > before) idleSince = now;
                if (now - idleSince > TIMEOUT.toMillis()) {
                    throw new IOException(describe() + ": replay stalled at offset " + pos + " of " + end + " for " + TIMEOUT.toSeconds() + " s");
                }
                if (now - lastReport > 250) {
                    lastReport = now;
                    progress.update(pos - from, end - from);
                }
            }
            List<byte[]> keys = new ArrayList<>();
            for (MemoryBackend.Key k : stale.keySet()) keys.add(k.b());
            return new Replayed(pos, records, skipped, keys);
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                // exiting anyway; every batch was flushed before its commit
            }
            producer = null;
        }
    }
}
