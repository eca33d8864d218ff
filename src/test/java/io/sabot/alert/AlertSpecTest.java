package io.sabot.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sabot.spec.AlertSpec;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.SpecException;
import io.sabot.spec.SpecParser;
import io.sabot.telemetry.SecretUrls;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spec's "alerts": defaults, errors with field paths that never echo a secret, masking. */
class AlertSpecTest {
    private static final String TOKEN = "xoxb-SECRET-7f3a";

    private static FleetSpec parse(String alerts) throws SpecException {
        return SpecParser.parse("{\"agents\":[],\"alerts\":[" + alerts + "]}", false, "spec.json", null);
    }

    @Test
    void defaultsAreFilledIn() throws Exception {
        AlertSpec a = parse("{\"name\":\"loop\",\"on\":\"crash_loop\",\"webhook\":\"https://hooks.example.com/services/" + TOKEN + "\",\"slack\":true}").alerts().get(0);
        assertThat(a.restarts()).isEqualTo(3);
        assertThat(a.withinSeconds()).isEqualTo(60);
        assertThat(a.stableSeconds()).isEqualTo(60);
        assertThat(a.maxPerMinute()).isEqualTo(10);
        assertThat(a.retries()).isEqualTo(5);
        assertThat(a.slack()).isTrue();
        assertThat(a.agents()).isEmpty();
    }

    @Test
    void everyProblemIsNamedByItsFieldPathAndNoSecretIsEchoed() {
        assertThatThrownBy(() -> parse("{\"name\":\"Bad Name\",\"on\":\"crashloop\"},"
                + "{\"name\":\"l\",\"on\":\"lag\",\"restarts\":2},"
                + "{\"name\":\"w\",\"on\":\"failed\",\"webhook\":\"ftp://u:" + TOKEN + "@x/y\",\"headers\":{\"Authorization\":5}},"
                + "{\"name\":\"c\",\"on\":\"failed\",\"command\":\"notify.sh\",\"maxPerMinute\":0}"))
                .isInstanceOf(SpecException.class)
                .satisfies(e -> {
                    String m = e.getMessage();
                    assertThat(m).contains("alerts[0].name: must match").contains("alerts[0].on: unknown value \"crashloop\"")
                            .contains("alerts[1].restarts: does not apply to \"on\": \"lag\"")
                            .contains("alerts[1]: a lag alert needs \"records\"")
                            .contains("alerts[2].webhook: must be an http:// or https:// URL")
                            .contains("alerts[2].headers.Authorization: must be a string (its value is not shown")
                            .contains("alerts[3].command: must be a list of strings")
                            .contains("alerts[3].maxPerMinute: must be >= 1");
                    assertThat(m).doesNotContain(TOKEN);
                });
    }

    @Test
    void urlsAndHeadersAreMaskedAndAMaskSentBackKeepsTheSecret() throws Exception {
        assertThat(SecretUrls.mask("https://hooks.slack.com/services/T0/B0/" + TOKEN)).isEqualTo("https://hooks.slack.com/****");
        assertThat(SecretUrls.mask("http://127.0.0.1:8080/hook?token=" + TOKEN)).isEqualTo("http://127.0.0.1:8080/****");
        assertThat(SecretUrls.mask("http://user:" + TOKEN + "@host/")).isEqualTo("http://host/****");
        assertThat(SecretUrls.mask("http://host")).isEqualTo("http://host/");
        AlertSpec a = parse("{\"name\":\"w\",\"on\":\"failed\",\"webhook\":\"https://h.example/x/" + TOKEN + "\",\"headers\":{\"Authorization\":\"Bearer " + TOKEN + "\"}}").alerts().get(0);
        AlertSpec shown = a.masked();
        assertThat(shown.toString()).doesNotContain(TOKEN);
        assertThat(shown.headers()).isEqualTo(Map.of("Authorization", "****"));
        assertThat(shown.keepMaskedFrom(a)).isEqualTo(a);
        AlertSpec changed = shown.withChannels("https://other.example/new", shown.headers());
        assertThat(changed.keepMaskedFrom(a).webhook()).isEqualTo("https://other.example/new");
        assertThat(changed.keepMaskedFrom(a).headers()).containsEntry("Authorization", "Bearer " + TOKEN);
    }
}
