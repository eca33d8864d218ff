package io.sabot.ui.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sabot.shell.ShellWords;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.ProbeSpec;
import io.sabot.spec.SpecError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec form's probe fields ({@code health.readiness} and {@code health.liveness}) as text
 * values and back: a kind (none, exec, http, tcp, log), one target (an argv as shell words, a URL,
 * host:port, or a regex), the HTTP status range, and the timing. Errors of the parser come back to
 * the field they concern.
 */
public final class ProbeFormValues {
    public static final List<String> KINDS = List.of("none", "exec", "http", "tcp", "log");
    static final List<String> PROBES = List.of("readiness", "liveness");
    static final List<String> TIMING = List.of("initialDelayMs", "periodMs", "timeoutMs", "successThreshold", "failureThreshold");

    private ProbeFormValues() {}

    /** Every probe field's path below {@code agents[0].}. */
    public static List<String> paths() {
        List<String> out = new ArrayList<>();
        for (String p : PROBES) {
            out.add("health." + p + ".kind");
            out.add("health." + p + ".target");
            out.add("health." + p + ".status");
            for (String t : TIMING) out.add("health." + p + "." + t);
        }
        return out;
    }

    /** The fields' values for a spec (defaults shown for an absent probe's timing). */
    public static Map<String, String> values(AgentSpec s) {
        Map<String, String> m = new LinkedHashMap<>();
        probe(m, "readiness", s.health().readiness());
        probe(m, "liveness", s.health().liveness());
        return m;
    }

    private static void probe(Map<String, String> m, String name, ProbeSpec p) {
        String b = "health." + name + ".";
        m.put(b + "kind", p == null ? "none" : p.kind());
        m.put(b + "target", p == null ? "" : switch (p.kind()) {
            case "exec" -> String.join(" ", p.exec().stream().map(ShellWords::quote).toList());
            case "http" -> p.http().url();
            case "tcp" -> p.tcp().host() + ":" + p.tcp().port();
            default -> p.log().pattern();
        });
        m.put(b + "status", p != null && p.http() != null ? p.http().status() : ProbeSpec.Http.DEFAULT_STATUS);
        m.put(b + "initialDelayMs", Long.toString(p == null ? 0 : p.initialDelayMs()));
        m.put(b + "periodMs", Long.toString(p == null ? ProbeSpec.DEFAULT_PERIOD_MS : p.periodMs()));
        m.put(b + "timeoutMs", Long.toString(p == null ? ProbeSpec.DEFAULT_TIMEOUT_MS : p.timeoutMs()));
        m.put(b + "successThreshold", Integer.toString(p == null ? ProbeSpec.DEFAULT_SUCCESS_THRESHOLD : p.successThreshold()));
        m.put(b + "failureThreshold", Integer.toString(p == null ? ProbeSpec.DEFAULT_FAILURE_THRESHOLD : p.failureThreshold()));
    }

    /** Writes the probes the values describe into the agent's {@code health} (the parser then checks them). */
    public static void apply(ObjectNode agent, Map<String, String> values, List<SpecError> local) {
        ObjectNode health = agent.get("health") instanceof ObjectNode h ? h : agent.putObject("health");
        for (String name : PROBES) {
            String b = "health." + name + ".";
            String kind = values.getOrDefault(b + "kind", "none").strip();
            if (kind.isEmpty() || kind.equals("none")) {
                health.remove(name);
                continue;
            }
            String target = values.getOrDefault(b + "target", "").strip();
            ObjectNode p = JsonNodeFactory.instance.objectNode();
            String path = "agents[0]." + b + "target";
            switch (kind) {
                case "exec" -> {
                    try {
                        List<String> argv = ShellWords.split(target);
                        if (argv.isEmpty()) local.add(new SpecError(path, "give the command to run (exit 0 passes)"));
                        argv.forEach(p.putArray("exec")::add);
                    } catch (IllegalArgumentException e) {
                        local.add(new SpecError(path, e.getMessage()));
                    }
                }
                case "http" -> {
                    ObjectNode h = p.putObject("http");
                    h.put("url", target);
                    h.put("status", values.getOrDefault(b + "status", ProbeSpec.Http.DEFAULT_STATUS).strip());
                }
                case "tcp" -> {
                    int colon = target.lastIndexOf(':');
                    ObjectNode t = p.putObject("tcp");
                    t.put("host", colon > 0 ? target.substring(0, colon) : "127.0.0.1");
                    String port = colon >= 0 ? target.substring(colon + 1) : target;
                    try {
                        t.put("port", Integer.parseInt(port.strip()));
                    } catch (NumberFormatException e) {
                        local.add(new SpecError(path, "write host:port, e.g. 127.0.0.1:8080, was \"" + target + "\""));
                    }
                }
                case "log" -> p.putObject("log").put("pattern", target);
                default -> local.add(new SpecError("agents[0]." + b + "kind", "one of " + KINDS + ", was \"" + kind + "\""));
            }
            for (String t : TIMING) {
                String v = values.getOrDefault(b + t, "").strip();
                if (v.isEmpty()) continue;
                try {
                    p.put(t, Long.parseLong(v));
                } catch (NumberFormatException e) {
                    p.put(t, v); // the parser names the problem
                }
            }
            health.set(name, p);
        }
    }

    /** The probe field an error's path names, or null ({@code agents[0].health.liveness.http.url} to health.liveness.target). */
    public static String fieldOf(String errorPath) {
        for (String name : PROBES) {
            String b = "agents[0].health." + name;
            if (errorPath == null || !errorPath.startsWith(b)) continue;
            String rest = errorPath.substring(b.length());
            if (rest.isEmpty()) return "health." + name + ".kind";
            for (String t : TIMING) if (rest.equals("." + t)) return "health." + name + "." + t;
            if (rest.startsWith(".http.status")) return "health." + name + ".status";
            return "health." + name + ".target";
        }
        return null;
    }
}
