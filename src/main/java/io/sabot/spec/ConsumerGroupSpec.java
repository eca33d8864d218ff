package io.sabot.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A consumer group's own settings ({@code "consumerGroups": [...]} in a spec): who coordinates it.
 * {@code sabot} (the default, and every group not listed): the engine assigns the partitions among
 * its own instances. {@code kafka}: a group spread over several hosts; its instances join Kafka's
 * group with {@code subscribe()}, Kafka coordinates membership, and Sabot's strategy places the
 * partitions as Kafka's client-side assignor (docs/hosts.md, "A consumer group across hosts").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConsumerGroupSpec(String name, String coordination) {
    public static final String SABOT = "sabot";
    public static final String KAFKA = "kafka";

    public boolean kafkaCoordinated() { return KAFKA.equals(coordination); }

    /** True when the spec says Kafka coordinates {@code group}. */
    public static boolean kafkaCoordinated(FleetSpec spec, String group) {
        for (ConsumerGroupSpec g : spec.consumerGroups()) if (g.name().equals(group)) return g.kafkaCoordinated();
        return false;
    }

    /** Parses {@code consumerGroups}; errors name the field. */
    static List<ConsumerGroupSpec> parse(JsonNode n, List<SpecError> errors) {
        List<ConsumerGroupSpec> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        if (!n.isArray()) {
            errors.add(new SpecError("consumerGroups", "must be a list, was " + n.getNodeType().name().toLowerCase()));
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n.size(); i++) {
            String path = "consumerGroups[" + i + "]";
            JsonNode g = n.get(i);
            if (!g.isObject()) {
                errors.add(new SpecError(path, "must be an object with \"name\" and \"coordination\""));
                continue;
            }
            for (java.util.Iterator<String> it = g.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("name") && !f.equals("coordination")) errors.add(new SpecError(path + "." + f, "unknown field; allowed: name, coordination"));
            }
            JsonNode name = g.get("name");
            if (name == null || !name.isTextual() || name.asText().isBlank()) {
                errors.add(new SpecError(path + ".name", "is required (the agents' consumerGroup)"));
                continue;
            }
            JsonNode c = g.get("coordination");
            String coordination = c == null || c.isNull() ? SABOT : c.asText();
            if (!(c == null || c.isNull() || c.isTextual()) || !(coordination.equals(SABOT) || coordination.equals(KAFKA))) {
                errors.add(new SpecError(path + ".coordination", "must be \"sabot\" (the engine assigns) or \"kafka\" (Kafka's group protocol, across hosts), was " + c));
                continue;
            }
            if (!seen.add(name.asText())) errors.add(new SpecError(path + ".name", "duplicate consumer group \"" + name.asText() + "\""));
            out.add(new ConsumerGroupSpec(name.asText(), coordination));
        }
        return out;
    }

    /** A Kafka-coordinated group consumes Kafka topics of one cluster, and some agent is in it. */
    static void check(FleetSpec spec, List<SpecError> errors) {
        Map<String, TopicSpec> topics = new java.util.HashMap<>();
        for (TopicSpec t : spec.topics()) topics.put(t.name(), t);
        for (int i = 0; i < spec.consumerGroups().size(); i++) {
            ConsumerGroupSpec g = spec.consumerGroups().get(i);
            String path = "consumerGroups[" + i + "]";
            boolean used = false;
            Set<String> clusters = new java.util.TreeSet<>();
            for (AgentSpec a : spec.agents()) {
                if (!a.consumerGroup().equals(g.name())) continue;
                used = true;
                if (!g.kafkaCoordinated()) continue;
                for (String t : a.topics()) {
                    TopicSpec ts = topics.get(t);
                    if (ts == null) continue;
                    if (!ts.isKafka()) errors.add(new SpecError(path + ".coordination",
                            "\"kafka\" needs Kafka topics, but agent \"" + a.name() + "\" reads the embedded topic \"" + t + "\""));
                    else clusters.add(ts.cluster());
                }
            }
            if (!used) errors.add(new SpecError(path + ".name", "no agent has consumerGroup \"" + g.name() + "\""));
            if (clusters.size() > 1) errors.add(new SpecError(path + ".coordination", "\"kafka\" needs the group's topics on one cluster, they are on " + clusters));
        }
    }
}
