package io.sabot.spec;

import io.sabot.kafka.KafkaProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A cluster's bootstrap list and client properties checked at parse time, against Kafka's own
 * client configuration definitions (consumer, producer, admin). Guarantees (KafkaPropertiesTest):
 * <ul>
 *   <li>a name no Kafka client knows is an error naming the closest known one;</li>
 *   <li>a value Kafka's parser or validator refuses is an error, never echoing a secret's value;</li>
 *   <li>properties Sabot sets itself (bootstrap, group id, (de)serializers, auto commit, offset reset)
 *       are errors, so a spec cannot silently change how Sabot consumes.</li>
 * </ul>
 * Here rather than in {@code io.sabot.kafka} so the spec does not depend on the engine's Kafka side
 * (no package cycle); Kafka's classes load only when a spec has a cluster with properties.
 */
public final class KafkaClientChecks {
    /** Set by Sabot; a spec may not override them. */
    public static final Set<String> RESERVED = KafkaProperties.RESERVED;

    private KafkaClientChecks() {}

    /** Why a bootstrap list is unusable, or null: {@code host:port[,host:port...]}, ports 1..65535. */
    public static String bootstrapProblem(String bootstrap) {
        if (bootstrap == null || bootstrap.isBlank()) return "must list at least one host:port";
        for (String part : bootstrap.split(",")) {
            String hp = part.strip();
            int colon = hp.lastIndexOf(':');
            if (hp.isEmpty() || colon <= 0 || colon == hp.length() - 1) return "\"" + hp + "\" is not host:port";
            try {
                int port = Integer.parseInt(hp.substring(colon + 1));
                if (port < 1 || port > 65535) return "\"" + hp + "\": port must be between 1 and 65535";
            } catch (NumberFormatException e) {
                return "\"" + hp + "\": port is not a number";
            }
            if (hp.substring(0, colon).contains(" ")) return "\"" + hp + "\": the host has a space in it";
        }
        return null;
    }

    /** Problems by property name (the message says what is wrong; secret values are never repeated). */
    public static Map<String, String> problems(Map<String, String> props) {
        Map<String, String> out = new LinkedHashMap<>();
        if (props.isEmpty()) return out;
        List<ConfigDef> defs = List.of(ConsumerConfig.configDef(), ProducerConfig.configDef(), AdminClientConfig.configDef());
        Set<String> known = new TreeSet<>();
        for (ConfigDef d : defs) known.addAll(d.names());
        for (Map.Entry<String, String> e : props.entrySet()) {
            String name = e.getKey();
            if (RESERVED.contains(name)) {
                out.put(name, "is set by Sabot" + (name.equals("bootstrap.servers") ? " from the cluster's \"bootstrapServers\"" : "")
                        + "; remove it");
                continue;
            }
            if (!known.contains(name)) {
                String hint = closest(name, known);
                out.put(name, "is not a Kafka client property" + (hint == null ? "" : " (did you mean \"" + hint + "\"?)"));
                continue;
            }
            for (ConfigDef d : defs) {
                ConfigDef.ConfigKey key = d.configKeys().get(name);
                if (key == null) continue;
                try {
                    Object v = ConfigDef.parseType(name, e.getValue(), key.type);
                    if (key.validator != null) key.validator.ensureValid(name, v);
                } catch (ConfigException | IllegalArgumentException ex) {
                    boolean secret = ClusterSpec.isSecretProperty(name) || key.type == ConfigDef.Type.PASSWORD;
                    out.put(name, secret ? "has a value Kafka refuses (a " + key.type.name().toLowerCase(Locale.ROOT) + " was expected)"
                            : "value \"" + e.getValue() + "\" is not valid: " + reason(ex, name));
                }
                break;
            }
        }
        return out;
    }

    private static String reason(Exception ex, String name) {
        String m = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        // Kafka's messages repeat the name and value ("Invalid value x for configuration y: ..."): keep the why
        int colon = m.indexOf(": ");
        return colon >= 0 && m.startsWith("Invalid value") ? m.substring(colon + 2) : m;
    }

    private static String closest(String f, Set<String> known) {
        String best = null;
        int bestD = Math.max(3, f.length() / 4);
        for (String k : known) {
            int d = distance(f, k);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
