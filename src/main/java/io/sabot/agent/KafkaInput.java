package io.sabot.agent;

import io.sabot.kafka.KafkaProperties;
import io.sabot.protocol.ProtocolMessages.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * An agent's reader of one Kafka cluster: one {@link KafkaConsumer} with partitions the engine
 * assigned, through {@code assign()} and {@code seek()} only. No {@code group.id} and no
 * {@code subscribe()}: Kafka's group protocol never decides who reads what, and this consumer
 * cannot commit; the engine commits what the agent reports, after fencing. Used by the agent's
 * loop thread only (but {@link #wakeup} from any thread).
 */
final class KafkaInput implements AutoCloseable {
    final String cluster;
    private final KafkaConsumer<String, String> consumer;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private long lastConnectedMs = System.currentTimeMillis();
    /** A member of a group Kafka coordinates (subscribe()); false: partitions the engine assigned. */
    private final boolean subscribed;

    KafkaInput(KafkaCluster k, String clientId) {
        this.cluster = k.cluster();
        this.subscribed = false;
        Map<String, Object> cfg = KafkaProperties.consumer(k.bootstrapServers(), k.properties(), clientId);
        this.consumer = new KafkaConsumer<>(cfg, new StringDeserializer(), new StringDeserializer());
    }

    /**
     * A member of a consumer group that Kafka coordinates (groups across hosts): {@code subscribe()}
     * with Sabot's assignor; {@code listener} hears Kafka's rebalances (inside {@link #poll}, on
     * the loop thread).
     */
    KafkaInput(KafkaCluster k, io.sabot.kafka.GroupMembership g, java.util.function.DoubleSupplier load,
               org.apache.kafka.clients.consumer.ConsumerRebalanceListener listener) {
        this.cluster = k.cluster();
        this.subscribed = true;
        Map<String, Object> cfg = KafkaProperties.consumer(k.bootstrapServers(), k.properties(), g.clientId());
        cfg.putAll(g.consumerConfig(k.properties(), load));
        this.consumer = new KafkaConsumer<>(cfg, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(g.topics(), new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(java.util.Collection<TopicPartition> ps) {
                listener.onPartitionsRevoked(ps);
                assigned.removeAll(ps);
                paused.removeAll(ps);
            }

            @Override
            public void onPartitionsAssigned(java.util.Collection<TopicPartition> ps) {
                assigned.addAll(ps);
                listener.onPartitionsAssigned(ps);
            }

            @Override
            public void onPartitionsLost(java.util.Collection<TopicPartition> ps) {
                listener.onPartitionsLost(ps);
                assigned.removeAll(ps);
                paused.removeAll(ps);
            }
        });
    }

    boolean subscribed() {
        return subscribed;
    }

    /** Group mode: where reading a newly assigned partition starts (the group's commit, else the reset policy). */
    long position(String topic, int partition) {
        return consumer.position(new TopicPartition(topic, partition), Duration.ofSeconds(30));
    }

    /** Group mode: commits offsets to Kafka under the group (a failed commit is retried by the next one). */
    void commit(Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> offsets, boolean sync) {
        if (offsets.isEmpty()) return;
        try {
            if (sync) consumer.commitSync(offsets, Duration.ofSeconds(5));
            else consumer.commitAsync(offsets, null);
        } catch (RuntimeException e) {
            // fenced by a rebalance or the cluster is away: the partition's next owner resumes from the last commit
        }
    }

    void assign(String topic, int partition, long offset) {
        TopicPartition tp = new TopicPartition(topic, partition);
        if (assigned.add(tp)) consumer.assign(new ArrayList<>(assigned));
        paused.remove(tp);
        consumer.resume(List.of(tp));
        consumer.seek(tp, offset);
    }

    void revoke(String topic, int partition) {
        TopicPartition tp = new TopicPartition(topic, partition);
        if (assigned.remove(tp)) consumer.assign(new ArrayList<>(assigned));
        paused.remove(tp);
    }

    boolean isEmpty() {
        return !subscribed && assigned.isEmpty();
    }

    /** Records that arrived within {@code ms} (none if woken up early). */
    List<ConsumerRecord<String, String>> poll(long ms) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        if (!subscribed && assigned.isEmpty()) return out;
        try {
            consumer.poll(Duration.ofMillis(Math.max(0, ms))).forEach(out::add);
        } catch (WakeupException e) {
            // a protocol message or a stop arrived: the loop handles it now
        }
        return out;
    }

    /** Stops (or restarts) fetching a partition whose buffer is full (back pressure). */
    void pause(String topic, int partition, boolean pause) {
        TopicPartition tp = new TopicPartition(topic, partition);
        if (!assigned.contains(tp)) return;
        if (pause && paused.add(tp)) consumer.pause(List.of(tp));
        if (!pause && paused.remove(tp)) consumer.resume(List.of(tp));
    }

    /** Records not read yet, as far as the last fetch told (empty when unknown). */
    OptionalLong lag(String topic, int partition) {
        return consumer.currentLag(new TopicPartition(topic, partition));
    }

    void wakeup() {
        consumer.wakeup();
    }

    /** Milliseconds without a live connection to the cluster while it has partitions to read (0 when connected). */
    long disconnectedMs(long now) {
        if (assigned.isEmpty() || connections(consumer.metrics()) > 0) {
            lastConnectedMs = now;
            return 0;
        }
        return now - lastConnectedMs;
    }

    static double connections(Map<MetricName, ? extends Metric> metrics) {
        double n = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            if (e.getKey().name().equals("connection-count") && e.getKey().group().endsWith("-metrics")
                    && !e.getKey().group().contains("node")) {
                Object v = e.getValue().metricValue();
                if (v instanceof Number) n += ((Number) v).doubleValue();
            }
        }
        return n;
    }

    @Override
    public void close() {
        try {
            consumer.close(Duration.ofMillis(500));
        } catch (RuntimeException ignored) {
            // exiting anyway
        }
    }
}
