package io.sabot.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** A spec stored by an older version (or written by hand) without restart/health reads as the defaults, never null. */
class StoredSpecDefaultsTest {
    @Test
    void aStoredSpecWithoutRestartOrHealthReadsAsTheDefaults() throws Exception {
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        AgentSpec a = json.readValue("{\"name\":\"w\",\"command\":[\"sleep\",\"5\"],\"concurrency\":2,\"group\":\"w\"}", AgentSpec.class);
        assertThat(a.restart()).isEqualTo(RestartSpec.DEFAULT);
        assertThat(a.health()).isEqualTo(HealthSpec.DEFAULT);
        assertThat(a.consumerGroup()).isEqualTo("w");
    }
}
