package io.sabot.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks across agents: dependencies exist and form no cycle, topics exist, groups hold together.
 * Run on a file alone and again when a deploy merges it into what the engine already has.
 */
public final class FleetChecks {
    private FleetChecks() {}

    /**
     * Checks what a deploy of {@code incoming} onto {@code existing} would leave (paths name the
     * incoming spec: {@code agents[i]}, {@code groups[k]}): dependencies exist and form no cycle,
     * topics exist, and supervision groups hold together ({@link GroupChecks}). With
     * {@code existing} null, a spec file on its own (its groups entries may be for deployed agents).
     */
    public static void crossCheck(FleetSpec incoming, FleetSpec existing, List<SpecError> errors) {
        boolean alone = existing == null; // a file on its own: its groups entries may name deployed agents' groups
        if (alone) existing = new FleetSpec(List.of(), List.of());
        List<AgentSpec> agents = incoming.agents();
        List<TopicSpec> topics = incoming.topics();
        Map<String, AgentSpec> all = merged(incoming, existing);
        // incoming topics and clusters replace existing ones of the same name
        Map<String, TopicSpec> topicByName = new LinkedHashMap<>();
        for (TopicSpec t : existing.topics()) topicByName.put(t.name(), t);
        for (TopicSpec t : topics) topicByName.put(t.name(), t);
        Set<String> topicNames = topicByName.keySet();
        Set<String> clusterNames = new HashSet<>();
        for (ClusterSpec c : existing.clusters()) clusterNames.add(c.name());
        for (ClusterSpec c : incoming.clusters()) clusterNames.add(c.name());
        for (int i = 0; i < topics.size(); i++) {
            TopicSpec t = topics.get(i);
            if (t.cluster() != null && !clusterNames.contains(t.cluster())) {
                errors.add(new SpecError("topics[" + i + "].cluster", "unknown cluster \"" + t.cluster() + "\"; define it under \"clusters\""
                        + (clusterNames.isEmpty() ? "" : " (known: " + new java.util.TreeSet<>(clusterNames) + ")")));
            }
        }
        Map<String, Integer> index = new HashMap<>();
        Map<String, String> where = new HashMap<>();
        for (int i = 0; i < agents.size(); i++) {
            index.put(agents.get(i).name(), i);
            where.put(agents.get(i).name(), "agents[" + i + "]");
        }

        for (int i = 0; i < agents.size(); i++) {
            AgentSpec a = agents.get(i);
            for (int j = 0; j < a.dependsOn().size(); j++) {
                String d = a.dependsOn().get(j);
                String p = "agents[" + i + "].dependsOn[" + j + "]";
                if (d.equals(a.name())) errors.add(new SpecError(p, "an agent cannot depend on itself"));
                else if (!all.containsKey(d)) errors.add(new SpecError(p, "unknown agent \"" + d + "\""));
            }
            for (int j = 0; j < a.topics().size(); j++) {
                String t = a.topics().get(j);
                String p = "agents[" + i + "].topic" + (a.topics().size() > 1 ? "[" + j + "]" : "");
                if (!topicNames.contains(t)) errors.add(new SpecError(p, "unknown topic \"" + t + "\"; define it under \"topics\""));
            }
            for (int j = 0; j < a.outputs().size(); j++) {
                String t = a.outputs().get(j);
                String p = "agents[" + i + "].outputs[" + j + "]";
                TopicSpec ts = topicByName.get(t);
                if (ts == null) errors.add(new SpecError(p, "unknown topic \"" + t + "\"; define it under \"topics\""));
                else if (!ts.isKafka()) errors.add(new SpecError(p, "topic \"" + t + "\" is embedded (a generated stream nobody can write to); "
                        + "an output must be a Kafka topic (give it a \"cluster\")"));
                else if (a.topics().contains(t)) errors.add(new SpecError(p, "agent \"" + a.name() + "\" consumes \"" + t + "\" and cannot also produce to it"));
            }
            if ("generator".equals(a.builtin())) {
                if (!a.topics().isEmpty()) errors.add(new SpecError("agents[" + i + "].topic", "a generator consumes nothing; remove \"topic\""));
                if (a.outputs().isEmpty()) errors.add(new SpecError("agents[" + i + "].outputs", "a generator needs at least one Kafka topic to produce to"));
            }
        }
        List<String> cycle = findCycle(all);
        if (cycle != null) {
            String first = cycle.get(0);
            Integer i = index.get(first);
            String path = i == null ? "agents" : "agents[" + i + "].dependsOn";
            errors.add(new SpecError(path, "dependency cycle: " + String.join(" -> ", cycle)));
            return;
        }
        // a groups entry that names a strategy gives it to every agent of its group, deployed ones too
        for (GroupSpec g : incoming.groups()) {
            if (g.strategy() != null) all.replaceAll((n, a) -> a.group().equals(g.name()) && a.strategy() != g.strategy() ? a.withStrategy(g.strategy()) : a);
        }
        GroupChecks.check(new ArrayList<>(all.values()), alone ? List.of() : mergedGroups(incoming, existing), where, errors);
    }

    /** The agents a deploy leaves, in spec order: deployed ones in place (replaced where the incoming spec names them), new ones after. */
    public static Map<String, AgentSpec> merged(FleetSpec incoming, FleetSpec existing) {
        Map<String, AgentSpec> all = new LinkedHashMap<>();
        for (AgentSpec a : existing.agents()) all.put(a.name(), a);
        for (AgentSpec a : incoming.agents()) all.put(a.name(), a);
        return all;
    }

    /** The group settings a deploy leaves: incoming entries replace deployed ones of the same name. */
    public static List<GroupSpec> mergedGroups(FleetSpec incoming, FleetSpec existing) {
        Map<String, GroupSpec> all = new LinkedHashMap<>();
        for (GroupSpec g : existing.groups()) all.put(g.name(), g);
        for (GroupSpec g : incoming.groups()) all.put(g.name(), g);
        return new ArrayList<>(all.values());
    }

    /** A dependency cycle as a list of names ending where it starts, or null. */
    static List<String> findCycle(Map<String, AgentSpec> all) {
        Map<String, Integer> color = new HashMap<>();
        for (String start : all.keySet()) {
            List<String> stack = new ArrayList<>();
            List<String> c = dfs(start, all, color, stack);
            if (c != null) return c;
        }
        return null;
    }

    private static List<String> dfs(String n, Map<String, AgentSpec> all, Map<String, Integer> color, List<String> stack) {
        Integer c = color.get(n);
        if (c != null && c == 2) return null;
        if (c != null && c == 1) {
            List<String> cyc = new ArrayList<>(stack.subList(stack.indexOf(n), stack.size()));
            cyc.add(n);
            return cyc;
        }
        color.put(n, 1);
        stack.add(n);
        AgentSpec a = all.get(n);
        if (a != null) {
            for (String d : a.dependsOn()) {
                if (!all.containsKey(d)) continue;
                List<String> r = dfs(d, all, color, stack);
                if (r != null) return r;
            }
        }
        stack.remove(stack.size() - 1);
        color.put(n, 2);
        return null;
    }
}
