package io.sabot.multihost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sabot.control.Wire;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Renames the named fields of an engine record through its JSON (the form the control protocol
 * carries it in), so fields the engine adds later pass through untouched. A field may be text, a
 * list of texts, or, written {@code field.*}, the values of a map ({@code field.keys} for its keys).
 */
final class Renamer {
    private Renamer() {}

    static <T> T rename(T value, Class<T> type, UnaryOperator<String> f, String... fields) {
        if (value == null) return null;
        ObjectNode n = Wire.JSON.valueToTree(value);
        for (String field : fields) {
            if (field.endsWith(".*")) {
                JsonNode m = n.get(field.substring(0, field.length() - 2));
                if (m instanceof ObjectNode o) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        if (e.getValue().isTextual()) e.setValue(TextNode.valueOf(f.apply(e.getValue().asText())));
                    }
                }
            } else if (field.endsWith(".keys")) {
                JsonNode m = n.get(field.substring(0, field.length() - 5));
                if (m instanceof ObjectNode o) {
                    List<Map.Entry<String, JsonNode>> all = new ArrayList<>();
                    o.fields().forEachRemaining(all::add);
                    o.removeAll();
                    for (Map.Entry<String, JsonNode> e : all) o.set(f.apply(e.getKey()), e.getValue());
                }
            } else {
                JsonNode v = n.get(field);
                if (v == null) continue;
                if (v.isTextual()) n.set(field, TextNode.valueOf(f.apply(v.asText())));
                else if (v instanceof ArrayNode a) {
                    for (int i = 0; i < a.size(); i++) if (a.get(i).isTextual()) a.set(i, TextNode.valueOf(f.apply(a.get(i).asText())));
                }
            }
        }
        return Wire.JSON.convertValue(n, type);
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> renameAll(List<T> values, Class<T> type, UnaryOperator<String> f, String... fields) {
        List<T> out = new ArrayList<>(values.size());
        for (T v : values) out.add(rename(v, type, f, fields));
        return out;
    }
}
