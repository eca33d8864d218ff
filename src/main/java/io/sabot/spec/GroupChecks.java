package io.sabot.spec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Supervision groups in a spec: one strategy per group, and startup order that dependencies do
 * not contradict. A group's members start in spec order (OTP's startup order) and stop in the
 * reverse, so an agent that depends on a later agent of its own group could never start after
 * it: such a spec is refused with both sides named.
 */
public final class GroupChecks {
    private GroupChecks() {}

    /**
     * Gives every agent its group's strategy: the group's {@code groups} entry, else the strategy
     * its agents name (they must agree), else one_for_one. An agent naming a strategy that
     * contradicts its group's entry or another agent of its group is an error at its
     * {@code strategy} field that names the other side.
     *
     * @param explicit names of the agents whose spec gave {@code strategy} itself
     */
    public static List<AgentSpec> resolveStrategies(List<AgentSpec> agents, Set<String> explicit, List<GroupSpec> groups,
                                                    List<SpecError> errors) {
        Map<String, Integer> entry = new HashMap<>();
        for (int k = 0; k < groups.size(); k++) entry.put(groups.get(k).name(), k);
        Map<String, SupervisionStrategy> chosen = new HashMap<>();
        Map<String, Integer> chosenBy = new HashMap<>();
        for (int i = 0; i < agents.size(); i++) {
            AgentSpec a = agents.get(i);
            Integer k = entry.get(a.group());
            SupervisionStrategy fromEntry = k == null ? null : groups.get(k).strategy();
            if (!explicit.contains(a.name())) continue;
            if (fromEntry != null) {
                if (a.strategy() != fromEntry) {
                    errors.add(new SpecError("agents[" + i + "].strategy", "\"" + a.strategy().wireName() + "\" contradicts groups[" + k
                            + "].strategy \"" + fromEntry.wireName() + "\" of its group \"" + a.group()
                            + "\"; a group has one strategy: give it in one place"));
                }
                continue;
            }
            SupervisionStrategy before = chosen.putIfAbsent(a.group(), a.strategy());
            if (before == null) {
                chosenBy.put(a.group(), i);
            } else if (before != a.strategy()) {
                int j = chosenBy.get(a.group());
                errors.add(new SpecError("agents[" + i + "].strategy", "\"" + a.strategy().wireName() + "\" contradicts agents[" + j
                        + "].strategy \"" + before.wireName() + "\": \"" + agents.get(j).name() + "\" and \"" + a.name()
                        + "\" are both in group \"" + a.group() + "\", and a group has one strategy (set it once, under \"groups\")"));
            }
        }
        List<AgentSpec> out = new ArrayList<>(agents.size());
        for (AgentSpec a : agents) {
            Integer k = entry.get(a.group());
            SupervisionStrategy s = k != null && groups.get(k).strategy() != null ? groups.get(k).strategy()
                    : chosen.getOrDefault(a.group(), explicit.contains(a.name()) ? a.strategy() : SupervisionStrategy.ONE_FOR_ONE);
            out.add(s == a.strategy() ? a : a.withStrategy(s));
        }
        return out;
    }

    /**
     * Checks a whole fleet (what a deploy would leave): one strategy per group across all its
     * agents, every {@code groups} entry names a group that has agents, and no agent depends,
     * directly or through others, on an agent after it in its own group.
     *
     * @param agents  the fleet's agents in spec order
     * @param where   the {@code agents[i]} path of each agent of the spec being checked (deployed ones have none)
     */
    public static void check(List<AgentSpec> agents, List<GroupSpec> groups, Map<String, String> where, List<SpecError> errors) {
        Map<String, AgentSpec> byName = new LinkedHashMap<>();
        for (AgentSpec a : agents) byName.put(a.name(), a);
        Map<String, AgentSpec> firstOf = new LinkedHashMap<>();
        for (AgentSpec a : agents) {
            AgentSpec first = firstOf.putIfAbsent(a.group(), a);
            if (first != null && first.strategy() != a.strategy()) {
                AgentSpec at = where.containsKey(a.name()) ? a : first, other = at == a ? first : a;
                errors.add(new SpecError(field(where, at, "strategy"), "group \"" + a.group() + "\" would mix \""
                        + at.strategy().wireName() + "\" (" + describe(where, at) + ") with \"" + other.strategy().wireName() + "\" ("
                        + describe(where, other) + "); a group has one strategy: name the same one, or set it under \"groups\""));
            }
        }
        for (int k = 0; k < groups.size(); k++) {
            if (!firstOf.containsKey(groups.get(k).name())) {
                errors.add(new SpecError("groups[" + k + "].name", "no agent is in group \"" + groups.get(k).name() + "\" (groups: "
                        + firstOf.keySet() + ")"));
            }
        }
        // position of each agent within its group, in spec order
        Map<String, Integer> position = new HashMap<>();
        Map<String, Integer> counter = new HashMap<>();
        for (AgentSpec a : agents) position.put(a.name(), counter.merge(a.group(), 1, Integer::sum) - 1);
        for (AgentSpec a : agents) {
            for (int j = 0; j < a.dependsOn().size(); j++) {
                List<String> path = laterGroupMate(a, a.dependsOn().get(j), byName, position);
                if (path == null) continue;
                AgentSpec later = byName.get(path.get(path.size() - 1));
                String through = path.size() > 2 ? " (through " + String.join(" -> ", path.subList(1, path.size() - 1)) + ")" : "";
                List<String> order = new ArrayList<>();
                for (AgentSpec m : agents) if (m.group().equals(a.group())) order.add(m.name());
                errors.add(new SpecError(field(where, a, "dependsOn[" + j + "]"), "\"" + a.name() + "\" depends on \"" + later.name()
                        + "\"" + through + ", but group \"" + a.group() + "\" starts its members in spec order " + order + ", so \""
                        + later.name() + "\" (" + describe(where, later) + ") would start after \"" + a.name() + "\" (" + describe(where, a)
                        + "); put \"" + later.name() + "\" before \"" + a.name() + "\" (deployed agents keep their place), or drop the dependency"));
            }
        }
    }

    /** The dependency path from {@code a} through {@code first} to an agent after {@code a} in a's group, or null. */
    private static List<String> laterGroupMate(AgentSpec a, String first, Map<String, AgentSpec> byName, Map<String, Integer> position) {
        Deque<List<String>> todo = new ArrayDeque<>();
        todo.add(List.of(a.name(), first));
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            List<String> path = todo.poll();
            String n = path.get(path.size() - 1);
            if (!seen.add(n)) continue;
            AgentSpec s = byName.get(n);
            if (s == null) continue;
            if (s.group().equals(a.group()) && !s.name().equals(a.name()) && position.get(s.name()) > position.get(a.name())) return path;
            for (String d : s.dependsOn()) {
                List<String> next = new ArrayList<>(path);
                next.add(d);
                todo.add(next);
            }
        }
        return null;
    }

    private static String describe(Map<String, String> where, AgentSpec a) {
        String w = where.get(a.name());
        return w != null ? w : "deployed agent \"" + a.name() + "\"";
    }

    private static String field(Map<String, String> where, AgentSpec a, String f) {
        String w = where.get(a.name());
        return w != null ? w + "." + f : "agents";
    }
}
