package io.sabot.alert;

import io.sabot.engine.BrokerStatus;
import io.sabot.engine.Cause;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Transition;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.AlertSpec;
import io.sabot.spec.InstanceIds;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides when an alert fires and when it resolves, from facts the engine reports (transitions,
 * rebalances, broker status) and a periodic look at status and partitions. No threads, no I/O,
 * time passed in: what it decides follows from its inputs alone.
 *
 * <p>Guarantees (tests in {@code AlertEvaluatorTest}):
 * <ul>
 *   <li>Deduplicated: one {@code firing} per key (rule and subject) until that key resolves,
 *       however often the condition is met meanwhile (a crash loop of 20 crashes is one alert).</li>
 *   <li>Every firing is followed by exactly one {@code resolved} once its condition clears:
 *       failed when the instance (or supervision group) leaves FAILED; crash_loop when no restart happened for
 *       {@code stableSeconds} and the instance runs (or was stopped by an operator); lag, memory
 *       and broker_unreachable as soon as the figure is back under the threshold; rebalance_storm
 *       when the window holds fewer rebalances than the threshold; any alert of a rule that is gone
 *       or of an agent that was removed.</li>
 *   <li>lag, memory and broker_unreachable fire only after the condition held for {@code forSeconds}.</li>
 * </ul>
 * Example: crash_loop {restarts 3, withinSeconds 60, stableSeconds 30}; crashes at t=0,1,2,3,4 s
 * give one firing at t=2 s; RUNNING from t=4.1 s with no crash gives one resolved at t=34 s.
 */
final class AlertEvaluator {
    /** What the alert is about, and since when its condition is met (for forSeconds). */
    private record Active(String rule, String on, String agent, String instance, long sinceMs) { }

    private final Map<String, AlertSpec> rules = new LinkedHashMap<>();
    private final Map<String, AgentSpec> agents = new HashMap<>();
    /** Firing alerts by key. */
    private final Map<String, Active> active = new LinkedHashMap<>();
    /** Conditions met but not yet for forSeconds, by key: since when. */
    private final Map<String, Long> pending = new HashMap<>();
    /** Restart times per instance (crash_loop), and the latest trace of a crash-restart. */
    private final Map<String, ArrayDeque<Long>> restarts = new HashMap<>();
    private final Map<String, String> lastCrashTrace = new HashMap<>();
    private final Map<String, String> lastCrashReason = new HashMap<>();
    private final Map<String, InstanceState> states = new HashMap<>();
    /** Rebalance times per topic. */
    private final Map<String, ArrayDeque<Long>> rebalances = new HashMap<>();
    private final Map<String, BrokerStatus> brokers = new HashMap<>();

    // ---- configuration ---------------------------------------------------------------------

    void rules(List<AlertSpec> specs) {
        rules.clear();
        for (AlertSpec a : specs) rules.put(a.name(), a);
    }

    AlertSpec rule(String name) { return rules.get(name); }

    List<AlertSpec> rules() { return new ArrayList<>(rules.values()); }

    /** No rule and nothing firing or pending: a tick would find nothing, so the figures need not be read (issue 13: idle cost). */
    boolean idle() { return rules.isEmpty() && active.isEmpty() && pending.isEmpty(); }

    void agents(List<AgentSpec> specs) {
        agents.clear();
        for (AgentSpec a : specs) agents.put(a.name(), a);
    }

    /** An alert still firing from an earlier engine: deduplicated against, and resolved when its condition is found clear. */
    void adopt(String key, String rule, String on, String agent, String instance, long sinceMs) {
        active.put(key, new Active(rule, on, agent, instance, sinceMs));
    }

    boolean isActive(String key) { return active.containsKey(key); }

    // ---- facts -----------------------------------------------------------------------------

    List<Change> onTransition(Transition t) {
        List<Change> out = new ArrayList<>();
        String agent = agentOf(t.instance());
        states.put(t.instance(), t.to());
        if (t.traceId() != null && (t.to() == InstanceState.BACKOFF || t.to() == InstanceState.FAILED)) lastCrashTrace.put(t.instance(), t.traceId());
        boolean operator = Cause.OPERATOR.equals(t.cause()) || Cause.DEPLOY.equals(t.cause()) || Cause.SCALE.equals(t.cause())
                || Cause.SHUTDOWN.equals(t.cause());
        boolean restart = t.to() == InstanceState.BACKOFF || (t.to() == InstanceState.FAILED && !operator && t.from() != InstanceState.STARTING);
        if (restart) {
            restarts.computeIfAbsent(t.instance(), k -> new ArrayDeque<>()).addLast(t.timeMs());
            if (t.reason() != null) lastCrashReason.put(t.instance(), t.reason());
        }
        if (operator && (t.to() == InstanceState.STARTING || t.to() == InstanceState.STOPPED)) {
            ArrayDeque<Long> d = restarts.get(t.instance());
            if (d != null) d.clear(); // an operator start or stop begins a new count, as the engine's intensity does
        }
        for (AlertSpec r : rules.values()) {
            if (!r.covers(agent)) continue;
            String key = r.name() + "/" + t.instance();
            switch (r.on()) {
                case AlertSpec.FAILED:
                    if (t.to() == InstanceState.FAILED) {
                        fire(out, r, key, agent, t.instance(), t.instance() + " FAILED: " + (t.reason() == null ? t.cause() : t.reason()),
                                traceOf(t), t.timeMs());
                    } else if (t.from() == InstanceState.FAILED) {
                        resolve(out, key, t.instance() + " left FAILED (now " + t.to() + ", " + t.cause() + ")", t.timeMs());
                    }
                    break;
                case AlertSpec.CRASH_LOOP:
                    if (restart) {
                        int n = countSince(restarts.get(t.instance()), t.timeMs() - r.withinSeconds() * 1000L);
                        if (n >= r.restarts()) {
                            fire(out, r, key, agent, t.instance(), t.instance() + " is crash-looping: " + n + " crashes within "
                                    + r.withinSeconds() + " s (last: " + crashReason(t) + ")", traceOf(t), t.timeMs());
                        }
                    }
                    break;
                default:
            }
        }
        return out;
    }

    /** A supervision group escalated (FAILED: every member stopped) or was started again (RUNNING). */
    List<Change> onGroup(io.sabot.engine.EngineEvent.GroupChange g) {
        List<Change> out = new ArrayList<>();
        List<String> members = g.members().stream().map(AlertEvaluator::agentOf).distinct().toList();
        for (AlertSpec r : rules.values()) {
            if (!r.on().equals(AlertSpec.FAILED) || (!r.agents().isEmpty() && members.stream().noneMatch(r::covers))) continue;
            String key = r.name() + "/group:" + g.group();
            if ("FAILED".equals(g.state())) {
                fire(out, r, key, members.size() == 1 ? members.get(0) : null, null, "supervision group " + g.group() + " FAILED: " + g.reason()
                        + (g.members().isEmpty() ? "" : " (stopped " + String.join(", ", g.members()) + ")"), null, g.timeMs());
            } else {
                resolve(out, key, "supervision group " + g.group() + " is " + g.state() + " again", g.timeMs());
            }
        }
        return out;
    }

    List<Change> onRebalance(String topic, long timeMs) {
        rebalances.computeIfAbsent(topic, k -> new ArrayDeque<>()).addLast(timeMs);
        List<Change> out = new ArrayList<>();
        for (AlertSpec r : rules.values()) {
            if (!r.on().equals(AlertSpec.REBALANCE_STORM) || !consumedByCovered(r, topic)) continue;
            int n = countSince(rebalances.get(topic), timeMs - r.withinSeconds() * 1000L);
            if (n >= r.rebalances()) {
                fire(out, r, r.name() + "/" + topic, null, null, "rebalance storm on topic " + topic + ": " + n + " rebalances within "
                        + r.withinSeconds() + " s", null, timeMs);
            }
        }
        return out;
    }

    void onBroker(BrokerStatus b) {
        BrokerStatus old = brokers.get(b.cluster());
        // keep the first moment it became unreachable
        if (old != null && !old.reachable() && !b.reachable()) return;
        brokers.put(b.cluster(), b);
    }

    /** Once a tick (about a second): the conditions that need a look at figures, and every resolution. */
    List<Change> tick(long now, List<InstanceStatus> status, List<PartitionView> partitions) {
        List<Change> out = new ArrayList<>();
        Map<String, InstanceStatus> byId = new HashMap<>();
        for (InstanceStatus s : status) byId.put(s.id(), s);
        Map<String, long[]> lagRecords = new HashMap<>();
        Map<String, double[]> lagSeconds = new HashMap<>();
        for (PartitionView p : partitions) {
            if (p.owner() == null) continue;
            String agent = agentOf(p.owner());
            lagRecords.computeIfAbsent(agent, k -> new long[1])[0] += p.lag();
            double secs = p.ratePerSec() > 0 ? p.lag() / p.ratePerSec() : 0;
            double[] m = lagSeconds.computeIfAbsent(agent, k -> new double[1]);
            m[0] = Math.max(m[0], secs);
        }
        // agents without partitions report their lag in heartbeats
        for (InstanceStatus s : status) {
            if (!lagRecords.containsKey(s.agent()) && s.lag() > 0) {
                lagRecords.computeIfAbsent(s.agent() + "#hb", k -> new long[1])[0] += s.lag();
            }
        }
        for (AlertSpec r : rules.values()) {
            switch (r.on()) {
                case AlertSpec.LAG:
                    for (String agent : agents.keySet()) {
                        if (!r.covers(agent)) continue;
                        long recs = lagRecords.containsKey(agent) ? lagRecords.get(agent)[0]
                                : lagRecords.containsKey(agent + "#hb") ? lagRecords.get(agent + "#hb")[0] : 0;
                        double secs = lagSeconds.containsKey(agent) ? lagSeconds.get(agent)[0] : 0;
                        boolean over = (r.records() != null && recs > r.records()) || (r.seconds() != null && secs > r.seconds());
                        String msg = agent + " lags " + recs + " records" + (lagSeconds.containsKey(agent) ? String.format(Locale.ROOT, " (%.1f s)", secs) : "")
                                + " behind; threshold " + threshold(r);
                        timed(out, r, r.name() + "/" + agent, agent, null, over, msg, agent + " caught up: " + recs + " records behind", now);
                    }
                    break;
                case AlertSpec.MEMORY:
                    for (InstanceStatus s : status) {
                        AgentSpec a = agents.get(s.agent());
                        if (a == null || !r.covers(s.agent()) || a.limits().memoryMb() == null) continue;
                        long limit = a.limits().memoryMb() * 1024L * 1024L;
                        boolean over = s.pid() != null && s.memoryBytes() * 100 >= limit * (long) r.percent();
                        timed(out, r, r.name() + "/" + s.id(), s.agent(), s.id(), over,
                                s.id() + " uses " + (s.memoryBytes() >> 20) + " MiB of its " + a.limits().memoryMb() + " MiB limit (threshold "
                                        + r.percent() + "%)", s.id() + " memory back under " + r.percent() + "% of its limit", now);
                    }
                    break;
                case AlertSpec.BROKER_UNREACHABLE:
                    for (BrokerStatus b : brokers.values()) {
                        if (r.cluster() != null && !r.cluster().equals(b.cluster())) continue;
                        String key = r.name() + "/" + b.cluster();
                        boolean down = !b.reachable() && now - b.timeMs() >= r.forSeconds() * 1000L;
                        if (down) fire(out, r, key, null, null, "Kafka cluster " + b.cluster() + " unreachable for "
                                + (now - b.timeMs()) / 1000 + " s: " + b.error(), null, now);
                        else if (b.reachable()) resolve(out, key, "Kafka cluster " + b.cluster() + " reachable again", now);
                    }
                    break;
                default:
            }
        }
        // resolutions of event-driven rules, and of anything whose rule or agent is gone
        for (Map.Entry<String, Active> e : new ArrayList<>(active.entrySet())) {
            Active a = e.getValue();
            AlertSpec r = rules.get(a.rule());
            if (r == null) { resolve(out, e.getKey(), "rule " + a.rule() + " was removed", now); continue; }
            if (a.agent() != null && !e.getKey().contains("/group:") && !agents.containsKey(a.agent())) { resolve(out, e.getKey(), "agent " + a.agent() + " was removed", now); continue; }
            switch (a.on()) {
                case AlertSpec.FAILED: {
                    if (a.instance() == null) break; // a group's: resolved by its group event
                    InstanceStatus s = byId.get(a.instance());
                    if (s == null || s.state() != InstanceState.FAILED) resolve(out, e.getKey(), a.instance() + " is no longer FAILED", now);
                    break;
                }
                case AlertSpec.CRASH_LOOP: {
                    InstanceStatus s = byId.get(a.instance());
                    ArrayDeque<Long> d = restarts.get(a.instance());
                    long last = d == null || d.isEmpty() ? a.sinceMs() : d.peekLast();
                    boolean settled = s == null || s.state() == InstanceState.RUNNING || s.state() == InstanceState.STOPPED;
                    if (settled && now - Math.max(last, a.sinceMs()) >= r.stableSeconds() * 1000L) {
                        resolve(out, e.getKey(), a.instance() + " stable: no restart for " + r.stableSeconds() + " s", now);
                    }
                    break;
                }
                case AlertSpec.REBALANCE_STORM: {
                    String topic = e.getKey().substring(e.getKey().indexOf('/') + 1);
                    if (countSince(rebalances.get(topic), now - r.withinSeconds() * 1000L) < r.rebalances()) {
                        resolve(out, e.getKey(), "topic " + topic + " settled: fewer than " + r.rebalances() + " rebalances within " + r.withinSeconds() + " s", now);
                    }
                    break;
                }
                default:
            }
        }
        trim(now);
        return out;
    }

    // ---- helpers ---------------------------------------------------------------------------

    private void timed(List<Change> out, AlertSpec r, String key, String agent, String instance, boolean met, String msg, String clearMsg, long now) {
        if (!met) {
            pending.remove(key);
            resolve(out, key, clearMsg, now);
            return;
        }
        long since = pending.computeIfAbsent(key, k -> now);
        if (now - since >= r.forSeconds() * 1000L) fire(out, r, key, agent, instance, msg + " for " + (now - since) / 1000 + " s", null, now);
    }

    private void fire(List<Change> out, AlertSpec r, String key, String agent, String instance, String msg, String trace, long now) {
        if (active.containsKey(key)) return;
        active.put(key, new Active(r.name(), r.on(), agent, instance, now));
        out.add(new Change(r.name(), r.on(), key, true, agent, instance, msg, trace, now));
    }

    private void resolve(List<Change> out, String key, String msg, long now) {
        Active a = active.remove(key);
        if (a == null) return;
        pending.remove(key);
        out.add(new Change(a.rule(), a.on(), key, false, a.agent(), a.instance(), msg, null, now));
    }

    /** The death itself, without the engine's bookkeeping ("; restart in N ms", "restart intensity exceeded ... (last: X)"). */
    static String crashReason(Transition t) {
        String r = t.reason() == null ? t.cause() : t.reason();
        int last = r.startsWith("restart intensity exceeded") ? r.indexOf("(last: ") : -1;
        if (last >= 0 && r.endsWith(")")) r = r.substring(last + 7, r.length() - 1);
        return r.replaceFirst("; restart in \\d+ ms$", "");
    }

    private String traceOf(Transition t) {
        return t.traceId() != null ? t.traceId() : lastCrashTrace.get(t.instance());
    }

    private boolean consumedByCovered(AlertSpec r, String topic) {
        if (r.agents().isEmpty()) return true;
        for (String a : r.agents()) {
            AgentSpec s = agents.get(a);
            if (s != null && topic.equals(s.topic())) return true;
        }
        return false;
    }

    private static int countSince(ArrayDeque<Long> d, long since) {
        if (d == null) return 0;
        int n = 0;
        for (long t : d) if (t > since) n++;
        return n;
    }

    /** Forgets restart and rebalance times that no rule's window can need any more. */
    private void trim(long now) {
        long widest = rules.values().stream().mapToLong(r -> Math.max(r.withinSeconds() == null ? 0 : r.withinSeconds(),
                r.stableSeconds() == null ? 0 : r.stableSeconds()) * 1000L).max().orElse(0);
        long horizon = now - widest - 60_000L;
        for (ArrayDeque<Long> d : restarts.values()) while (d.size() > 1 && d.peekFirst() < horizon) d.removeFirst();
        for (ArrayDeque<Long> d : rebalances.values()) while (!d.isEmpty() && d.peekFirst() < horizon) d.removeFirst();
    }

    private static String threshold(AlertSpec r) {
        List<String> parts = new ArrayList<>();
        if (r.records() != null) parts.add(r.records() + " records");
        if (r.seconds() != null) parts.add(r.seconds() + " s");
        return String.join(" or ", parts);
    }

    static String agentOf(String instanceId) {
        String agent = InstanceIds.agentOf(instanceId);
        return agent == null ? instanceId : agent;
    }
}
