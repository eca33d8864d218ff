package io.sabot.multihost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sabot.control.Wire;
import io.sabot.spec.FleetSpec;
import java.util.function.UnaryOperator;

/**
 * A fleet spec with every name renamed: agent names, {@code dependsOn}, the topics an agent reads
 * ({@code topic}, a name or a list) and writes ({@code outputs}), its supervision group, topic names,
 * supervision groups' names, alert rule names and
 * the agents a rule watches. It works on the
 * spec's JSON, so fields added to the spec later travel unchanged.
 */
public final class SpecNames {
    private SpecNames() {}

    /** The spec of host {@code label} as the console shows it (names qualified). */
    public static FleetSpec qualify(FleetSpec spec, String label) {
        if (label == null) return spec;
        return Wire.JSON.convertValue(rename(Wire.JSON.valueToTree(spec), n -> HostNames.qualify(label, n), null), FleetSpec.class);
    }

    /** A console spec of one host back to its own names (only the parts with that host's prefix). */
    public static FleetSpec local(FleetSpec spec, String prefix) {
        return Wire.JSON.convertValue(localTree(Wire.JSON.valueToTree(spec), prefix), FleetSpec.class);
    }

    /**
     * A spec tree (as the spec form builds it) back to one host's own names: agents and topics
     * without {@code prefix} ("" for the primary: names without any host label) are dropped.
     */
    public static ObjectNode localTree(JsonNode tree, String prefix) {
        return rename(tree.deepCopy(), n -> n.startsWith(prefix) ? n.substring(prefix.length()) : n,
                n -> prefix.isEmpty() ? HostNames.labelOf(n) == null : n.startsWith(prefix));
    }

    private static ObjectNode rename(JsonNode tree, UnaryOperator<String> f, java.util.function.Predicate<String> keep) {
        ObjectNode root = (ObjectNode) tree;
        for (String list : new String[] {"agents", "topics", "groups", "alerts"}) {
            JsonNode items = root.get(list);
            if (!(items instanceof ArrayNode arr)) continue;
            for (int i = arr.size() - 1; i >= 0; i--) {
                JsonNode item = arr.get(i);
                if (!(item instanceof ObjectNode o) || !o.path("name").isTextual()) continue;
                if (keep != null && !keep.test(o.get("name").asText())) {
                    arr.remove(i);
                    continue;
                }
                o.put("name", f.apply(o.get("name").asText()));
                if (list.equals("agents")) {
                    for (String field : new String[] {"dependsOn", "topic", "outputs", "group"}) renameField(o, field, f);
                }
                if (list.equals("alerts")) renameField(o, "agents", f);
            }
        }
        return root;
    }

    private static void renameField(ObjectNode o, String field, UnaryOperator<String> f) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return;
        if (v.isTextual()) o.set(field, TextNode.valueOf(f.apply(v.asText())));
        else if (v instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) if (a.get(i).isTextual()) a.set(i, TextNode.valueOf(f.apply(a.get(i).asText())));
        }
    }
}
