package io.sabot.agent;

import io.sabot.kafka.KafkaProperties;
import io.sabot.protocol.ProtocolMessages.OutputTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An agent's writer to its output topics: one idempotent producer per cluster, every record keyed
 * (the default partitioner puts a key in the same partition every time, so per-key order holds).
 * Tracks sends and acknowledgements so the agent commits an input batch only after every record it
 * produced for it is acknowledged by the cluster (at least once, no gap). A failed send (after the
 * producer's own retries) is reported by {@link #failure()}: the agent then exits without
 * committing, and is restarted from its last commit.
 */
final class KafkaOutputs implements Output, AutoCloseable {
    private record Target(String topic, KafkaProducer<String, String> producer) {}

    private final List<Target> targets = new ArrayList<>();
    private final List<KafkaProducer<String, String>> producers = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private long lastConnectedMs = System.currentTimeMillis();

    KafkaOutputs(List<OutputTopic> topics, String clientId) {
        Map<String, KafkaProducer<String, String>> byCluster = new LinkedHashMap<>();
        for (OutputTopic t : topics) {
            KafkaProducer<String, String> p = byCluster.computeIfAbsent(t.kafka().cluster(), c -> {
                KafkaProducer<String, String> np = new KafkaProducer<>(KafkaProperties.producer(t.kafka().bootstrapServers(),
                        t.kafka().properties(), clientId + "-out-" + c), new StringSerializer(), new StringSerializer());
                producers.add(np);
                return np;
            });
            targets.add(new Target(t.name(), p));
        }
    }

    /** The sends made while one input batch was processed; safe to commit once all are acknowledged. */
    static final class Batch {
        final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();

        boolean done() {
            return pending.get() == 0;
        }
    }

    private Batch current = new Batch();

    /** Sends from now on belong to a new batch (the loop thread calls this before processing one). */
    Batch beginBatch() {
        current = new Batch();
        return current;
    }

    @Override
    public void send(String key, String json) {
        Batch b = current;
        for (Target t : targets) {
            sent.incrementAndGet();
            b.pending.incrementAndGet();
            t.producer.send(new ProducerRecord<>(t.topic, key, json), (md, ex) -> {
                if (ex != null) {
                    failure.compareAndSet(null, "sending to " + t.topic + " failed: " + ex);
                } else {
                    acked.incrementAndGet();
                    b.pending.decrementAndGet(); // a failed send never counts: its batch is never done
                }
            });
        }
    }

    long sent() {
        return sent.get();
    }

    /** Waits (bounded) for every send so far; true if all were acknowledged. */
    boolean flush(long timeoutMs) {
        long target = sent.get();
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (acked.get() < target && failure.get() == null && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return acked.get() >= target && failure.get() == null;
    }

    String failure() {
        return failure.get();
    }

    long disconnectedMs(long now) {
        boolean pending = acked.get() < sent.get();
        double conns = 0;
        for (KafkaProducer<String, String> p : producers) conns += KafkaInput.connections(p.metrics());
        if (!pending || conns > 0) {
            lastConnectedMs = now;
            return 0;
        }
        return now - lastConnectedMs;
    }

    @Override
    public void close() {
        for (KafkaProducer<String, String> p : producers) {
            try {
                p.close(Duration.ofMillis(500));
            } catch (RuntimeException ignored) {
                // exiting anyway
            }
        }
    }
}
