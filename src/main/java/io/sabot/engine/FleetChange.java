package io.sabot.engine;

import io.sabot.spec.AgentSpec;
import io.sabot.spec.AlertSpec;
import io.sabot.spec.FleetChecks;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.GroupSpec;
import io.sabot.spec.SpecError;
import io.sabot.spec.SpecParser;
import io.sabot.spec.TopicSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * How a deploy, a remove or a scale changes the fleet: the checks first, then the next snapshot
 * and which instances must stop or restart for it. Nothing here touches a process; the caller
 * holds the fleet's write lock, swaps the snapshot in and then runs the stops and restarts.
 */
final class FleetChange {
    private FleetChange() {}

    /** The next fleet, what happened to each agent, and the instances to stop (gone) or restart (spec changed). */
    record Outcome(Fleet next, List<String> added, List<String> changed, List<String> unchanged, List<Instance> toStop,
                   List<Instance> toRestart) { }

    /** Everything wrong with deploying {@code spec} onto {@code f}, with field paths of the spec. */
    static List<SpecError> check(Fleet f, FleetSpec spec) {
        List<SpecError> errors = new ArrayList<>();
        FleetChecks.crossCheck(spec, f.spec(), errors);
        for (int i = 0; i < spec.topics().size(); i++) {
            TopicSpec t = spec.topics().get(i), old = f.topics().get(t.name());
            // a Kafka topic's partition count is the broker's (0 here unless Sabot creates it)
            if (old != null && !t.isKafka() && !old.isKafka() && t.partitions() < old.partitions()) {
                errors.add(new SpecError("topics[" + i + "].partitions", "cannot shrink topic \"" + t.name() + "\" from "
                        + old.partitions() + " to " + t.partitions() + " partitions (offsets would be lost); add a new topic instead"));
            }
        }
        long total = f.instanceCount();
        for (AgentSpec a : spec.agents()) {
            List<Instance> have = f.instances().get(a.name());
            total += a.concurrency() - (have == null ? 0 : have.size());
        }
        if (total > SpecParser.MAX_INSTANCES) {
            errors.add(new SpecError("agents", "the engine would run " + total + " instances; it runs at most " + SpecParser.MAX_INSTANCES));
        }
        return errors;
    }

    /** Ids of the instances a deploy would add (their logs are opened before anything changes). */
    static List<String> newIds(Fleet f, FleetSpec spec) {
        List<String> ids = new ArrayList<>();
        for (AgentSpec a : spec.agents()) {
            List<Instance> have = f.instances().get(a.name());
            for (int i = have == null ? 0 : have.size(); i < a.concurrency(); i++) ids.add(a.instanceId(i));
        }
        return ids;
    }

    /**
     * Deploys {@code spec} (already checked): new agents get their instances, changed ones their
     * new spec (running instances restart unless only the count changed; extra instances go,
     * missing ones come, started if the agent should run), topics keep their origin, alert rules
     * replace those of the same name, and a {@code groups} entry gives its strategy to every agent
     * of its group.
     */
    static Outcome deploy(Fleet f, FleetSpec spec, BiFunction<AgentSpec, Integer, Instance> newInstance, long wallMs) {
        List<String> added = new ArrayList<>(), changed = new ArrayList<>(), unchanged = new ArrayList<>();
        List<Instance> toRestart = new ArrayList<>(), toStop = new ArrayList<>();
        Map<String, TopicSpec> topics = new LinkedHashMap<>(f.topics());
        for (TopicSpec t : spec.topics()) {
            TopicSpec old = topics.get(t.name());
            long origin = t.originEpochMs() > 0 ? t.originEpochMs() : old != null ? old.originEpochMs() : wallMs;
            topics.put(t.name(), t.withOrigin(origin));
        }
        Map<String, AgentSpec> agents = new LinkedHashMap<>(f.agents());
        Map<String, List<Instance>> instances = new LinkedHashMap<>();
        f.instances().forEach((k, v) -> instances.put(k, new ArrayList<>(v)));
        for (AgentSpec a : spec.agents()) {
            AgentSpec old = agents.get(a.name());
            if (old == null) {
                added.add(a.name());
                agents.put(a.name(), a);
                List<Instance> list = new ArrayList<>();
                for (int i = 0; i < a.concurrency(); i++) list.add(newInstance.apply(a, i));
                instances.put(a.name(), list);
            } else if (old.equals(a)) {
                unchanged.add(a.name());
            } else {
                changed.add(a.name());
                agents.put(a.name(), a);
                List<Instance> list = instances.get(a.name());
                boolean running = false;
                for (Instance in : list) {
                    in.spec = a;
                    synchronized (in) { running |= in.desired; }
                    if (!old.sameExceptConcurrency(a) && isLive(in)) toRestart.add(in);
                }
                while (list.size() > a.concurrency()) {
                    Instance gone = list.remove(list.size() - 1);
                    gone.removed = true;
                    toStop.add(gone);
                    toRestart.remove(gone);
                }
                for (int i = list.size(); i < a.concurrency(); i++) {
                    Instance in = newInstance.apply(a, i);
                    list.add(in);
                    if (running) toRestart.add(in);
                }
            }
        }
        for (GroupSpec g : spec.groups()) {
            if (g.strategy() == null) continue;
            for (Map.Entry<String, AgentSpec> e : agents.entrySet()) {
                AgentSpec a = e.getValue();
                if (!a.group().equals(g.name()) || a.strategy() == g.strategy()) continue;
                AgentSpec b = a.withStrategy(g.strategy());
                e.setValue(b);
                for (Instance in : instances.get(a.name())) in.spec = b;
                if (!changed.contains(a.name()) && !added.contains(a.name())) {
                    unchanged.remove(a.name());
                    changed.add(a.name());
                }
            }
        }
        Map<String, AlertSpec> alerts = new LinkedHashMap<>(f.alerts());
        for (AlertSpec al : spec.alerts()) alerts.put(al.name(), al);
        Map<String, io.sabot.spec.ClusterSpec> clusters = new LinkedHashMap<>(f.clusters());
        for (io.sabot.spec.ClusterSpec c : spec.clusters()) clusters.put(c.name(), c);
        Map<String, io.sabot.spec.ConsumerGroupSpec> consumerGroups = new LinkedHashMap<>(f.consumerGroups());
        for (io.sabot.spec.ConsumerGroupSpec g : spec.consumerGroups()) consumerGroups.put(g.name(), g);
        Fleet next = Fleet.of(agents, instances, topics, FleetChecks.mergedGroups(spec, f.spec()), alerts, clusters, consumerGroups);
        return new Outcome(next, added, changed, unchanged, toStop, toRestart);
    }

    /** Removes agents (none of the others may depend on them); their instances are to stop. */
    static Outcome remove(Fleet f, List<String> names) {
        for (String n : names) {
            if (!f.agents().containsKey(n)) throw new UnknownTargetException("unknown agent \"" + n + "\"; deployed: " + f.agents().keySet());
        }
        for (AgentSpec a : f.agents().values()) {
            if (names.contains(a.name())) continue;
            for (String d : a.dependsOn()) {
                if (names.contains(d)) throw new UnknownTargetException("cannot remove \"" + d + "\": \"" + a.name() + "\" depends on it (remove both, or redeploy it without the dependency)");
            }
        }
        List<Instance> gone = new ArrayList<>();
        Map<String, AgentSpec> agents = new LinkedHashMap<>(f.agents());
        Map<String, List<Instance>> instances = new LinkedHashMap<>(f.instances());
        for (String n : names) {
            agents.remove(n);
            for (Instance in : instances.remove(n)) {
                in.removed = true;
                gone.add(in);
            }
        }
        Set<String> groups = new LinkedHashSet<>();
        for (AgentSpec a : agents.values()) groups.add(a.group());
        List<GroupSpec> keep = f.groupSpecs().stream().filter(g -> groups.contains(g.name())).toList();
        return new Outcome(Fleet.of(agents, instances, f.topics(), keep, f.alerts(), f.clusters(), f.consumerGroups()), List.of(), List.of(), List.of(), gone, List.of());
    }

    /** Ids of the instances scaling these agents to {@code n} would add; throws when it may not. */
    static List<String> scaleIds(Fleet f, Set<String> names, int n) {
        long total = f.instanceCount();
        List<String> ids = new ArrayList<>();
        for (String name : names) {
            if (!f.agents().containsKey(name)) throw new UnknownTargetException("--concurrency applies to agents; \"" + name + "\" is not a deployed agent (deployed: " + f.agents().keySet() + ")");
            int have = f.instances().get(name).size();
            total += n - have;
            for (int i = have; i < n; i++) ids.add(f.agents().get(name).instanceId(i));
        }
        if (total > SpecParser.MAX_INSTANCES) {
            throw new IllegalArgumentException("--concurrency " + n + " would make " + total + " instances; the engine runs at most " + SpecParser.MAX_INSTANCES);
        }
        return ids;
    }

    /** These agents with {@code n} instances each; the extra ones are to stop. */
    static Outcome scale(Fleet f, Set<String> names, int n, BiFunction<AgentSpec, Integer, Instance> newInstance) {
        List<Instance> extra = new ArrayList<>();
        Map<String, AgentSpec> agents = new LinkedHashMap<>(f.agents());
        Map<String, List<Instance>> instances = new LinkedHashMap<>(f.instances());
        for (String name : names) {
            AgentSpec a = agents.get(name).withConcurrency(n);
            agents.put(name, a);
            List<Instance> list = new ArrayList<>(instances.get(name));
            for (Instance in : list) in.spec = a;
            while (list.size() > n) {
                Instance gone = list.remove(list.size() - 1);
                gone.removed = true;
                extra.add(gone);
            }
            for (int i = list.size(); i < n; i++) list.add(newInstance.apply(a, i));
            instances.put(name, list);
        }
        return new Outcome(Fleet.of(agents, instances, f.topics(), f.groupSpecs(), f.alerts(), f.clusters(), f.consumerGroups()), List.of(), List.of(), List.of(), extra, List.of());
    }

    private static boolean isLive(Instance in) {
        synchronized (in) { return in.state != InstanceState.STOPPED && in.state != InstanceState.FAILED; }
    }
}
