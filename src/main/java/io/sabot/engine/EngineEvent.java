package io.sabot.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.sabot.spec.FleetSpec;
import io.sabot.telemetry.SpanView;
import java.util.List;
import java.util.Map;

/**
 * Something the engine reports. A closed set of records: a listener tells them apart with
 * {@code instanceof} and gets the typed payload, never a cast. In-process listeners get the
 * records themselves; the control socket carries each as {@code {"type": NAME, "data": PAYLOAD}}
 * (Jackson's polymorphic typing, the type name below), and {@code RemoteEngine} turns it back
 * into the same record, so a listener cannot tell a remote engine from a local one.
 *
 * <p>Delivery: on an engine thread, after the engine's locks are released, in order per instance.
 * Transitions are never dropped; a listener that must not fall behind queues and returns.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(EngineEvent.TransitionEvent.class),
        @JsonSubTypes.Type(EngineEvent.ResultEvent.class),
        @JsonSubTypes.Type(EngineEvent.SpecEvent.class),
        @JsonSubTypes.Type(EngineEvent.RemovedEvent.class),
        @JsonSubTypes.Type(EngineEvent.DesiredEvent.class),
        @JsonSubTypes.Type(EngineEvent.MetricsEvent.class),
        @JsonSubTypes.Type(EngineEvent.SpanEvent.class),
        @JsonSubTypes.Type(EngineEvent.AssignmentEvent.class),
        @JsonSubTypes.Type(EngineEvent.NoticeEvent.class),
        @JsonSubTypes.Type(EngineEvent.OffsetEvent.class),
        @JsonSubTypes.Type(EngineEvent.GroupEvent.class),
        @JsonSubTypes.Type(EngineEvent.AlertEvent.class),
        @JsonSubTypes.Type(EngineEvent.BrokerEvent.class),
        @JsonSubTypes.Type(EngineEvent.StoreEvent.class),
        @JsonSubTypes.Type(EngineEvent.RestoreEvent.class),
})
public sealed interface EngineEvent {

    /** The event's name on the wire ({@code "transition"}, {@code "metrics"}, ...), for logs and counts. */
    default String type() { return getClass().getAnnotation(JsonTypeName.class).value(); }

    /** An instance changed state. */
    @JsonTypeName("transition")
    record TransitionEvent(@JsonProperty("data") Transition transition) implements EngineEvent { }

    /** An operation on one instance finished (one per instance of every lifecycle call). */
    @JsonTypeName("result")
    record ResultEvent(@JsonProperty("data") LifecycleResult result) implements EngineEvent { }

    /** The deployed agents and topics, after every change to them. */
    @JsonTypeName("spec")
    record SpecEvent(@JsonProperty("data") FleetSpec spec) implements EngineEvent { }

    /** These agents were removed. */
    @JsonTypeName("removed")
    record RemovedEvent(@JsonProperty("data") List<String> agents) implements EngineEvent {
        public RemovedEvent { agents = List.copyOf(agents); }
    }

    /** Agent name to whether its instances should run (persisted so a new engine brings them back). */
    @JsonTypeName("desired")
    record DesiredEvent(@JsonProperty("data") Map<String, Boolean> desired) implements EngineEvent {
        public DesiredEvent { desired = Map.copyOf(desired); }
    }

    /** One sampler tick (about 1 Hz). Listeners may skip all but the newest. */
    @JsonTypeName("metrics")
    record MetricsEvent(@JsonProperty("data") MetricsSnapshot metrics) implements EngineEvent { }

    /** A finished telemetry span. */
    @JsonTypeName("span")
    record SpanEvent(@JsonProperty("data") SpanView span) implements EngineEvent { }

    /** A topic's partitions were (re)assigned. */
    @JsonTypeName("assignment")
    record AssignmentEvent(@JsonProperty("data") AssignmentView assignment) implements EngineEvent { }

    /** A text for people (an instance gave up, a health kill, a note of the engine's own). */
    @JsonTypeName("notice")
    record NoticeEvent(@JsonProperty("data") String text) implements EngineEvent { }

    /** A committed offset accepted from the partition's current owner. */
    @JsonTypeName("offset")
    record OffsetEvent(@JsonProperty("data") OffsetCommit offset) implements EngineEvent { }

    /**
     * A supervision group changed as a whole: it escalated (exceeded its restart intensity, every
     * member stopped and FAILED) or an operator started it again.
     */
    @JsonTypeName("group")
    record GroupEvent(@JsonProperty("data") GroupChange change) implements EngineEvent { }

    /** The durable store's health changed (failing, recovered, repaired, backed up). */
    @JsonTypeName("store")
    record StoreEvent(@JsonProperty("data") StoreHealth health) implements EngineEvent { }

    /**
     * What happened to a group: {@code state} is {@code "FAILED"} when it escalated ({@code reason}
     * says why, {@code members} lists the instances stopped) or {@code "RUNNING"} when restarted.
     */
    record GroupChange(String group, String state, String reason, List<String> members, long timeMs) {
        public GroupChange { members = members == null ? List.of() : List.copyOf(members); }
    }

    /** An alert fired or resolved, or one of its deliveries has an outcome (io.sabot.alert; the console's notifications). */
    @JsonTypeName("alert")
    record AlertEvent(@JsonProperty("data") AlertView alert) implements EngineEvent { }

    /**
     * Whether a Kafka cluster's brokers answer, from whoever talks to them; the
     * {@code broker_unreachable} alert hears it. Publish on every change (repeats are fine).
     */
    @JsonTypeName("broker")
    record BrokerEvent(@JsonProperty("data") BrokerStatus status) implements EngineEvent { }

    /**
     * A state store partition's restore began, progressed (a few times a second at most) or
     * finished: the store as {@code sabot state show} shows it, status {@code restoring} until done.
     */
    @JsonTypeName("restore")
    record RestoreEvent(@JsonProperty("data") StateStoreView store) implements EngineEvent { }
}
