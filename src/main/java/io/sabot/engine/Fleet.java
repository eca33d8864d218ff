package io.sabot.engine;

import io.sabot.engine.supervision.GroupSettings;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.AlertSpec;
import io.sabot.spec.ClusterSpec;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.GroupSpec;
import io.sabot.spec.InstanceIds;
import io.sabot.spec.TopicSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is deployed, as one immutable snapshot: agents in spec order with their instances,
 * topics, alert rules, the Kafka clusters topics live on, and the supervision groups (settings resolved, members in startup order). The
 * registry swaps in a new snapshot on deploy, remove and scale; everything else (lookups by id,
 * protocol messages, the 1 Hz tick, health checks) reads the current one without a lock.
 */
record Fleet(Map<String, AgentSpec> agents, Map<String, List<Instance>> instances, Map<String, TopicSpec> topics,
             List<GroupSpec> groupSpecs, Map<String, AlertSpec> alerts, Map<String, Instance> byId,
             Map<String, GroupSettings> groups, Map<String, List<Instance>> members, Map<String, ClusterSpec> clusters,
             Map<String, io.sabot.spec.ConsumerGroupSpec> consumerGroups) {

    static final Fleet EMPTY = of(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), List.of(), new LinkedHashMap<>(), new LinkedHashMap<>());

    /** A snapshot of these (copied; the caller may go on changing its maps). */
    static Fleet of(Map<String, AgentSpec> agents, Map<String, List<Instance>> instances, Map<String, TopicSpec> topics,
                    List<GroupSpec> groupSpecs, Map<String, AlertSpec> alerts, Map<String, ClusterSpec> clusters) {
        return of(agents, instances, topics, groupSpecs, alerts, clusters, Map.of());
    }

    /** As above, with who coordinates which consumer group ({@code consumerGroups} entries of the spec). */
    static Fleet of(Map<String, AgentSpec> agents, Map<String, List<Instance>> instances, Map<String, TopicSpec> topics,
                    List<GroupSpec> groupSpecs, Map<String, AlertSpec> alerts, Map<String, ClusterSpec> clusters,
                    Map<String, io.sabot.spec.ConsumerGroupSpec> consumerGroups) {
        Map<String, List<Instance>> inst = new LinkedHashMap<>();
        Map<String, Instance> byId = new HashMap<>();
        Map<String, List<Instance>> members = new LinkedHashMap<>();
        Map<String, AgentSpec> firstOf = new LinkedHashMap<>();
        for (Map.Entry<String, List<Instance>> e : instances.entrySet()) {
            inst.put(e.getKey(), List.copyOf(e.getValue()));
            for (Instance in : e.getValue()) byId.put(in.id, in);
        }
        for (AgentSpec a : agents.values()) {
            firstOf.putIfAbsent(a.group(), a);
            List<Instance> list = inst.get(a.name());
            if (list != null) members.computeIfAbsent(a.group(), g -> new ArrayList<>()).addAll(list);
        }
        Map<String, GroupSpec> entries = new HashMap<>();
        for (GroupSpec g : groupSpecs) entries.put(g.name(), g);
        Map<String, GroupSettings> groups = new LinkedHashMap<>();
        for (Map.Entry<String, AgentSpec> e : firstOf.entrySet()) groups.put(e.getKey(), settings(entries.get(e.getKey()), e.getValue()));
        members.replaceAll((g, l) -> List.copyOf(l));
        return new Fleet(Collections.unmodifiableMap(new LinkedHashMap<>(agents)), Collections.unmodifiableMap(inst),
                Collections.unmodifiableMap(new LinkedHashMap<>(topics)), List.copyOf(groupSpecs),
                Collections.unmodifiableMap(new LinkedHashMap<>(alerts)), Collections.unmodifiableMap(byId),
                Collections.unmodifiableMap(groups), Collections.unmodifiableMap(members),
                Collections.unmodifiableMap(new LinkedHashMap<>(clusters)), Collections.unmodifiableMap(new LinkedHashMap<>(consumerGroups)));
    }

    /**
     * A group's settings: its {@code groups} entry where it gives them, else its agents' strategy
     * and its first agent's restart intensity; the backoff is always the first agent's.
     */
    static GroupSettings settings(GroupSpec entry, AgentSpec first) {
        return new GroupSettings(
                entry != null && entry.strategy() != null ? entry.strategy() : first.strategy(),
                entry != null && entry.maxRestarts() != null ? entry.maxRestarts() : first.restart().maxRestarts(),
                entry != null && entry.withinSeconds() != null ? entry.withinSeconds() : first.restart().withinSeconds(),
                first.restart().backoff());
    }

    Instance find(String instanceId) {
        Instance in = byId.get(instanceId);
        if (in != null || InstanceIds.agentOf(instanceId) == null) return in;
        // "a-01" names a-1 too
        List<Instance> list = instances.get(InstanceIds.agentOf(instanceId));
        int i = InstanceIds.indexOf(instanceId);
        return list != null && i >= 0 && i < list.size() ? list.get(i) : null;
    }

    List<Instance> all() {
        List<Instance> out = new ArrayList<>();
        instances.values().forEach(out::addAll);
        return out;
    }

    int instanceCount() {
        int n = 0;
        for (List<Instance> l : instances.values()) n += l.size();
        return n;
    }

    FleetSpec spec() {
        return new FleetSpec(new ArrayList<>(agents.values()), new ArrayList<>(topics.values()), groupSpecs, new ArrayList<>(alerts.values()),
                new ArrayList<>(clusters.values()), new ArrayList<>(consumerGroups.values()));
    }
}
