package io.sabot.telemetry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Masking of secrets in environment maps, span attributes, logs and JSON output: a name containing
 * {@code TOKEN}, {@code SECRET}, {@code PASSWORD} or {@code KEY} (any case) has its value shown as
 * {@value #MASK}.
 */
public final class Secrets {
    public static final String MASK = "****";
    private static final String[] MARKERS = {"TOKEN", "SECRET", "PASSWORD", "KEY"};

    private Secrets() { }

    public static boolean isSecretName(String name) {
        if (name == null) return false;
        String n = name.toUpperCase(Locale.ROOT);
        for (String m : MARKERS) if (n.contains(m)) return true;
        return false;
    }

    /** The value, or {@value #MASK} when the name is a secret's. Null stays null. */
    public static String maskValue(String name, String value) {
        return value != null && isSecretName(name) ? MASK : value;
    }

    /** A copy of {@code env} (same order) with secret values masked. */
    public static Map<String, String> mask(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> out.put(k, maskValue(k, v)));
        return out;
    }
}
