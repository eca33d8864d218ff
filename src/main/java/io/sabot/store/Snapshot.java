package io.sabot.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The snapshot file's content: what the engine needs to supervise (see {@link KeyedState}), and
 * where it stands against the database: {@code dbGeneration} is the database's commit
 * generation when it was written, {@code ahead} whether it holds state the database had not
 * committed yet (the store was failing). A starting engine prefers it to the database when the
 * database is behind ({@code dbGeneration} above the database's: writes were lost) or when it is
 * ahead at the same generation.
 *
 * @param storeId      the database's identity (a snapshot of another database is never applied)
 * @param dbGeneration the database's generation when written
 * @param ahead        holds keyed state the database had not committed
 * @param writtenAtMs  when written
 * @param state        the state
 */
public record Snapshot(String storeId, long dbGeneration, boolean ahead, long writtenAtMs, RecoveredState state) {
    static final int FORMAT = 1;

    /** Agent names (not topics) in this snapshot. */
    public List<String> agents() {
        List<String> out = new ArrayList<>();
        for (SpecRecord s : state.specs()) if (!s.name().startsWith("topic:")) out.add(s.name());
        return out;
    }

    byte[] toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("storeId", storeId);
        root.put("dbGeneration", dbGeneration);
        root.put("ahead", ahead);
        root.put("writtenAt", Instant.ofEpochMilli(writtenAtMs).toString());
        root.put("writtenAtMs", writtenAtMs);
        ArrayNode specs = root.putArray("specs");
        for (SpecRecord s : state.specs()) {
            ObjectNode n = specs.addObject();
            n.put("name", s.name());
            n.put("json", s.json());
            n.put("updatedMs", s.updated().toEpochMilli());
        }
        ArrayNode desired = root.putArray("desired");
        for (DesiredStateRecord d : state.desired().values()) {
            ObjectNode n = desired.addObject();
            n.put("agent", d.agent());
            n.put("running", d.running());
            n.put("concurrency", d.concurrency());
            n.put("updatedMs", d.updated().toEpochMilli());
        }
        ArrayNode instances = root.putArray("instances");
        for (InstanceRecord i : state.instances()) {
            ObjectNode n = instances.addObject();
            n.put("id", i.id());
            n.put("agent", i.agent());
            n.put("index", i.index());
            if (i.pid() != null) n.put("pid", i.pid());
            if (i.processStart() != null) n.put("processStartMs", i.processStart().toEpochMilli());
            n.put("state", i.state());
            n.put("updatedMs", i.updated().toEpochMilli());
        }
        ArrayNode offsets = root.putArray("offsets");
        for (OffsetRecord o : state.offsets()) {
            ObjectNode n = offsets.addObject();
            n.put("group", o.group());
            n.put("topic", o.topic());
            n.put("partition", o.partition());
            n.put("offset", o.offset());
            n.put("timeMs", o.time().toEpochMilli());
        }
        ArrayNode epochs = root.putArray("assignments");
        for (AssignmentRecord a : state.assignments().values()) {
            ObjectNode n = epochs.addObject();
            if (a.group() != null) n.put("group", a.group());
            n.put("topic", a.topic());
            n.put("epoch", a.epoch());
            n.put("strategy", a.strategy());
            n.put("timeMs", a.time().toEpochMilli());
        }
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("snapshot not serializable: " + e.getMessage(), e);
        }
    }

    /** Parses a snapshot; the message of the exception names what is wrong. */
    static Snapshot parse(byte[] bytes) throws IOException {
        JsonNode root = Json.MAPPER.readTree(bytes);
        if (root == null || !root.isObject()) throw new IOException("not a JSON object");
        int format = root.path("format").asInt(-1);
        if (format != FORMAT) throw new IOException("unknown snapshot format " + root.path("format"));
        List<SpecRecord> specs = new ArrayList<>();
        for (JsonNode n : array(root, "specs")) {
            specs.add(new SpecRecord(text(n, "name"), text(n, "json"), Instant.ofEpochMilli(n.path("updatedMs").asLong())));
        }
        Map<String, DesiredStateRecord> desired = new LinkedHashMap<>();
        for (JsonNode n : array(root, "desired")) {
            desired.put(text(n, "agent"), new DesiredStateRecord(text(n, "agent"), n.path("running").asBoolean(),
                    n.path("concurrency").asInt(1), Instant.ofEpochMilli(n.path("updatedMs").asLong())));
        }
        List<InstanceRecord> instances = new ArrayList<>();
        for (JsonNode n : array(root, "instances")) {
            instances.add(new InstanceRecord(text(n, "id"), text(n, "agent"), n.path("index").asInt(),
                    n.hasNonNull("pid") ? n.get("pid").asLong() : null,
                    n.hasNonNull("processStartMs") ? Instant.ofEpochMilli(n.get("processStartMs").asLong()) : null,
                    text(n, "state"), Instant.ofEpochMilli(n.path("updatedMs").asLong())));
        }
        List<OffsetRecord> offsets = new ArrayList<>();
        for (JsonNode n : array(root, "offsets")) {
            offsets.add(new OffsetRecord(n.path("group").asText(""), text(n, "topic"), n.path("partition").asInt(), n.path("offset").asLong(),
                    Instant.ofEpochMilli(n.path("timeMs").asLong())));
        }
        Map<String, AssignmentRecord> assignments = new LinkedHashMap<>();
        for (JsonNode n : array(root, "assignments")) {
            if (!n.hasNonNull("group")) continue; // written before consumer groups: recovery reads none of those
            AssignmentRecord a = new AssignmentRecord(text(n, "topic"), n.path("epoch").asLong(),
                    n.path("strategy").asText("sticky"), "restored from the snapshot", List.of(), 0,
                    Instant.ofEpochMilli(n.path("timeMs").asLong()), n.get("group").asText());
            assignments.put(KeyedState.assignmentKey(a), a);
        }
        return new Snapshot(root.path("storeId").asText(""), root.path("dbGeneration").asLong(),
                root.path("ahead").asBoolean(), root.path("writtenAtMs").asLong(),
                new RecoveredState(specs, desired, instances, assignments, offsets));
    }

    private static Iterable<JsonNode> array(JsonNode root, String field) throws IOException {
        JsonNode a = root.get(field);
        if (a == null || a.isNull()) return List.of();
        if (!a.isArray()) throw new IOException("\"" + field + "\" is not a list");
        return a;
    }

    private static String text(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) throw new IOException("an entry lacks \"" + field + "\"");
        return v.asText();
    }
}
