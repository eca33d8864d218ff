package io.sabot.kafka;

import io.sabot.partition.GroupReader;
import io.sabot.partition.GroupSnapshot;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Kafka's own description of a consumer group, for tests that wait on it. */
final class KafkaGroups {
    private KafkaGroups() {}

    /**
     * The group as Kafka describes it, or null while it cannot: a group no member has joined yet
     * is "not found", which a wait must read as "not yet", never as a failure.
     */
    static GroupSnapshot tryRead(GroupReader r, String group, String topic) {
        try {
            return r.read(group, List.of(topic));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** One line for a failed wait's message: state, members and each partition's owner@host. */
    static String describe(GroupReader r, String group, String topic) {
        try {
            GroupSnapshot s = r.read(group, List.of(topic));
            Map<Integer, String> owners = new TreeMap<>();
            s.partitions().forEach(p -> owners.put(p.partition(), p.ownerInstance() + "@" + p.ownerHost()));
            return s.state() + " members " + s.members().size() + " owners " + owners;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }
}
