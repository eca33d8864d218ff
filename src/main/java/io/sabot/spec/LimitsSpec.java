package io.sabot.spec;

/** Enforced resource limits; null means unlimited. cpuPercent is of one core (100 = one core). */
public record LimitsSpec(Integer memoryMb, Integer cpuPercent) {
    public static final LimitsSpec NONE = new LimitsSpec(null, null);
}
