package io.sabot.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the engine needs to supervise, kept in memory as the journal accepts it: specs, desired
 * states, instances (pid and start time), committed offsets and the latest assignment of each
 * (consumer group, topic). It is the freshest copy of the durable state (ahead of the database while the store is
 * failing), the source of the snapshot file, and what a starting engine recovers from. Updated
 * under the journal's lock in ticket order, so it always equals the database after the same
 * records (KeyedStateTest#followsTheRecordsLikeTheDatabase).
 */
final class KeyedState {
    private final Map<String, SpecRecord> specs = new LinkedHashMap<>();
    private final Map<String, DesiredStateRecord> desired = new LinkedHashMap<>();
    private final Map<String, InstanceRecord> instances = new LinkedHashMap<>();
    private final Map<String, OffsetRecord> offsets = new LinkedHashMap<>();
    private final Map<String, AssignmentRecord> assignments = new LinkedHashMap<>();
    private long version;

    /** Starts from what the database holds. */
    synchronized void load(RecoveredState s) {
        specs.clear();
        desired.clear();
        instances.clear();
        offsets.clear();
        assignments.clear();
        for (SpecRecord r : s.specs()) specs.put(r.name(), r);
        desired.putAll(s.desired());
        for (InstanceRecord i : s.instances()) instances.put(i.id(), i);
        for (OffsetRecord o : s.offsets()) offsets.put(offsetKey(o), o);
        assignments.putAll(s.assignments());
        version++;
    }

    /** Applies one accepted record (called under the journal's lock). */
    synchronized void apply(JournalRecord r) {
        if (r instanceof SpecRecord) {
            SpecRecord s = (SpecRecord) r;
            specs.put(s.name(), s);
        } else if (r instanceof DesiredStateRecord) {
            DesiredStateRecord d = (DesiredStateRecord) r;
            desired.put(d.agent(), d);
        } else if (r instanceof InstanceRecord) {
            InstanceRecord i = (InstanceRecord) r;
            instances.put(i.id(), i);
        } else if (r instanceof OffsetRecord) {
            OffsetRecord o = (OffsetRecord) r;
            offsets.merge(offsetKey(o), o, (a, b) -> b.offset() >= a.offset() ? b : a);
        } else if (r instanceof AssignmentRecord) {
            AssignmentRecord a = (AssignmentRecord) r;
            if (a.group() == null) return; // before consumer groups: recovery does not read those
            assignments.merge(assignmentKey(a), a, (x, y) -> y.epoch() >= x.epoch() ? y : x);
        } else if (r instanceof AgentRemovalRecord) {
            String agent = ((AgentRemovalRecord) r).agent();
            specs.remove(agent);
            desired.remove(agent);
            instances.values().removeIf(i -> i.agent().equals(agent));
        } else {
            return; // history: not part of the state
        }
        version++;
    }

    private static String offsetKey(OffsetRecord o) { return o.group() + '\u0000' + o.topic() + '\u0000' + o.partition(); }

    /** As {@code AssignmentRepository.latestPerGroupTopic} keys them. */
    static String assignmentKey(AssignmentRecord a) { return a.group() + '\u0000' + a.topic(); }

    /** Increases with every change. */
    synchronized long version() { return version; }

    /** A copy, as a starting engine reads it. */
    synchronized RecoveredState copy() {
        return new RecoveredState(new ArrayList<>(specs.values()), new LinkedHashMap<>(desired),
                new ArrayList<>(instances.values()), new LinkedHashMap<>(assignments), new ArrayList<>(offsets.values()));
    }

    /**
     * The records that turn a database holding {@code have} into this state: removals of agents it
     * should not have, then every spec, desired state, instance, offset and assignment of this state.
     */
    synchronized List<JournalRecord> recordsToReach(RecoveredState have, java.time.Instant now) {
        List<JournalRecord> out = new ArrayList<>();
        for (SpecRecord s : have.specs()) {
            if (!specs.containsKey(s.name())) out.add(new AgentRemovalRecord(s.name(), now));
        }
        for (String agent : have.desired().keySet()) {
            if (!specs.containsKey(agent) && !desired.containsKey(agent)) out.add(new AgentRemovalRecord(agent, now));
        }
        out.addAll(specs.values());
        out.addAll(desired.values());
        out.addAll(instances.values());
        out.addAll(offsets.values());
        for (AssignmentRecord a : assignments.values()) {
            AssignmentRecord old = have.assignments().get(assignmentKey(a));
            if (old == null || old.epoch() < a.epoch()) out.add(a);
        }
        return out;
    }

    /** Names of agents in {@code a} but not in {@code b} (specs), for notices. */
    static List<String> agentsOnlyIn(RecoveredState a, RecoveredState b) {
        List<String> out = new ArrayList<>();
        for (SpecRecord s : a.specs()) {
            if (b.specs().stream().noneMatch(x -> x.name().equals(s.name()))) out.add(s.name());
        }
        return out;
    }

    synchronized int agentCount() {
        int n = 0;
        for (String k : specs.keySet()) if (!k.startsWith("topic:")) n++;
        return n;
    }
}
