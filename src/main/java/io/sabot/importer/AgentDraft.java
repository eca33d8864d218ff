package io.sabot.importer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Sabot agent being assembled from another supervisor's settings. Only what was set is
 * written, in the contract's field order, so the output reads like a hand-written spec.
 */
final class AgentDraft {
    final String name;
    List<String> command;
    String workdir;
    final Map<String, String> env = new LinkedHashMap<>();
    Integer concurrency;
    String group;
    final List<String> dependsOn = new ArrayList<>();
    Long startTimeoutMs;
    Long stopGraceMs;
    String policy;
    Integer maxRestarts;
    Integer withinSeconds;
    Long backoffInitialMs;
    Long backoffMaxMs;
    Double backoffMultiplier;
    Long backoffResetAfterMs;
    Double startSeconds;
    ProbeDraft readiness;
    ProbeDraft liveness;
    Integer memoryMb;

    AgentDraft(String name) { this.name = name; }

    ObjectNode toNode() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode a = f.objectNode();
        a.put("name", name);
        ArrayNode cmd = a.putArray("command");
        if (command != null) command.forEach(cmd::add);
        if (workdir != null) a.put("workdir", workdir);
        if (!env.isEmpty()) {
            ObjectNode e = a.putObject("env");
            env.forEach(e::put);
        }
        if (concurrency != null && concurrency != 1) a.put("concurrency", concurrency);
        if (group != null && !group.equals(name)) a.put("group", group);
        if (!dependsOn.isEmpty()) {
            ArrayNode d = a.putArray("dependsOn");
            dependsOn.forEach(d::add);
        }
        if (startTimeoutMs != null) a.put("startTimeoutMs", startTimeoutMs);
        if (stopGraceMs != null) a.put("stopGraceMs", stopGraceMs);
        if (policy != null || maxRestarts != null || withinSeconds != null || backoffInitialMs != null) {
            ObjectNode r = a.putObject("restart");
            if (policy != null) r.put("policy", policy);
            if (maxRestarts != null) r.put("maxRestarts", maxRestarts);
            if (withinSeconds != null) r.put("withinSeconds", withinSeconds);
            if (backoffInitialMs != null || backoffMaxMs != null || backoffMultiplier != null || backoffResetAfterMs != null) {
                ObjectNode b = r.putObject("backoff");
                if (backoffInitialMs != null) b.put("initialMs", backoffInitialMs);
                if (backoffMaxMs != null) b.put("maxMs", backoffMaxMs);
                if (backoffMultiplier != null) b.put("multiplier", backoffMultiplier);
                if (backoffResetAfterMs != null) b.put("resetAfterMs", backoffResetAfterMs);
            }
        }
        if (startSeconds != null || readiness != null || liveness != null) {
            ObjectNode h = a.putObject("health");
            if (startSeconds != null) h.put("startSeconds", startSeconds);
            if (readiness != null) h.set("readiness", readiness.toNode());
            if (liveness != null) h.set("liveness", liveness.toNode());
        }
        if (memoryMb != null) a.putObject("limits").put("memoryMb", memoryMb);
        return a;
    }

    /** A copy under another name (one agent per replica when each replica is configured differently). */
    AgentDraft copy(String newName) {
        AgentDraft d = new AgentDraft(newName);
        d.command = command == null ? null : new ArrayList<>(command);
        d.workdir = workdir;
        d.env.putAll(env);
        d.concurrency = concurrency;
        d.group = group;
        d.dependsOn.addAll(dependsOn);
        d.startTimeoutMs = startTimeoutMs;
        d.stopGraceMs = stopGraceMs;
        d.policy = policy;
        d.maxRestarts = maxRestarts;
        d.withinSeconds = withinSeconds;
        d.backoffInitialMs = backoffInitialMs;
        d.backoffMaxMs = backoffMaxMs;
        d.backoffMultiplier = backoffMultiplier;
        d.backoffResetAfterMs = backoffResetAfterMs;
        d.startSeconds = startSeconds;
        d.readiness = readiness;
        d.liveness = liveness;
        d.memoryMb = memoryMb;
        return d;
    }

    /** A probe being assembled: exactly one check and its timing (null timing: Sabot's default). */
    static final class ProbeDraft {
        List<String> exec;
        String url;
        String status;
        String tcpHost;
        Integer tcpPort;
        String logPattern;
        Long initialDelayMs;
        Long periodMs;
        Long timeoutMs;
        Integer successThreshold;
        Integer failureThreshold;

        ObjectNode toNode() {
            ObjectNode p = JsonNodeFactory.instance.objectNode();
            if (exec != null) {
                ArrayNode e = p.putArray("exec");
                exec.forEach(e::add);
            } else if (url != null) {
                ObjectNode h = p.putObject("http");
                h.put("url", url);
                if (status != null) h.put("status", status);
            } else if (tcpPort != null) {
                ObjectNode t = p.putObject("tcp");
                t.put("host", tcpHost == null ? "127.0.0.1" : tcpHost);
                t.put("port", tcpPort);
            } else {
                p.putObject("log").put("pattern", logPattern);
            }
            if (initialDelayMs != null) p.put("initialDelayMs", initialDelayMs);
            if (periodMs != null) p.put("periodMs", periodMs);
            if (timeoutMs != null) p.put("timeoutMs", timeoutMs);
            if (successThreshold != null) p.put("successThreshold", successThreshold);
            if (failureThreshold != null) p.put("failureThreshold", failureThreshold);
            return p;
        }

        /** The longest a probe can take to give up: initial delay, then failureThreshold periods. */
        long worstCaseMs() {
            long period = periodMs == null ? io.sabot.spec.ProbeSpec.DEFAULT_PERIOD_MS : periodMs;
            long timeout = timeoutMs == null ? io.sabot.spec.ProbeSpec.DEFAULT_TIMEOUT_MS : timeoutMs;
            int fail = failureThreshold == null ? io.sabot.spec.ProbeSpec.DEFAULT_FAILURE_THRESHOLD : failureThreshold;
            return (initialDelayMs == null ? 0 : initialDelayMs) + period * fail + timeout;
        }
    }
}
