package io.sabot.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The contract's {@code "state"} object: {@code standbys: 0} is accepted; more is refused, naming the field and why. */
class StateSpecTest {
    private static String spec(String state) {
        return "{\"topics\":[{\"name\":\"tx\",\"partitions\":2}],\"agents\":[{\"name\":\"fd\",\"builtin\":\"fraud-detector\",\"topic\":\"tx\","
                + "\"state\":" + state + "}]}";
    }

    @Test
    void theContractsShapeParses() throws Exception {
        FleetSpec f = SpecParser.parse(spec("{\"backend\":\"rocksdb\",\"standbys\":0}"), false, "t.json", Path.of("/tmp"));
        assertThat(f.agents().get(0).state().backend()).isEqualTo("rocksdb");
    }

    @Test
    void standbyReplicasAreRefusedUntilTheyExist() {
        try {
            SpecParser.parse(spec("{\"backend\":\"memory\",\"standbys\":1}"), false, "t.json", Path.of("/tmp"));
            throw new AssertionError("accepted standbys 1");
        } catch (SpecException e) {
            assertThat(e.errors().stream().map(SpecError::toString).toList())
                    .anySatisfy(m -> assertThat(m).contains("agents[0].state.standbys").contains("standby replicas are not available yet"));
        }
    }
}
