package io.sabot.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sabot.engine.AssignmentView;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.InstanceState;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.MetricsSnapshot;
import io.sabot.engine.OffsetCommit;
import io.sabot.engine.Transition;
import io.sabot.spec.FleetSpec;
import io.sabot.telemetry.SpanView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every engine event crosses the control socket as {@code {"type", "data"}} and comes back as the same record. */
class EventWireTest {

    static List<EngineEvent> samples() {
        return List.of(
                new EngineEvent.TransitionEvent(new Transition(1, "a-0", InstanceState.RUNNING, InstanceState.BACKOFF, "crash", 1, null, "exited with code 1", 42, "t")),
                new EngineEvent.ResultEvent(new LifecycleResult("start", "a-0", true, InstanceState.STOPPED, InstanceState.RUNNING, 5, null, "t", 42L)),
                new EngineEvent.SpecEvent(new FleetSpec(List.of(), List.of())),
                new EngineEvent.RemovedEvent(List.of("a", "b")),
                new EngineEvent.DesiredEvent(Map.of("a", true, "b", false)),
                new EngineEvent.MetricsEvent(new MetricsSnapshot(3, 12.5, 100, 200, Map.of("a-0", new MetricsSnapshot.InstanceMetrics(1.5, 10, 2, 3.0)))),
                new EngineEvent.SpanEvent(new SpanView("0".repeat(32), "1".repeat(16), null, "start a-0", 1, 2, "OK", Map.of("k", "v"))),
                new EngineEvent.AssignmentEvent(new AssignmentView("t", 2, "sticky", "operator", Map.of(0, "a-0"), List.of(0), List.of(), 9)),
                new EngineEvent.NoticeEvent("a-0 FAILED: too many restarts"),
                new EngineEvent.OffsetEvent(new OffsetCommit("t", 0, 17, "a-0", 8)),
                new EngineEvent.GroupEvent(new EngineEvent.GroupChange("payments", "FAILED", "restart intensity exceeded", List.of("a-0"), 4)),
                new EngineEvent.AlertEvent(new io.sabot.engine.AlertView(7, "loop", "crash_loop", "firing", "a", "a-0", "loop/a-0", "a-0 is crash-looping",
                        5, null, "0af7651916cd43dd8448eb211c80319c", false,
                        List.of(new io.sabot.engine.AlertView.Delivery("webhook", "https://h/****", "firing", "delivered", 1, "HTTP 200", 6)))),
                new EngineEvent.BrokerEvent(new io.sabot.engine.BrokerStatus("main", false, "connection refused", 8)),
                new EngineEvent.StoreEvent(new io.sabot.engine.StoreHealth(false, "not recording since ...: the disk holding /h is full",
                        "the disk holding /h is full (0 bytes free)", false, "not recorded durably: the disk holding /h is full", 5, 12, true,
                        9, 1024, null, List.of("recording resumed after 1.2 s"))),
                new EngineEvent.RestoreEvent(new io.sabot.engine.StateStoreView("fd", "fd", "cards", "tx", 3, "fd-1", "restoring",
                        120, 4_000, 9_000, 430, 1_000, 2_150.5, 0.27, null, 9)));
    }

    @Test
    void everyEventRoundTripsAsTheSameRecord() throws Exception {
        for (EngineEvent e : samples()) {
            String json = Wire.eventJson(e);
            JsonNode n = Wire.JSON.readTree(json);
            assertThat(n.path("type").asText()).as(json).isEqualTo(e.type());
            assertThat(n.has("data")).as(json).isTrue();
            assertThat(Wire.event(n)).as(json).isEqualTo(e);
        }
    }

    @Test
    void everyKindOfEventHasASampleAndAName() {
        List<Class<?>> kinds = List.of(EngineEvent.class.getPermittedSubclasses());
        assertThat(samples().stream().map(Object::getClass).distinct().toList()).containsExactlyInAnyOrderElementsOf(kinds);
        assertThat(samples().stream().map(EngineEvent::type).distinct().count()).isEqualTo(kinds.size());
    }

    @Test
    void anEventOfATypeThisClientDoesNotKnowIsSkippedNotAnError() throws Exception {
        assertThat(Wire.event(Wire.JSON.readTree("{\"type\":\"from-the-future\",\"data\":{\"x\":1}}"))).isNull();
        assertThat(Wire.event(Wire.JSON.readTree("{\"data\":1}"))).isNull();
    }
}
