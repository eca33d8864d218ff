package io.sabot.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.KafkaBroker;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The shared test broker is a real KRaft Kafka: topics, produce, read back, offsets. */
class KafkaBrokerFixtureTest {
    @Test
    void aRealBrokerOnLoopbackTakesAndGivesBackRecords() throws Exception {
        KafkaBroker k = KafkaBroker.shared();
        assertThat(k.bootstrap()).startsWith("127.0.0.1:");
        String topic = KafkaBroker.uniqueName("fixture");
        k.createTopic(topic, 3);
        assertThat(k.partitions(topic)).isEqualTo(3);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrap());
        try (KafkaProducer<String, String> prod = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 30; i++) prod.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(10, TimeUnit.SECONDS);
        }
        assertThat(k.readAll(topic)).hasSize(30);
        Map<Integer, Long> ends = k.endOffsets(topic, 3);
        assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(30);
        assertThat(k.committed("nobody", topic)).isEmpty();
        assertThat(List.of(k.pid())).allMatch(pid -> ProcessHandle.of(pid).isPresent());
    }
}
