package io.sabot.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.protocol.ProtocolCodec;
import io.sabot.protocol.ProtocolMessages;
import io.sabot.spec.ConsumerGroupSpec;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.SpecError;
import io.sabot.spec.SpecException;
import io.sabot.spec.SpecParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spec's {@code consumerGroups} (bad input named by field) and the {@code subscribe} message on the wire. */
class ConsumerGroupSpecTest {
    private static final String CLUSTER = "\"clusters\":[{\"name\":\"main\",\"bootstrapServers\":\"127.0.0.1:9092\"}]";
    private static final String TOPICS = "\"topics\":[{\"name\":\"tx\",\"cluster\":\"main\"},{\"name\":\"emb\",\"partitions\":4}]";

    private static String spec(String groups, String agentTopic) {
        return "{" + CLUSTER + "," + TOPICS + ",\"consumerGroups\":" + groups
                + ",\"agents\":[{\"name\":\"enr\",\"builtin\":\"enricher\",\"topic\":\"" + agentTopic + "\",\"consumerGroup\":\"g\"}]}";
    }

    private static List<String> errors(String json) {
        try {
            SpecParser.parse(json, false, "t.json", null);
            throw new AssertionError("accepted: " + json);
        } catch (SpecException e) {
            return e.errors().stream().map(SpecError::toString).toList();
        }
    }

    @Test
    void aKafkaCoordinatedGroupIsParsedKeptAndPrinted() throws Exception {
        FleetSpec f = SpecParser.parse(spec("[{\"name\":\"g\",\"coordination\":\"kafka\"}]", "tx"), false, "t.json", null);
        assertThat(f.consumerGroups()).containsExactly(new ConsumerGroupSpec("g", "kafka"));
        assertThat(ConsumerGroupSpec.kafkaCoordinated(f, "g")).isTrue();
        assertThat(ConsumerGroupSpec.kafkaCoordinated(f, "other")).isFalse();
        assertThat(SpecParser.toTree(f).toString()).contains("\"consumerGroups\":[{\"name\":\"g\",\"coordination\":\"kafka\"}]");
    }

    @Test
    void badInputNamesTheField() {
        assertThat(errors(spec("[{\"name\":\"g\",\"coordination\":\"zookeeper\"}]", "tx")))
                .anyMatch(e -> e.contains("consumerGroups[0].coordination") && e.contains("\"sabot\"") && e.contains("\"kafka\""));
        assertThat(errors(spec("[{\"name\":\"nobody\",\"coordination\":\"kafka\"}]", "tx")))
                .anyMatch(e -> e.contains("consumerGroups[0].name") && e.contains("no agent has consumerGroup \"nobody\""));
        assertThat(errors(spec("[{\"name\":\"g\",\"coordination\":\"kafka\"}]", "emb")))
                .anyMatch(e -> e.contains("consumerGroups[0].coordination") && e.contains("embedded topic \"emb\""));
        assertThat(errors(spec("[{\"coordination\":\"kafka\"}]", "tx"))).anyMatch(e -> e.contains("consumerGroups[0].name"));
        assertThat(errors(spec("[{\"name\":\"g\",\"coordinaton\":\"kafka\"}]", "tx"))).anyMatch(e -> e.contains("consumerGroups[0].coordinaton"));
        assertThat(errors(spec("{\"name\":\"g\"}", "tx"))).anyMatch(e -> e.contains("consumerGroups") && e.contains("must be a list"));
    }

    @Test
    void theSubscribeMessageRoundTrips() {
        ProtocolMessages.Subscribe s = new ProtocolMessages.Subscribe("g", List.of("tx", "tx2"),
                new ProtocolMessages.KafkaCluster("main", "127.0.0.1:9092", Map.of("session.timeout.ms", "6000")), "hash", "web1");
        assertThat(ProtocolCodec.decodeToAgent(ProtocolCodec.encode(s))).isEqualTo(s);
    }

    @Test
    void clientIdsCarryInstanceAndHost() {
        GroupMembership m = new GroupMembership("g", List.of("tx"), "sticky", "web1", "enr-0");
        assertThat(m.clientId()).isEqualTo("enr-0@web1");
        assertThat(GroupMembership.parseClientId("enr-0@web1")).containsExactly("enr-0", "web1");
        assertThat(GroupMembership.parseClientId("consumer-g-1")).isNull();
        Map<String, Object> c = m.consumerConfig(Map.of("session.timeout.ms", "6000"), null);
        assertThat(c).containsEntry("group.protocol", "classic").containsEntry("partition.assignment.strategy", GroupMembership.ASSIGNOR)
                .containsEntry("group.id", "g").doesNotContainKey("session.timeout.ms").containsEntry("heartbeat.interval.ms", "2000");
    }
}
