package io.sabot.spec;

import com.fasterxml.jackson.annotation.JsonValue;

/** When a dead instance is started again. */
public enum RestartPolicy {
    /** always restarted */
    PERMANENT,
    /** restarted only after an abnormal exit (non-zero code or a signal) */
    TRANSIENT,
    /** never restarted */
    TEMPORARY;

    @JsonValue
    public String wireName() { return name().toLowerCase(java.util.Locale.ROOT); }
}
