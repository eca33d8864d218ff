package io.sabot.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.AlertView;
import io.sabot.engine.InstanceState;
import io.sabot.engine.Selection;
import io.sabot.testing.Await;
import io.sabot.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash loop raises one alert, not one per crash, to a real HTTP receiver on loopback and to a
 * command hook, and resolves it once the agent is stable; the alert is stored and links to the
 * crash-restart trace that caused it.
 */
class CrashLoopAlertTest {
    private static final String TOKEN = "s3cr3t-token-91";

    @TempDir
    Path tmp;

    @Test
    void aCrashLoopIsOneAlertToTheWebhookAndTheHookAndResolvesWhenStable() throws Exception {
        Path home = tmp.resolve("home");
        Path counter = tmp.resolve("attempts");
        Path hookOut = tmp.resolve("hook.out");
        Path hook = tmp.resolve("hook.sh");
        Files.writeString(hook, "#!/bin/sh\necho \"$SABOT_ALERT_STATE $SABOT_ALERT $SABOT_ALERT_ON $SABOT_ALERT_INSTANCE $SABOT_ALERT_TRACE_ID\" >> '" + hookOut + "'\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        // crashes five times (exit 3), then runs
        String script = "n=$(cat \\\"$0\\\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \\\"$0\\\"; echo attempt $n; "
                + "if [ $n -le 5 ]; then echo boom $n >&2; exit 3; fi; exec sleep 100000";
        String agent = "{\"name\":\"flaky\",\"command\":[\"sh\",\"-c\",\"" + script + "\",\"" + counter + "\"],"
                + "\"restart\":{\"maxRestarts\":20,\"withinSeconds\":60,\"backoff\":{\"initialMs\":50,\"maxMs\":200,\"jitter\":0}}}";
        try (Receiver rx = new Receiver(); OpsHost h = new OpsHost(home)) {
            String alert = "{\"name\":\"loop\",\"on\":\"crash_loop\",\"restarts\":3,\"withinSeconds\":60,\"stableSeconds\":2,"
                    + "\"webhook\":\"" + rx.url("/hook?token=" + TOKEN) + "\",\"headers\":{\"Authorization\":\"Bearer " + TOKEN + "\"},"
                    + "\"command\":[\"" + hook + "\"]}";
            h.engine.deploy(Specs.parse("{\"agents\":[" + agent + "],\"alerts\":[" + alert + "]}", tmp));
            h.engine.start(Selection.of("flaky"), null, null);

            Await.until(Duration.ofSeconds(60), () -> rx.hits().size() >= 2, () -> "firing and resolved at the receiver, got " + rx.hits());
            List<Receiver.Hit> hits = rx.hits();
            assertThat(hits).hasSize(2);
            Receiver.Hit firing = hits.get(0), resolved = hits.get(1);
            assertThat(firing.body().path("state").asText()).isEqualTo("firing");
            assertThat(resolved.body().path("state").asText()).isEqualTo("resolved");
            for (Receiver.Hit hit : hits) {
                assertThat(hit.path()).isEqualTo("/hook?token=" + TOKEN);
                assertThat(hit.authorization()).isEqualTo("Bearer " + TOKEN);
                assertThat(hit.body().path("alert").asText()).isEqualTo("loop");
                assertThat(hit.body().path("on").asText()).isEqualTo("crash_loop");
                assertThat(hit.body().path("agent").asText()).isEqualTo("flaky");
                assertThat(hit.body().path("instance").asText()).isEqualTo("flaky-0");
                assertThat(hit.body().path("startedAtEpochMs").asLong()).isPositive();
            }
            assertThat(firing.body().path("message").asText()).contains("flaky-0 is crash-looping").contains("crashes within 60 s (last: exited with code 3)");
            String trace = firing.body().path("traceId").asText();
            assertThat(trace).matches("[0-9a-f]{32}");
            assertThat(resolved.body().path("traceId").asText()).isEqualTo(trace);
            assertThat(h.status("flaky-0").state()).isEqualTo(InstanceState.RUNNING);
            assertThat(h.status("flaky-0").restarts()).isEqualTo(5);

            // the trace is the crash-restart that made the loop cross the threshold
            Await.until(Duration.ofSeconds(10), () -> h.engine.traces(500).stream().anyMatch(t -> t.traceId().equals(trace)),
                    "trace " + trace + " among the stored traces");
            assertThat(h.engine.traces(500).stream().filter(t -> t.traceId().equals(trace)).findFirst().orElseThrow().name())
                    .startsWith("crash-restart flaky-0");

            // the command hook ran once per state, with the alert in its environment
            Await.until(Duration.ofSeconds(20), () -> lines(hookOut).size() >= 2, () -> "two hook runs, got " + lines(hookOut));
            assertThat(lines(hookOut)).containsExactly("firing loop crash_loop flaky-0 " + trace, "resolved loop crash_loop flaky-0 " + trace);

            // stored: one alert, resolved, each channel delivered for both states, no secret in what is shown
            Await.until(Duration.ofSeconds(10), () -> {
                List<AlertView> as = h.engine.alerts(10);
                return as.size() == 1 && as.get(0).deliveries().stream().filter(d -> d.outcome().equals("delivered")).count() == 6;
            }, () -> "one stored alert with 6 deliveries, got " + h.engine.alerts(10));
            AlertView stored = h.engine.alerts(10).get(0);
            assertThat(stored.state()).isEqualTo("resolved");
            assertThat(stored.resolvedAtEpochMs()).isGreaterThan(stored.startedAtEpochMs());
            assertThat(stored.traceId()).isEqualTo(trace);
            assertThat(stored.toString()).doesNotContain(TOKEN);
            assertThat(stored.deliveries()).extracting(AlertView.Delivery::channel).containsOnly("console", "webhook", "command");
        }
    }

    private static List<String> lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }
}
