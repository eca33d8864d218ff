package io.sabot.importer;

import io.sabot.spec.SpecParser;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Turns the names of other supervisors into unique Sabot agent names ({@code [a-z0-9][a-z0-9_-]{0,62}}). */
final class Names {
    private final Set<String> taken = new HashSet<>();

    /** A valid, unused name close to {@code raw}. */
    String claim(String raw) {
        String base = sanitize(raw);
        String n = base;
        for (int i = 2; !taken.add(n); i++) {
            String suffix = "_" + i;
            n = (base.length() + suffix.length() > 63 ? base.substring(0, 63 - suffix.length()) : base) + suffix;
        }
        return n;
    }

    static String sanitize(String raw) {
        String s = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) sb.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ? c : '_');
        String n = sb.toString().replaceAll("_+", "_");
        while (!n.isEmpty() && !Character.isLetterOrDigit(n.charAt(0))) n = n.substring(1);
        if (n.isEmpty()) n = "agent";
        if (n.length() > 63) n = n.substring(0, 63);
        return SpecParser.NAME.matcher(n).matches() ? n : "agent";
    }
}
