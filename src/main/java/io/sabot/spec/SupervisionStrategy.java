package io.sabot.spec;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a crash in one instance affects the others of its group (Erlang/OTP semantics). */
public enum SupervisionStrategy {
    ONE_FOR_ONE, ONE_FOR_ALL, REST_FOR_ONE;

    @JsonValue
    public String wireName() { return name().toLowerCase(java.util.Locale.ROOT); }
}
