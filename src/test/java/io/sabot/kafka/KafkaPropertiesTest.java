package io.sabot.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sabot.spec.ClusterSpec;
import io.sabot.spec.KafkaClientChecks;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.SpecException;
import io.sabot.spec.SpecParser;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/** Cluster properties checked against Kafka's own client definitions; secrets never shown. */
class KafkaPropertiesTest {
    @Test
    void unknownReservedAndBadValuesAreErrorsThatNeverEchoASecret() {
        Map<String, String> p = KafkaClientChecks.problems(Map.of("securty.protocol", "SSL", "group.id", "x",
                "ssl.key.password", "hunter2", "request.timeout.ms", "soon", "sasl.mechanism", "PLAIN"));
        assertThat(p.get("securty.protocol")).contains("not a Kafka client property").contains("security.protocol");
        assertThat(p.get("group.id")).contains("set by Sabot");
        assertThat(p.get("request.timeout.ms")).contains("\"soon\"");
        assertThat(p).doesNotContainKeys("ssl.key.password", "sasl.mechanism");
        assertThat(KafkaClientChecks.problems(Map.of("ssl.keystore.type", "PKCS12"))).isEmpty();
        assertThat(KafkaClientChecks.bootstrapProblem("a:9092,b")).contains("\"b\" is not host:port");
        assertThat(KafkaClientChecks.bootstrapProblem("a:99999")).contains("port");
        assertThat(KafkaClientChecks.bootstrapProblem("127.0.0.1:9092,broker-2.example:9093")).isNull();
    }

    @Test
    void everyPasswordPropertyOfKafkasClientsIsMaskedAsASecret() {
        for (ConfigDef d : List.of(ConsumerConfig.configDef(), ProducerConfig.configDef(), AdminClientConfig.configDef())) {
            d.configKeys().forEach((name, key) -> {
                if (key.type == ConfigDef.Type.PASSWORD) assertThat(ClusterSpec.isSecretProperty(name)).as(name).isTrue();
            });
        }
        ClusterSpec c = new ClusterSpec("main", "h:1", Map.of("sasl.jaas.config", "x password=\"p\";", "security.protocol", "SASL_SSL"));
        assertThat(c.masked().properties()).containsEntry("sasl.jaas.config", "****").containsEntry("security.protocol", "SASL_SSL");
        assertThat(c.masked().unmasked(c)).isEqualTo(c);
    }

    @Test
    void specErrorsNameTheClusterTopicAndField() {
        String bad = "{\"clusters\":[{\"name\":\"main\",\"bootstrapServers\":\"h:1\",\"properties\":{\"sasl.jaas.config\":{\"a\":1},\"acks\":\"most\"}}],"
                + "\"topics\":[{\"name\":\"tx\",\"cluster\":\"nope\"},{\"name\":\"local\"}],"
                + "\"agents\":[{\"name\":\"g\",\"builtin\":\"generator\",\"outputs\":[\"local\"]}]}";
        assertThatThrownBy(() -> SpecParser.parse(bad, false, "f.json", null)).isInstanceOf(SpecException.class)
                .hasMessageContaining("clusters[0].properties.sasl.jaas.config")
                .hasMessageNotContaining("\"a\"")
                .hasMessageContaining("clusters[0].properties.acks");
        String refs = "{\"clusters\":[{\"name\":\"main\",\"bootstrapServers\":\"h:1\"}],"
                + "\"topics\":[{\"name\":\"tx\",\"cluster\":\"nope\"},{\"name\":\"local\"}],"
                + "\"agents\":[{\"name\":\"g\",\"builtin\":\"generator\",\"outputs\":[\"local\"]}]}";
        assertThatThrownBy(() -> SpecParser.parse(refs, false, "f.json", null)).isInstanceOf(SpecException.class)
                .hasMessageContaining("topics[0].cluster").hasMessageContaining("unknown cluster \"nope\"")
                .hasMessageContaining("agents[0].outputs[0]").hasMessageContaining("embedded");
    }

    @Test
    void aKafkaSpecRoundTripsThroughItsJsonForm() throws Exception {
        String ok = "{\"clusters\":[{\"name\":\"main\",\"bootstrapServers\":\"h:1\",\"properties\":{\"linger.ms\":5}}],"
                + "\"topics\":[{\"name\":\"tx\",\"cluster\":\"main\",\"create\":true,\"partitions\":6,\"replication\":1},{\"name\":\"out\",\"cluster\":\"main\"}],"
                + "\"agents\":[{\"name\":\"e\",\"builtin\":\"enricher\",\"topic\":[\"tx\"],\"outputs\":[\"out\"],\"consumerGroup\":\"g.1\"}]}";
        FleetSpec f = SpecParser.parse(ok, false, "f.json", null);
        assertThat(f.topics().get(1).partitions()).isZero();
        assertThat(f.agents().get(0).consumerGroup()).isEqualTo("g.1");
        assertThat(f.clusters().get(0).properties()).containsEntry("linger.ms", "5");
        FleetSpec again = SpecParser.fromTree(SpecParser.toTree(f), "again", null);
        assertThat(again).isEqualTo(f);
    }
}
