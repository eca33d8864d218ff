package io.sabot.engine;

import io.sabot.protocol.Json;
import io.sabot.protocol.ProtocolCodec;
import io.sabot.protocol.ProtocolMessages;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The engine's side of the agent line protocol, decoded by the same {@link ProtocolCodec} the
 * agents use. {@code ready} and {@code heartbeat} are the engine's own; acks, commits and
 * {@code drained} go to the services that asked ({@link Ports.Instances#onAgentMessages}). An
 * agent is never trusted: a line that is not a message is noted in its log and ignored, an
 * unknown type is noted once.
 */
final class AgentProtocol {
    private final List<Ports.AgentMessages> handlers = new CopyOnWriteArrayList<>();
    private final LongSupplier clock;
    private final Ports.Events events;

    AgentProtocol(LongSupplier clock, Ports.Events events) {
        this.clock = clock;
        this.events = events;
    }

    Subscription onAgentMessages(Ports.AgentMessages h) {
        handlers.add(h);
        return () -> handlers.remove(h);
    }

    /** One protocol line of an instance (the JSON after the prefix); {@code ready} runs on a ready message. */
    void onLine(Instance in, String line, Runnable ready) {
        Object parsed;
        try {
            parsed = Json.parse(line);
        } catch (Json.ParseException e) {
            in.log.line("[sabot] invalid protocol line ignored: " + abbreviate(line));
            return;
        }
        if (!(parsed instanceof Map) || !(((Map<?, ?>) parsed).get(ProtocolMessages.TYPE) instanceof String)) {
            in.log.line("[sabot] protocol line without a \"type\" ignored: " + abbreviate(line));
            return;
        }
        @SuppressWarnings("unchecked") Map<String, Object> o = (Map<String, Object>) parsed;
        ProtocolMessages.ToEngine m;
        try {
            m = ProtocolCodec.decodeToEngine(o);
        } catch (ProtocolCodec.ProtocolException e) {
            in.log.line("[sabot] protocol message \"" + abbreviate((String) o.get(ProtocolMessages.TYPE)) + "\" ignored: " + e.getMessage());
            return;
        }
        if (m instanceof ProtocolMessages.Ready) {
            // the heartbeat clock starts at ready: an agent slower to start than its heartbeat timeout
            // (a Kafka broker: tens of seconds) was killed right after becoming RUNNING
            in.lastHeartbeatNanos = clock.getAsLong();
            ready.run();
        } else if (m instanceof ProtocolMessages.Heartbeat h) {
            in.lastHeartbeatNanos = clock.getAsLong();
            // alive but unable to work (e.g. its Kafka cluster is unreachable): unhealthy, not killed
            if (h.healthy() != in.healthy) {
                String why = abbreviate(h.reason() == null ? "" : h.reason());
                in.reason = h.healthy() ? null : "unhealthy: " + why;
                events.publish(new EngineEvent.NoticeEvent(in.id + (h.healthy() ? " healthy again" : " unhealthy: " + why)));
            }
            in.healthy = h.healthy();
            in.messagesPerSec = h.rate();
            in.lag = h.lag();
        } else if (m instanceof ProtocolMessages.UnknownToEngine u) {
            if (in.unknownTypes.size() < 16 && in.unknownTypes.add(u.type())) {
                in.log.line("[sabot] unknown protocol message type \"" + abbreviate(u.type()) + "\" ignored (logged once)");
            }
        } else {
            for (Ports.AgentMessages h : handlers) h.onMessage(in.id, m);
        }
    }

    private static String abbreviate(String s) { return s.length() > 120 ? s.substring(0, 120) + "..." : s; }
}
