package io.sabot.spec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Kafka (or Kafka-compatible) cluster that topics name by {@code cluster}: its bootstrap
 * servers and client properties ({@code security.protocol}, SASL and SSL settings, ...). Secret
 * properties ({@link #isSecretProperty}) are masked wherever a spec is shown, as env values are.
 */
public record ClusterSpec(String name, String bootstrapServers, Map<String, String> properties) {
    public ClusterSpec {
        properties = properties == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /**
     * Whether a client property holds a secret: a secret-looking name (password, key, token,
     * secret), a JAAS configuration (it embeds credentials), or inline PEM certificates (Kafka types
     * them as passwords). {@code KafkaPropertiesTest} checks that every property Kafka's clients
     * declare as a password is covered.
     */
    public static boolean isSecretProperty(String name) {
        if (name == null) return false;
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return io.sabot.telemetry.Secrets.isSecretName(name) || n.contains("jaas") || n.contains("certificate");
    }

    /** The cluster with secret property values shown as the mask. */
    public ClusterSpec masked() {
        Map<String, String> out = new LinkedHashMap<>();
        properties.forEach((k, v) -> out.put(k, isSecretProperty(k) ? io.sabot.telemetry.Secrets.MASK : v));
        return new ClusterSpec(name, bootstrapServers, out);
    }

    /** The cluster with masked secret values replaced by those of {@code old} (an edited, masked spec sent back). */
    public ClusterSpec unmasked(ClusterSpec old) {
        if (old == null) return this;
        Map<String, String> out = new LinkedHashMap<>(properties);
        out.replaceAll((k, v) -> io.sabot.telemetry.Secrets.MASK.equals(v) && isSecretProperty(k) && old.properties().containsKey(k)
                ? old.properties().get(k) : v);
        return new ClusterSpec(name, bootstrapServers, out);
    }
}
