package io.sabot.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.AlertView;
import io.sabot.engine.InstanceState;
import io.sabot.engine.Selection;
import io.sabot.testing.Await;
import io.sabot.testing.EngineFixture;
import io.sabot.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A webhook that is down is retried with exponential backoff, then dropped with a note; it never holds up the engine or other channels. */
class WebhookDownTest {
    @TempDir
    Path home;

    private AlertView latest(AlertService s, String rule) {
        return s.alerts(50).stream().filter(a -> a.alert().equals(rule)).findFirst().orElse(null);
    }

    @Test
    void aFailingWebhookIsRetriedWithGrowingDelaysThenDroppedWithANote() throws Exception {
        try (Receiver rx = new Receiver(); EngineFixture f = new EngineFixture(home)) {
            rx.status.set(503);
            f.engine.deploy(Specs.parse("{\"agents\":[],\"alerts\":[{\"name\":\"w\",\"on\":\"failed\",\"retries\":3,\"webhook\":\"" + rx.url("/x") + "\"}]}", home));
            try (AlertService alerts = new AlertService(f.engine, null, 100)) {
                AlertView first = alerts.test("w");
                assertThat(first.deliveries()).anySatisfy(d -> {
                    assertThat(d.channel()).isEqualTo("webhook");
                    assertThat(d.outcome()).isEqualTo("failed");
                    assertThat(d.detail()).isEqualTo("HTTP 503; retry in 100 ms");
                });
                Await.until(Duration.ofSeconds(30), () -> {
                    AlertView a = latest(alerts, "w");
                    return a != null && a.deliveries().stream().anyMatch(d -> d.outcome().equals("dropped"));
                }, () -> "webhook dropped, got " + latest(alerts, "w"));
                AlertView.Delivery d = latest(alerts, "w").deliveries().stream().filter(x -> x.channel().equals("webhook")).findFirst().orElseThrow();
                assertThat(d.attempts()).isEqualTo(4);
                assertThat(d.detail()).isEqualTo("HTTP 503; gave up after 4 attempts");
                List<Receiver.Hit> hits = rx.hits();
                assertThat(hits).hasSize(4);
                // each wait at least the backoff: 100, 200, 400 ms
                for (int i = 1; i < hits.size(); i++) {
                    long gap = hits.get(i).timeMs() - hits.get(i - 1).timeMs();
                    assertThat(gap).as("gap before attempt %d", i + 1).isGreaterThanOrEqualTo(100L << (i - 1));
                }
            }
        }
    }

    @Test
    void aHangingWebhookHoldsUpNeitherTheEngineNorTheOtherChannels() throws Exception {
        Path hookOut = home.resolve("hook.out");
        Path hook = home.resolve("hook.sh");
        Files.writeString(hook, "#!/bin/sh\necho \"$SABOT_ALERT_STATE $SABOT_ALERT\" >> '" + hookOut + "'\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        try (Receiver rx = new Receiver(); EngineFixture f = new EngineFixture(home.resolve("h"))) {
            rx.hang = true;
            String agent = "{\"name\":\"crasher\",\"command\":[\"sh\",\"-c\",\"exit 1\"],"
                    + "\"restart\":{\"maxRestarts\":4,\"withinSeconds\":60,\"backoff\":{\"initialMs\":20,\"maxMs\":40}}}";
            String alerts = "{\"name\":\"loop\",\"on\":\"crash_loop\",\"restarts\":2,\"webhook\":\"" + rx.url("/hang") + "\",\"command\":[\"" + hook + "\"]},"
                    + "{\"name\":\"dead\",\"on\":\"failed\",\"webhook\":\"" + rx.url("/hang") + "\",\"command\":[\"" + hook + "\"]}";
            f.engine.deploy(Specs.parse("{\"agents\":[" + agent + "],\"alerts\":[" + alerts + "]}", home));
            try (AlertService service = new AlertService(f.engine, null, 100)) {
                f.engine.start(Selection.of("crasher"), null, null);
                // the engine went through every restart to FAILED, and both alerts reached the hook,
                // while the webhook still holds its first requests without an answer
                Await.until(Duration.ofSeconds(30), () -> lines(hookOut).containsAll(List.of("firing loop", "firing dead")),
                        () -> "both alerts at the hook, got " + lines(hookOut));
                assertThat(f.status("crasher-0").state()).isEqualTo(InstanceState.FAILED);
                assertThat(rx.hang).isTrue();
                Await.until(Duration.ofSeconds(30), () -> rx.hits().stream().anyMatch(h -> h.path().equals("/hang")), "the webhook's request, held");
                assertThat(service.alerts(10)).allSatisfy(a -> assertThat(a.deliveries())
                        .noneSatisfy(d -> assertThat(d.channel().equals("webhook") && d.outcome().equals("delivered")).isTrue()));
                // an operator's restart is answered while the webhook hangs
                assertThat(f.engine.stop(Selection.of("crasher"), false, null).get(0).success()).isTrue();
                assertThat(service.droppedEvents()).isZero();
            }
        }
    }

    private static List<String> lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    @Test
    void aResolutionWaitsForItsFiringStillBeingRetried() throws Exception {
        try (Receiver rx = new Receiver()) {
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            rx.server.removeContext("/");
            rx.server.createContext("/", ex -> {
                JsonNodeHolder.add(rx, ex);
                ex.sendResponseHeaders(n.incrementAndGet() <= 2 ? 503 : 200, -1);
                ex.close();
            });
            io.sabot.spec.AlertSpec rule = Specs.parse("{\"agents\":[],\"alerts\":[{\"name\":\"w\",\"on\":\"failed\",\"webhook\":\""
                    + rx.url("/o") + "\"}]}", home).alerts().get(0);
            List<AlertView.Delivery> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (Dispatcher d = new Dispatcher(io.opentelemetry.api.OpenTelemetry.noop().getTracer("t"), 100, o -> outcomes.add(o.delivery()))) {
                AlertView firing = new AlertView(1, "w", "failed", AlertView.FIRING, "a", "a-0", "w/a-0", "a-0 FAILED", 1, null, null, false, List.of());
                AlertView resolved = new AlertView(1, "w", "failed", AlertView.RESOLVED, "a", "a-0", "w/a-0", "a-0 left FAILED", 1, 2L, null, false, List.of());
                d.deliver(firing, rule, io.opentelemetry.context.Context.root());
                d.deliver(resolved, rule, io.opentelemetry.context.Context.root());
                Await.until(Duration.ofSeconds(30), () -> outcomes.stream().filter(o -> o.outcome().equals("delivered")).count() == 2,
                        () -> "both delivered, got " + outcomes);
            }
            assertThat(rx.hits()).extracting(h -> h.body().path("state").asText()).containsExactly("firing", "firing", "firing", "resolved");
        }
    }

    /** Records a request into the receiver's hits (for handlers replaced by a test). */
    static final class JsonNodeHolder {
        static void add(Receiver rx, com.sun.net.httpserver.HttpExchange ex) throws java.io.IOException {
            com.fasterxml.jackson.databind.JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ex.getRequestBody());
            synchronized (rx.hits) {
                rx.hits.add(new Receiver.Hit(System.currentTimeMillis(), ex.getRequestURI().toString(), null, body));
            }
        }
    }
}
