package io.sabot.importer;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations, sizes and the short way settings are echoed in the report. */
final class Values {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kKmMgG])?[bB]?");

    private Values() {}

    /** Milliseconds of "1500", "60s", "1m", "2h", "500ms" (a bare number is ms, as PM2 reads it); -1 if it is none of these. */
    static long millis(String s) {
        Matcher m = DURATION.matcher(s.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) return -1;
        double v = Double.parseDouble(m.group(1));
        String u = m.group(2) == null ? "ms" : m.group(2);
        double f = switch (u) { case "s" -> 1_000; case "m" -> 60_000; case "h" -> 3_600_000; case "d" -> 86_400_000; default -> 1; };
        return Math.round(v * f);
    }

    /** Mebibytes of "300M", "1G", "512K", "1048576" (bytes); -1 if it is none of these. */
    static long mebibytes(String s) {
        Matcher m = SIZE.matcher(s.strip());
        if (!m.matches()) return -1;
        double v = Double.parseDouble(m.group(1));
        String u = m.group(2) == null ? "" : m.group(2).toUpperCase(Locale.ROOT);
        double bytes = switch (u) { case "K" -> v * 1024; case "M" -> v * 1024 * 1024; case "G" -> v * 1024 * 1024 * 1024; default -> v; };
        return (long) Math.ceil(bytes / (1024 * 1024));
    }

    /** A value as the report shows it: short, one line. */
    static String show(Object v) {
        String s = v == null ? "null" : v.toString();
        s = s.replace("\n", "\\n");
        return s.length() > 70 ? s.substring(0, 67) + "..." : s;
    }
}
