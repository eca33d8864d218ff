package io.sabot.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks across agents: dependencies exist and form no cycle, topics exist. Run on a file alone
 * and again when a deploy merges it into what the engine already has.
 */
public final class FleetChecks {
    private FleetChecks() {}

    /**
     * @param agents the incoming agents (paths are {@code agents[i]})
     * @param topics the incoming topics
     * @param existingAgents agents already deployed (replaced by incoming ones of the same name)
     * @param existingTopics topics already deployed
     */
    public static void crossCheck(List<AgentSpec> agents, List<TopicSpec> topics, List<AgentSpec> existingAgents,
                                  List<TopicSpec> existingTopics, List<SpecError> errors) {
        Map<String, AgentSpec> all = new LinkedHashMap<>();
        for (AgentSpec a : existingAgents) all.put(a.name(), a);
        for (AgentSpec a : agents) all.put(a.name(), a);
        Set<String> topicNames = new HashSet<>();
        for (TopicSpec t : existingTopics) topicNames.add(t.name());
        for (TopicSpec t : topics) topicNames.add(t.name());
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < agents.size(); i++) index.put(agents.get(i).name(), i);

        for (int i = 0; i < agents.size(); i++) {
            AgentSpec a = agents.get(i);
            for (int j = 0; j < a.dependsOn().size(); j++) {
                String d = a.dependsOn().get(j);
                String p = "agents[" + i + "].dependsOn[" + j + "]";
                if (d.equals(a.name())) errors.add(new SpecError(p, "an agent cannot depend on itself"));
                else if (!all.containsKey(d)) errors.add(new SpecError(p, "unknown agent \"" + d + "\""));
            }
            if (a.topic() != null && !topicNames.contains(a.topic())) {
                errors.add(new SpecError("agents[" + i + "].topic", "unknown topic \"" + a.topic() + "\"; define it under \"topics\""));
            }
        }
        List<String> cycle = findCycle(all);
        if (cycle != null) {
            String first = cycle.get(0);
            Integer i = index.get(first);
            String path = i == null ? "agents" : "agents[" + i + "].dependsOn";
            errors.add(new SpecError(path, "dependency cycle: " + String.join(" -> ", cycle)));
        }
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
