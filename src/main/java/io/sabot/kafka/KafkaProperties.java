package io.sabot.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * A cluster's client properties split per client (checked when the spec is parsed, by
 * {@code io.sabot.spec.KafkaClientChecks}). Used by the engine and by agents, so it depends on no
 * other Sabot package. Guarantee (KafkaPropertiesTest): each client gets only the properties
 * it knows (no "unused config" noise), and never one Sabot sets itself.
 * Kafka's classes load only when a spec has a cluster with properties.
 */
public final class KafkaProperties {
    /** Set by Sabot; a spec may not override them. */
    public static final Set<String> RESERVED = Set.of("bootstrap.servers", "group.id", "group.instance.id", "key.deserializer",
            "value.deserializer", "key.serializer", "value.serializer", "enable.auto.commit", "auto.offset.reset", "client.id",
            "group.protocol", "partition.assignment.strategy");

    private KafkaProperties() {}

    /** The user's properties a client knows, plus the bootstrap servers. */
    public static Map<String, Object> forClient(String bootstrap, Map<String, String> props, ConfigDef def) {
        Map<String, Object> out = new LinkedHashMap<>();
        Set<String> names = def.names();
        props.forEach((k, v) -> {
            if (names.contains(k) && !RESERVED.contains(k)) out.put(k, v);
        });
        out.put("bootstrap.servers", bootstrap);
        return out;
    }

    /** Consumer settings for an agent's input: the user's, then Sabot's (no group: Sabot assigns, the engine commits). */
    public static Map<String, Object> consumer(String bootstrap, Map<String, String> props, String clientId) {
        Map<String, Object> c = forClient(bootstrap, props, ConsumerConfig.configDef());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        c.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        return c;
    }

    /** Producer settings for an agent's outputs: acks from all in-sync replicas, idempotent (per-key order under retries). */
    public static Map<String, Object> producer(String bootstrap, Map<String, String> props, String clientId) {
        Map<String, Object> c = forClient(bootstrap, props, ProducerConfig.configDef());
        c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        c.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        c.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        c.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        c.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        c.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000"); // the agent keeps heartbeating (unhealthy) meanwhile
        return c;
    }

    /** Admin settings for the engine: short timeouts, so an unreachable cluster is noticed within seconds. */
    public static Map<String, Object> admin(String bootstrap, Map<String, String> props, String clientId) {
        Map<String, Object> c = forClient(bootstrap, props, AdminClientConfig.configDef());
        c.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        c.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        c.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        c.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        return c;
    }


}
