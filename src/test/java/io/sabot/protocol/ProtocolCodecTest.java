package io.sabot.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.protocol.ProtocolMessages.*;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProtocolCodecTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void agentMessagesRoundTrip() throws Exception {
        List<ToEngine> ms = List.of(new Ready(), new Heartbeat(123.456, 7, 99), new Heartbeat(0, 0, 0),
                new Ack("assign", 3), new Ack("revoke", 4), new Commit("tx \"q\"", 11, 123456789012L), new Drained());
        for (ToEngine m : ms) {
            String line = ProtocolCodec.encodeLine(m);
            assertThat(line).startsWith("@sabot {\"type\":\"" + m.type() + "\"");
            assertThat(ProtocolCodec.decodeAgentLine(line)).isEqualTo(m);
            JsonNode n = JACKSON.readTree(line.substring(ProtocolMessages.PREFIX.length()));
            assertThat(n.get("type").asText()).isEqualTo(m.type());
        }
        assertThat(ProtocolCodec.encode(new Heartbeat(2.0, 5, 10)))
                .isEqualTo("{\"type\":\"heartbeat\",\"rate\":2,\"lag\":5,\"processed\":10}");
        assertThat(ProtocolCodec.encode(new Commit("t", 1, 2)))
                .isEqualTo("{\"type\":\"commit\",\"topic\":\"t\",\"partition\":1,\"offset\":2}");
    }

    @Test
    void engineMessagesRoundTrip() throws Exception {
        Assign a = new Assign(5, "transactions", 250.5, 1_700_000_000_000L,
                List.of(new PartitionOffset(0, 0), new PartitionOffset(7, 4242)));
        String line = ProtocolCodec.encode(a);
        assertThat(ProtocolCodec.decodeToAgent(line)).isEqualTo(a);
        JsonNode n = JACKSON.readTree(line);
        assertThat(n.get("partitions").get(1).get("offset").asLong()).isEqualTo(4242);
        Revoke r = new Revoke(6, "transactions", List.of(7, 1));
        assertThat(ProtocolCodec.decodeToAgent(ProtocolCodec.encode(r))).isEqualTo(r);
        assertThat(ProtocolCodec.decodeToAgent(ProtocolCodec.encode(new Drain()))).isEqualTo(new Drain());
    }

    @Property(tries = 200)
    void assignRoundTrips(@ForAll @LongRange(min = 0) long epoch, @ForAll @IntRange(min = 0) int partition,
                          @ForAll @LongRange(min = 0, max = 1L << 53) long offset, @ForAll @IntRange(min = 0, max = 1_000_000) int rate) {
        Assign a = new Assign(epoch, "t", rate, 1L, List.of(new PartitionOffset(partition, offset)));
        assertThat(ProtocolCodec.decodeToAgent(ProtocolCodec.encode(a))).isEqualTo(a);
    }

    @Test
    void lenientAboutExtrasStrictAboutRequiredFields() {
        assertThat(ProtocolCodec.decodeToEngine("{\"type\":\"heartbeat\",\"rate\":1,\"lag\":2,\"processed\":3,\"extra\":{\"x\":[1]}}"))
                .isEqualTo(new Heartbeat(1, 2, 3));
        assertThat(ProtocolCodec.decodeToEngine("{\"type\":\"stats\",\"x\":1}")).isEqualTo(new UnknownToEngine("stats"));
        assertThat(ProtocolCodec.decodeToAgent("{\"type\":\"pause\"}")).isEqualTo(new UnknownToAgent("pause"));
        assertThat(ProtocolCodec.decodeAgentLine("plain log line")).isNull();
        assertThat(ProtocolCodec.decodeAgentLine("@sabot {\"type\":\"ready\"}")).isEqualTo(new Ready());
        for (String bad : new String[] {"{}", "{\"type\":1}", "{\"type\":\"commit\",\"topic\":\"t\",\"partition\":1}",
                "{\"type\":\"ack\",\"op\":\"assign\",\"epoch\":\"1\"}", "[]", "nope"}) {
            assertThatThrownBy(() -> ProtocolCodec.decodeToEngine(bad)).as(bad).isInstanceOf(ProtocolCodec.ProtocolException.class);
        }
        for (String bad : new String[] {"{\"type\":\"assign\",\"epoch\":1,\"topic\":\"t\",\"rate\":1,\"originEpochMs\":0,\"partitions\":[{\"partition\":-1,\"offset\":0}]}",
                "{\"type\":\"assign\",\"epoch\":1,\"topic\":\"t\",\"rate\":-1,\"originEpochMs\":0,\"partitions\":[]}",
                "{\"type\":\"assign\",\"epoch\":1,\"topic\":\"t\",\"rate\":1,\"originEpochMs\":0,\"partitions\":[1]}",
                "{\"type\":\"revoke\",\"epoch\":1,\"topic\":\"t\",\"partitions\":[\"1\"]}",
                "{\"type\":\"revoke\",\"epoch\":1,\"topic\":\"t\",\"partitions\":[99999999999]}"}) {
            assertThatThrownBy(() -> ProtocolCodec.decodeToAgent(bad)).as(bad).isInstanceOf(ProtocolCodec.ProtocolException.class);
        }
    }
}
