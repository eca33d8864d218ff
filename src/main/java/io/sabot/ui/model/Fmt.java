package io.sabot.ui.model;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Human units for figures shown in the console. */
public final class Fmt {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter CLOCK_S = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private Fmt() {}

    public static String bytes(long b) {
        if (b <= 0) return "\u2014";
        if (b < 1024) return b + " B";
        String[] u = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int i = -1;
        while (v >= 1024 && i < u.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, u[i]);
    }

    /** CPU of a live process: "0 %", "0.4 %", "12 %" (a tenth is what a 10 s window of 10 ms ticks resolves). */
    public static String percent(double p) {
        if (Double.isNaN(p) || p < 0) return "\u2014";
        if (p < 0.05) return "0 %";
        return String.format(Locale.ROOT, p < 10 ? "%.1f %%" : "%.0f %%", p);
    }

    public static String rate(double r) {
        if (r <= 0) return "\u2014";
        if (r >= 10_000) return String.format(Locale.ROOT, "%.1fk", r / 1000);
        return String.format(Locale.ROOT, r < 10 ? "%.1f" : "%.0f", r);
    }

    /** Milliseconds as 4s, 3m 12s, 2h 03m, 3d 4h. */
    public static String duration(long ms) {
        if (ms <= 0) return "\u2014";
        long s = ms / 1000;
        if (s < 60) return s + "s";
        long m = s / 60;
        if (m < 60) return m + "m " + (s % 60) + "s";
        long h = m / 60;
        if (h < 24) return h + "h " + String.format(Locale.ROOT, "%02dm", m % 60);
        return (h / 24) + "d " + (h % 24) + "h";
    }

    /**
     * An uptime as the fleet table shows it: seconds only in the first minute ("42s", "12m",
     * "3h 05m", "2d 3h", as PM2 shows it), so the column changes once a minute, not every second
     * for every instance (each change is a cell laid out and repainted). {@link InstanceRow} ticks
     * the value at the same resolution.
     */
    public static String uptime(long ms) {
        return ms >= 60_000 && ms < 3_600_000 ? ms / 60_000 + "m" : duration(ms);
    }

    /** Nanoseconds as 812 µs, 12.4 ms, 1.23 s. */
    public static String nanos(long ns) {
        if (ns < 1_000) return ns + " ns";
        if (ns < 1_000_000) return String.format(Locale.ROOT, "%.0f \u00b5s", ns / 1e3);
        if (ns < 1_000_000_000) return String.format(Locale.ROOT, ns < 10_000_000 ? "%.2f ms" : "%.1f ms", ns / 1e6);
        return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
    }

    public static String clock(long epochMs) { return CLOCK.format(Instant.ofEpochMilli(epochMs)); }

    public static String clockSeconds(long epochMs) { return CLOCK_S.format(Instant.ofEpochMilli(epochMs)); }

    public static String plural(int n, String one) { return n + " " + (n == 1 ? one : one + "s"); }
}
