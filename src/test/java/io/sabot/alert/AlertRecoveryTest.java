package io.sabot.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.spec.AlertSpec;
import io.sabot.testing.Specs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alert rules are part of the deployed spec: a new engine on the home has them again, secrets and all; alerts stay listed. */
class AlertRecoveryTest {
    @TempDir
    Path home;

    @Test
    void rulesAndAlertsSurviveAnEngineRestart() throws Exception {
        String rule = "{\"name\":\"w\",\"on\":\"failed\",\"webhook\":\"http://127.0.0.1:9/x?token=t0k\",\"headers\":{\"Authorization\":\"Bearer t0k\"}}";
        try (OpsHost h = new OpsHost(home)) {
            h.engine.deploy(Specs.parse("{\"agents\":[],\"alerts\":[" + rule + "]}", home));
            h.engine.testAlert("w");
        }
        try (OpsHost h = new OpsHost(home)) {
            AlertSpec a = h.engine.spec().alerts().get(0);
            assertThat(a.name()).isEqualTo("w");
            assertThat(a.webhook()).isEqualTo("http://127.0.0.1:9/x?token=t0k");
            assertThat(a.headers()).containsEntry("Authorization", "Bearer t0k");
            assertThat(h.engine.alerts(10)).singleElement().satisfies(x -> assertThat(x.test()).isTrue());
        }
    }
}
