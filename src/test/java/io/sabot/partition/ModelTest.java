package io.sabot.partition;

import io.sabot.spec.TopicStrategy;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void strategyJsonNamesAreTheSpecNames() throws Exception {
        for (String name : List.of("sticky", "round_robin", "hash", "range", "load_balanced")) {
            TopicStrategy s = TopicStrategy.parse(name);
            assertThat(json.writeValueAsString(s)).isEqualTo("\"" + name + "\"");
            assertThat(json.readValue("\"" + name + "\"", TopicStrategy.class)).isEqualTo(s);
        }
        assertThat(TopicStrategy.DEFAULT).isEqualTo(TopicStrategy.sticky);
    }

    @Test
    void unknownStrategyNamesTheValueAndTheAllowedOnes() {
        assertThatThrownBy(() -> TopicStrategy.parse("roundrobin"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("strategy: unknown value 'roundrobin'; allowed: sticky, round_robin, hash, range, load_balanced");
        assertThatThrownBy(() -> TopicStrategy.parse("STICKY")).hasMessageContaining("'STICKY'");
        assertThatThrownBy(() -> json.readValue("{\"name\":\"t\",\"partitions\":3,\"strategy\":\"fast\"}", TopicConfig.class))
                .hasMessageContaining("'fast'").hasMessageContaining("allowed");
    }

    @Test
    void topicConfigFromJsonWithDefaults() throws Exception {
        TopicConfig t = json.readValue("{\"name\":\"transactions\",\"partitions\":12}", TopicConfig.class);
        assertThat(t).isEqualTo(new TopicConfig("transactions", 12, TopicStrategy.sticky, TopicConfig.DEFAULT_RATE_PER_SEC));
        TopicConfig h = json.readValue("{\"name\":\"t\",\"partitions\":2,\"strategy\":\"hash\",\"ratePerSec\":5}", TopicConfig.class);
        assertThat(h.strategy()).isEqualTo(TopicStrategy.hash);
        assertThat(h.ratePerSec()).isEqualTo(5.0);
    }

    @Test
    void badTopicsNameTheFieldAndValue() {
        assertThatThrownBy(() -> TopicConfig.of("t", 0)).hasMessage(
                "topic 't': partitions must be between 1 and 1000000, got 0");
        assertThatThrownBy(() -> TopicConfig.of("t", -3)).hasMessageContaining("got -3");
        assertThatThrownBy(() -> TopicConfig.of("", 3)).hasMessageContaining("topic.name").hasMessageContaining("''");
        assertThatThrownBy(() -> TopicConfig.of("a b", 3)).hasMessageContaining("'a b'");
        assertThatThrownBy(() -> new TopicConfig("t", 3, TopicStrategy.hash, -1.0)).hasMessageContaining("ratePerSec").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> new TopicConfig("t", 3, TopicStrategy.hash, Double.NaN)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> json.readValue("{\"name\":\"t\"}", TopicConfig.class)).hasMessageContaining("partitions");
    }

    @Test
    void badAssignorInput() {
        Assignor a = new StickyAssignor();
        assertThatThrownBy(() -> a.assign(-1, List.of("a"), Map.of(), Map.of(), Map.of())).hasMessage("partitions: must be >= 0, got -1");
        assertThatThrownBy(() -> a.assign(3, List.of("a", "a"), Map.of(), Map.of(), Map.of())).hasMessage("members: duplicate instance id 'a'");
        assertThatThrownBy(() -> a.assign(3, java.util.Arrays.asList("a", null), Map.of(), Map.of(), Map.of())).hasMessageContaining("members");
        assertThatThrownBy(() -> new InstanceLoad(-1, 0, 0)).hasMessageContaining("load.cpu").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> new InstanceLoad(0, -5, 0)).hasMessageContaining("load.memoryBytes");
        assertThatThrownBy(() -> new KeyRange(5, 5)).hasMessageContaining("endExclusive (5)");
        assertThatThrownBy(() -> new PartitionStart(1, -2)).hasMessageContaining("offset").hasMessageContaining("-2");
    }

    @Test
    void partitionIdPrintsAndParsesTopicColonPartition() {
        PartitionId id = new PartitionId("orders.v2", 7);
        assertThat(id).hasToString("orders.v2:7");
        assertThat(PartitionId.parse("orders.v2:7")).isEqualTo(id);
        assertThatThrownBy(() -> PartitionId.parse("orders")).hasMessageContaining("'orders'");
        assertThatThrownBy(() -> PartitionId.parse("orders:x")).hasMessageContaining("not an integer");
        assertThatThrownBy(() -> new PartitionId("t", -1)).hasMessageContaining("partition").hasMessageContaining("-1");
    }

    @Test
    void keyRangesSplitTheSpaceContiguously() {
        List<KeyRange> rs = KeyRange.split(7);
        assertThat(rs.get(0).startInclusive()).isZero();
        assertThat(rs.get(6).endExclusive()).isEqualTo(KeyRange.SPACE_32);
        for (int i = 1; i < rs.size(); i++) {
            assertThat(rs.get(i).startInclusive()).isEqualTo(rs.get(i - 1).endExclusive());
            assertThat(Math.abs(rs.get(i).size() - rs.get(0).size())).isLessThanOrEqualTo(1);
        }
        List<KeyRange> wide = KeyRange.split64(5);
        assertThat(wide.get(0).startInclusive()).isEqualTo(Long.MIN_VALUE);
        assertThat(wide.get(4).endExclusive()).isEqualTo(Long.MAX_VALUE);
        for (int i = 1; i < wide.size(); i++) {
            assertThat(wide.get(i).startInclusive()).isEqualTo(wide.get(i - 1).endExclusive());
        }
        long k64 = KeyRange.keyPoint64("customer-42");
        assertThat(wide.stream().filter(r -> r.contains(k64))).hasSize(1);
        assertThatThrownBy(() -> KeyRange.split(0)).hasMessageContaining("partitions").hasMessageContaining("0");
        assertThatThrownBy(() -> KeyRange.split(5, 0, 3)).hasMessageContaining("cannot be split into 5");
        long k = KeyRange.keyPoint("customer-42");
        assertThat(k).isBetween(0L, KeyRange.SPACE_32 - 1);
        assertThat(rs.stream().filter(r -> r.contains(k))).hasSize(1);
    }

    @Test
    void assignmentHelpers() {
        PartitionAssignment prev = PartitionAssignment.of(1, "t", 4, Map.of(0, "a", 1, "a", 2, "b"), List.of("a", "b"),
                TopicStrategy.sticky, "x", java.time.Instant.EPOCH, null);
        PartitionAssignment next = PartitionAssignment.of(2, "t", 4, Map.of(0, "a", 1, "c", 2, "b", 3, "c"),
                List.of("a", "b", "c"), TopicStrategy.sticky, "y", java.time.Instant.EPOCH, prev);
        assertThat(prev.unassigned()).containsExactly(3);
        assertThat(next.moved()).containsExactly(1, 3);
        assertThat(next.partitionsOf("c")).containsExactly(1, 3);
        assertThat(next.countsPerInstance()).containsExactly(Map.entry("a", 1), Map.entry("b", 1), Map.entry("c", 2));
        assertThat(next.partitionIdsOf("c")).containsExactly("t:1", "t:3");
        assertThat(next.ownerMap()).containsEntry(3, "c").hasSize(4);
    }

    @Test
    void assignmentJsonForTheStore() throws Exception {
        PartitionAssignment a = PartitionAssignment.of(3, "t", 3, Map.of(0, "a", 2, "b"), List.of("a", "b"),
                TopicStrategy.round_robin, "why", java.time.Instant.ofEpochMilli(1234), null);
        assertThat(json.writeValueAsString(a)).isEqualTo("{\"topic\":\"t\",\"epoch\":3,\"strategy\":\"round_robin\","
                + "\"reason\":\"why\",\"createdAtEpochMs\":1234,\"members\":[\"a\",\"b\"],"
                + "\"owners\":[\"a\",null,\"b\"],\"moved\":[0,2],\"unassigned\":[1]}");
    }
}
