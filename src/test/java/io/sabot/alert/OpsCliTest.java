package io.sabot.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.control.RemoteEngine;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.Subscription;
import io.sabot.spec.FleetSpec;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI of alerts and history against a real daemon, and the secrets of a webhook (token in its
 * URL, an Authorization header) masked everywhere the spec or an alert is echoed: the socket's
 * spec, spec events, alert lists, traces, the daemon's log; while the webhook itself gets them,
 * also after a client sent the masked spec back.
 */
class OpsCliTest {
    private static final String TOKEN = "tok-8c1d5e";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void alertsTestAndListHistoryAndMaskedSecrets() throws Exception {
        Path hookOut = tmp.resolve("hook.out");
        try (Receiver rx = new Receiver(); Daemon d = new Daemon(tmp.resolve("home"))) {
            String spec = "{\"agents\":[{\"name\":\"napper\",\"command\":[\"sleep\",\"100000\"]}],\"alerts\":[{\"name\":\"ops\",\"on\":\"failed\","
                    + "\"webhook\":\"" + rx.url("/services/" + TOKEN) + "\",\"headers\":{\"Authorization\":\"Bearer " + TOKEN + "\"},"
                    + "\"command\":[\"sh\",\"-c\",\"echo $SABOT_ALERT_TEST $SABOT_ALERT >> " + hookOut + "\"]}]}";
            Path file = tmp.resolve("spec.json");
            Files.writeString(file, spec);
            assertThat(d.run("agents", "deploy", file.toString()).code).isZero();
            assertThat(d.run("agents", "start", "napper").code).isZero();

            Daemon.Result test = d.run("alerts", "test", "ops");
            assertThat(test.code).as(test.toString()).isZero();
            assertThat(test.out).contains("webhook").contains("delivered").contains("HTTP 200").contains("command").doesNotContain(TOKEN);
            assertThat(rx.hits()).singleElement().satisfies(h -> {
                assertThat(h.path()).isEqualTo("/services/" + TOKEN);
                assertThat(h.authorization()).isEqualTo("Bearer " + TOKEN);
                assertThat(h.body().path("test").asBoolean()).isTrue();
                assertThat(h.body().path("alert").asText()).isEqualTo("ops");
            });
            assertThat(Files.readAllLines(hookOut)).containsExactly("true ops");

            Daemon.Result list = d.run("alerts", "list", "--json");
            assertThat(list.code).isZero();
            JsonNode alerts = JSON.readTree(list.out);
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).path("test").asBoolean()).isTrue();
            assertThat(list.out).doesNotContain(TOKEN).contains("/****");
            assertThat(d.run("alerts", "list").out).contains("ops").contains("test").contains("webhook:delivered");

            Daemon.Result none = d.run("alerts", "test", "nosuch");
            assertThat(none.code).isEqualTo(2);
            assertThat(none.err).contains("no alert rule named \"nosuch\"; rules: [ops]");

            // the socket shows the spec masked; sending the masked spec back keeps the secrets
            try (RemoteEngine e = new RemoteEngine(d.home.resolve("control.sock"))) {
                List<EngineEvent> events = new CopyOnWriteArrayList<>();
                Subscription sub = e.subscribe(events::add);
                FleetSpec shown = e.spec();
                assertThat(shown.alerts().get(0).webhook()).isEqualTo("http://127.0.0.1:" + rx.server.getAddress().getPort() + "/****");
                assertThat(shown.alerts().get(0).headers()).containsEntry("Authorization", "****");
                e.deploy(shown);
                Await.until(Duration.ofSeconds(10), () -> events.stream().anyMatch(ev -> ev instanceof EngineEvent.SpecEvent), "a spec event");
                assertThat(events.stream().filter(ev -> ev instanceof EngineEvent.SpecEvent).map(Object::toString).toList()).noneMatch(s -> s.contains(TOKEN));
                sub.close();
            }
            assertThat(d.run("alerts", "test", "ops").code).isZero();
            assertThat(rx.hits()).hasSize(2).allSatisfy(h -> assertThat(h.authorization()).isEqualTo("Bearer " + TOKEN));

            // history: the recorder samples every 5 s
            Await.until(Duration.ofSeconds(30), () -> d.run("agents", "history", "napper", "--range", "live", "--json").out.contains("\"timeMs\""),
                    "a history point of napper");
            JsonNode h = JSON.readTree(d.run("agents", "history", "napper", "--range", "1h", "--json").out);
            assertThat(h.path("subject").asText()).isEqualTo("agent:napper");
            assertThat(h.path("maxPoints").asInt()).isEqualTo(360);
            assertThat(h.path("points").get(0).path("memoryBytes").asLong()).isPositive();
            Daemon.Result bad = d.run("agents", "history", "napper", "--range", "2d");
            assertThat(bad.code).isEqualTo(2);
            assertThat(bad.err).contains("--range must be one of live, 1h, 24h, 7d");

            // nowhere else either
            assertThat(d.run("telemetry", "traces", "--limit", "200", "--json").out).doesNotContain(TOKEN).contains("alert.webhook");
            assertThat(d.log()).doesNotContain(TOKEN);
        }
    }
}
