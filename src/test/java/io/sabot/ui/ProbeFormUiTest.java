package io.sabot.ui;

import static io.sabot.ui.ConsoleHarness.fx;
import static io.sabot.ui.ConsoleHarness.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.spec.ProbeSpec;
import io.sabot.testing.Await;
import io.sabot.testing.Specs;
import java.nio.file.Path;
import java.time.Duration;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/** Probe settings in the spec form: shown, edited, checked by the real parser beside their fields, deployed. */
class ProbeFormUiTest {
    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path home;

    private final FxRobot robot = new FxRobot();

    @SuppressWarnings("unchecked")
    private void set(String id, String value) {
        fxRun(() -> {
            var n = robot.lookup("#" + id).query();
            if (n instanceof ComboBox<?> c) ((ComboBox<String>) c).setValue(value);
            else ((TextField) n).setText(value);
        });
    }

    @Test
    void probeSettingsAreEditedCheckedAndDeployed() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(home, false)) {
            h.engine.deploy(Specs.parse(Specs.fleet(Specs.sleeper("s", 1,
                    "\"health\":{\"liveness\":{\"exec\":[\"test\",\"-d\",\"/tmp\"],\"periodMs\":5000}}")), home));
            h.open();
            Await.until(T, () -> fx(() -> h.window.model().specOf("s") != null && h.window.model().agent("s") != null), "spec loaded");
            fxRun(() -> {
                h.window.agents().select(h.window.model().agent("s"));
                h.window.agents().detail().selectTab("tab-spec");
            });
            Await.until(T, () -> fx(() -> "s".equals(h.window.agents().detail().spec().agent())), "form shows s");
            // what is deployed shows
            assertThat(fx(() -> robot.lookup("#spec-liveness-kind").queryAs(ComboBox.class).getValue())).isEqualTo("exec");
            assertThat(fx(() -> robot.lookup("#spec-liveness-target").queryAs(TextField.class).getText())).isEqualTo("test -d /tmp");
            assertThat(fx(() -> robot.lookup("#spec-liveness-periodMs").queryAs(TextField.class).getText())).isEqualTo("5000");
            assertThat(fx(() -> robot.lookup("#spec-readiness-kind").queryAs(ComboBox.class).getValue())).isEqualTo("none");

            // a readiness probe and a bad liveness target: the error sits beside the target, nothing is deployed
            set("spec-readiness-kind", "http");
            set("spec-readiness-target", "http://127.0.0.1:8080/health");
            set("spec-readiness-status", "200-299");
            set("spec-readiness-periodMs", "250");
            set("spec-liveness-kind", "tcp");
            set("spec-liveness-target", "nowhere");
            robot.clickOn("#spec-redeploy");
            Await.until(T, () -> fx(() -> h.window.agents().detail().spec().errorOf("health.liveness.target")) != null, "target error shown");
            assertThat(fx(() -> h.window.agents().detail().spec().errorOf("health.liveness.target"))).contains("host:port");
            assertThat(h.engine.spec().agents().get(0).health().readiness()).isNull();

            // a period too short for the parser: named beside its field
            set("spec-liveness-target", "127.0.0.1:9");
            set("spec-liveness-periodMs", "5");
            robot.clickOn("#spec-redeploy");
            Await.until(T, () -> fx(() -> h.window.agents().detail().spec().errorOf("health.liveness.periodMs")) != null, "period error shown");
            assertThat(fx(() -> h.window.agents().detail().spec().errorOf("health.liveness.periodMs"))).contains(">= 100");

            set("spec-liveness-periodMs", "2000");
            robot.clickOn("#spec-redeploy");
            Await.until(T, () -> h.engine.spec().agents().get(0).health().readiness() != null, "redeployed with a readiness probe");
            ProbeSpec r = h.engine.spec().agents().get(0).health().readiness(), l = h.engine.spec().agents().get(0).health().liveness();
            assertThat(r.http().url()).isEqualTo("http://127.0.0.1:8080/health");
            assertThat(r.http().status()).isEqualTo("200-299");
            assertThat(r.periodMs()).isEqualTo(250);
            assertThat(l.tcp().port()).isEqualTo(9);
            assertThat(l.periodMs()).isEqualTo(2000);
        }
    }
}
