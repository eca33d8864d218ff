package io.sabot.engine;

/**
 * Something the engine reports: {@code type} says what {@code data} is. In-process listeners get
 * the real objects; the control socket carries them as JSON. Types: "transition" ({@link
 * Transition}), "result" ({@link LifecycleResult}), "spec" (deployed agents and topics),
 * "removed" (agent names), "desired" (agent -> should run), "metrics", "span" ({@code io.sabot.telemetry.SpanView}), "assignment",
 * "notice" (a text for people), "store" ({@link StoreHealth}, whenever the store's health changes).
 */
public record EngineEvent(String type, Object data) {
    public static final String TRANSITION = "transition";
    public static final String RESULT = "result";
    public static final String SPEC = "spec";
    public static final String REMOVED = "removed";
    public static final String METRICS = "metrics";
    public static final String SPAN = "span";
    public static final String ASSIGNMENT = "assignment";
    public static final String NOTICE = "notice";
    /** data: Map agent name -> whether its instances should run (persisted so a new engine brings them back) */
    public static final String DESIRED = "desired";
    /** data: {@link OffsetCommit}, a committed offset accepted from the partition's current owner */
    public static final String OFFSET = "offset";
    /** data: {@link StoreHealth}, the durable store's health, whenever it changes */
    public static final String STORE = "store";
}
