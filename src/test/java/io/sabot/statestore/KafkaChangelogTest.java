package io.sabot.statestore;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Partition stores whose changelog is a compacted topic on a real broker: a host without any local
 * state restores from the topic alone; what a killed owner wrote past its commit is skipped and
 * its keys are written again; a local checkpoint is the starting point and the topic the rest.
 */
class KafkaChangelogTest {
    @TempDir Path dir;

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static String str(byte[] v) { return v == null ? null : new String(v, StandardCharsets.UTF_8); }

    private static final PartitionStore.Progress NONE = (d, t) -> { };

    @ParameterizedTest
    @ValueSource(strings = {Stores.MEMORY, Stores.ROCKSDB})
    void stateMovesThroughTheTopicAndUncommittedTailsAreSkipped(String backend) throws Exception {
        KafkaBroker k = KafkaBroker.shared();
        String input = KafkaBroker.uniqueName("in");
        k.createTopic(input, 2);
        String group = KafkaBroker.uniqueName("g");
        String topic = KafkaChangelog.topicName(group, "s");
        try (KafkaChangelog cl = new KafkaChangelog("local", k.bootstrap(), Map.of(), "test")) {
            cl.ensureTopic(topic, input);
            assertThat(k.partitions(topic)).isEqualTo(2);
            ConfigResource cr = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertThat(k.admin().describeConfigs(List.of(cr)).all().get().get(cr).get("cleanup.policy").value()).isEqualTo("compact");

            // host A: two committed batches, then one whose commit never reached the engine
            PartitionStore a = PartitionStore.open("s", input, 1, dir.resolve("a"), backend, Long.MAX_VALUE, 5_000, cl.partition(topic, 1));
            a.restore(0, NONE);
            a.put(b("k1"), b("v1"));
            a.put(b("k2"), b("v2"));
            a.commit(10);
            a.delete(b("k2"));
            a.put(b("k3"), b("v3"));
            a.commit(20);
            a.put(b("k1"), b("v1-uncommitted"));
            a.put(b("k4"), b("v4-uncommitted"));
            a.commit(30);
            a.close(false);

            // host B never held the partition: everything comes from the topic, cut at the commit (20)
            PartitionStore bs = PartitionStore.open("s", input, 1, dir.resolve("b"), backend, Long.MAX_VALUE, 5_000, cl.partition(topic, 1));
            PartitionStore.Restored r = bs.restore(20, NONE);
            assertThat(r.source()).isEqualTo("changelog topic");
            assertThat(r.offset()).isEqualTo(20);
            assertThat(r.warning()).contains("2 change(s)").contains("2 key(s) written again");
            assertThat(str(bs.get(b("k1")))).isEqualTo("v1");
            assertThat(bs.get(b("k2"))).isNull();
            assertThat(str(bs.get(b("k3")))).isEqualTo("v3");
            assertThat(bs.get(b("k4"))).isNull();
            assertThat(bs.entries()).isEqualTo(2);
            // the newest record of each skipped key is now the restored value (what compaction keeps)
            Map<String, String> newest = new java.util.HashMap<>();
            for (ConsumerRecord<String, String> rec : k.readAll(topic)) if (rec.partition() == 1) newest.put(rec.key(), rec.value());
            assertThat(newest.get("k1")).isEqualTo("v1");
            assertThat(newest).containsEntry("k4", null);
            bs.put(b("k5"), b("v5"));
            bs.commit(25);
            bs.checkpoint();
            bs.put(b("k6"), b("v6"));
            bs.commit(28);
            bs.close(false);

            // host B again: its checkpoint (25) first, then the topic from the checkpoint's position
            bs = PartitionStore.open("s", input, 1, dir.resolve("b"), backend, Long.MAX_VALUE, 5_000, cl.partition(topic, 1));
            if (backend.equals(Stores.MEMORY)) {
                r = bs.restore(28, NONE);
                assertThat(r.source()).isEqualTo("checkpoint+changelog topic");
                assertThat(r.changes()).isEqualTo(1);
            } else {
                r = bs.restore(28, NONE); // RocksDB keeps its live database: nothing to replay
                assertThat(r.source()).isEqualTo("local store");
            }
            assertThat(r.warning()).isNull();
            assertThat(str(bs.get(b("k5")))).isEqualTo("v5");
            assertThat(str(bs.get(b("k6")))).isEqualTo("v6");
            assertThat(str(bs.get(b("k1")))).isEqualTo("v1");
            bs.close(false);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"missing-input"})
    void aMissingInputTopicIsNamed(String what) throws Exception {
        KafkaBroker k = KafkaBroker.shared();
        String input = KafkaBroker.uniqueName(what);
        try (KafkaChangelog cl = new KafkaChangelog("local", k.bootstrap(), Map.of(), "test")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> cl.ensureTopic(KafkaChangelog.topicName("g", "s"), input))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("cluster \"local\"")
                    .satisfies(e -> io.sabot.testing.NoJavaNames.check("changelog error", e.getMessage()));
        }
    }
}
