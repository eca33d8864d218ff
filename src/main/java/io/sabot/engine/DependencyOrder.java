package io.sabot.engine;

import io.sabot.spec.AgentSpec;
import io.sabot.spec.SupervisionStrategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order bulk operations follow. Dependencies first: an agent's level is 0 without
 * dependencies, else one more than its deepest dependency; starts go level by level upwards,
 * stops downwards. Within a level, the members of a one_for_all or rest_for_one group form one
 * chain, started in spec order (each once the one before it is RUNNING) and stopped in the
 * reverse, as OTP starts and terminates children; everything else runs in parallel.
 */
final class DependencyOrder {
    private DependencyOrder() {}

    /** Dependency depth of each agent. */
    static Map<String, Integer> levels(Map<String, AgentSpec> agents) {
        Map<String, Integer> level = new HashMap<>();
        for (String a : agents.keySet()) level(a, agents, level, 0);
        return level;
    }

    private static int level(String a, Map<String, AgentSpec> agents, Map<String, Integer> memo, int depth) {
        Integer l = memo.get(a);
        if (l != null) return l;
        AgentSpec s = agents.get(a);
        int max = 0;
        if (s != null && depth < 1000) for (String d : s.dependsOn()) max = Math.max(max, 1 + level(d, agents, memo, depth + 1));
        memo.put(a, max);
        return max;
    }

    /**
     * What starting {@code chosen} takes: the chosen instances plus every instance of every agent
     * they depend on, directly or not (all of an agent's instances unless some were chosen), in spec order.
     */
    static List<Instance> withDependencies(Fleet f, List<Instance> chosen) {
        List<String> queue = new ArrayList<>();
        for (Instance in : chosen) queue.add(in.agent);
        Set<String> seen = new LinkedHashSet<>();
        while (!queue.isEmpty()) {
            String a = queue.remove(queue.size() - 1);
            if (!seen.add(a) || !f.agents().containsKey(a)) continue;
            queue.addAll(f.agents().get(a).dependsOn());
        }
        Set<String> named = new LinkedHashSet<>();
        for (Instance in : chosen) named.add(in.agent);
        Set<Instance> picked = new LinkedHashSet<>(chosen);
        List<Instance> out = new ArrayList<>();
        for (Map.Entry<String, List<Instance>> e : f.instances().entrySet()) {
            if (!seen.contains(e.getKey())) continue;
            for (Instance in : e.getValue()) if (picked.contains(in) || !named.contains(e.getKey())) out.add(in);
        }
        return out;
    }

    /** Instances by level, lowest first; each level split into chains (see the class comment), in spec order. */
    static List<List<List<Instance>>> waves(Fleet f, List<Instance> instances) {
        Map<String, Integer> levels = levels(f.agents());
        int max = instances.stream().mapToInt(in -> levels.getOrDefault(in.agent, 0)).max().orElse(-1);
        List<List<List<Instance>>> out = new ArrayList<>();
        for (int l = 0; l <= max; l++) {
            Map<String, List<Instance>> chains = new LinkedHashMap<>();
            for (Instance in : instances) {
                if (levels.getOrDefault(in.agent, 0) != l) continue;
                io.sabot.engine.supervision.GroupSettings g = f.groups().get(in.spec.group());
                boolean ordered = g != null && g.strategy() != SupervisionStrategy.ONE_FOR_ONE;
                String key = ordered ? "group:" + in.spec.group() : "instance:" + in.id;
                chains.computeIfAbsent(key, k -> new ArrayList<>()).add(in);
            }
            out.add(new ArrayList<>(chains.values()));
        }
        return out;
    }
}
