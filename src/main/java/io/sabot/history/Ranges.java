package io.sabot.history;

import java.util.List;

/**
 * The history ranges an operator picks from, and how many points each returns at most: enough
 * for a chart the width of a screen, few enough to draw at once (a week of 5 s samples is
 * 120,960 rows per subject; the chart gets {@value #MAX_POINTS}).
 */
public enum Ranges {
    LIVE("live", 10 * 60_000L),
    HOUR("1h", 3_600_000L),
    DAY("24h", 86_400_000L),
    WEEK("7d", 7 * 86_400_000L);

    /** The bound on points per range, whatever the store holds. */
    public static final int MAX_POINTS = 360;

    public final String wire;
    public final long spanMs;

    Ranges(String wire, long spanMs) {
        this.wire = wire;
        this.spanMs = spanMs;
    }

    public static Ranges of(String s) {
        for (Ranges r : values()) if (r.wire.equals(s)) return r;
        throw new IllegalArgumentException("unknown range \"" + s + "\"; one of " + names());
    }

    public static List<String> names() { return List.of(LIVE.wire, HOUR.wire, DAY.wire, WEEK.wire); }
}
