package io.sabot.ui.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sabot.engine.DeployResult;
import io.sabot.engine.Engine;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.SpecError;
import io.sabot.spec.SpecException;
import io.sabot.spec.SpecParser;
import io.sabot.telemetry.Secrets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The spec form's logic: an agent's spec as field values (secret-looking env values masked), and
 * back: the values as the JSON the real parser sees ({@link SpecParser#fromTree}), validated off
 * the UI thread, then deployed. Errors come back with the field path they name, so the form puts
 * each beside its field. An unchanged mask keeps the real value.
 */
public final class SpecModel {
    /** The form's fields, by spec path below {@code agents[0].}. */
    public static final List<String> PATHS = java.util.stream.Stream.concat(Stream.of("concurrency", "startTimeoutMs", "stopGraceMs", "restart.policy",
            "restart.maxRestarts", "restart.withinSeconds", "restart.backoff.initialMs", "restart.backoff.maxMs",
            "restart.backoff.multiplier", "limits.memoryMb", "limits.cpuPercent", "env"),
            ProbeFormValues.paths().stream()).toList(); // then the probes' fields (health.readiness.*, health.liveness.*)

    /** What a redeploy came to: errors (nothing deployed) or a message for people. */
    public record Result(List<SpecError> errors, String message, boolean warning) {
        public boolean ok() { return errors.isEmpty(); }
    }

    private final Engine engine;
    private final FleetModel fleet;
    private final Background bg;

    public SpecModel(Engine engine, FleetModel fleet, Background bg) {
        this.engine = engine;
        this.fleet = fleet;
        this.bg = bg;
    }

    public AgentSpec specOf(String agent) { return agent == null ? null : fleet.specOf(agent); }

    /** The deployed fleet spec (a form listens to it while it shows). */
    public javafx.beans.value.ObservableValue<FleetSpec> fleetSpec() { return fleet.spec; }

    /** "builtin x · group g · one_for_one · topic t · depends on a, b". */
    public static String facts(AgentSpec s) {
        StringBuilder f = new StringBuilder();
        f.append(s.builtin() != null ? "builtin " + s.builtin() : "command " + String.join(" ", s.command()));
        f.append(" \u00b7 group ").append(s.group()).append(" \u00b7 ").append(s.strategy().wireName());
        if (s.topic() != null) f.append(" \u00b7 topic ").append(s.topic());
        if (!s.dependsOn().isEmpty()) f.append(" \u00b7 depends on ").append(String.join(", ", s.dependsOn()));
        return f.toString();
    }

    /** The form's values for a spec, by path. */
    public static Map<String, String> values(AgentSpec s) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("concurrency", str(s.concurrency()));
        m.put("startTimeoutMs", str(s.startTimeoutMs()));
        m.put("stopGraceMs", str(s.stopGraceMs()));
        m.put("restart.policy", s.restart().policy().wireName());
        m.put("restart.maxRestarts", str(s.restart().maxRestarts()));
        m.put("restart.withinSeconds", str(s.restart().withinSeconds()));
        m.put("restart.backoff.initialMs", str(s.restart().backoff().initialMs()));
        m.put("restart.backoff.maxMs", str(s.restart().backoff().maxMs()));
        m.put("restart.backoff.multiplier", str(s.restart().backoff().multiplier()));
        m.put("limits.memoryMb", str(s.limits().memoryMb()));
        m.put("limits.cpuPercent", str(s.limits().cpuPercent()));
        StringBuilder env = new StringBuilder();
        // secret-looking values are never shown; an unchanged mask keeps the real value on redeploy
        new TreeMap<>(s.env()).forEach((k, v) -> env.append(k).append('=').append(Secrets.maskValue(k, v)).append('\n'));
        m.put("env", env.toString().strip());
        m.putAll(ProbeFormValues.values(s));
        return m;
    }

    private static String str(Object v) {
        if (v == null) return "";
        if (v instanceof Double d && d == Math.rint(d)) return d.longValue() + ".0";
        return String.valueOf(v);
    }

    /** Validates the values with the real parser and, when clean, deploys; the result on the UI thread. */
    public void redeploy(AgentSpec loaded, Map<String, String> values, Consumer<Result> done, Consumer<Throwable> error) {
        List<SpecError> local = new ArrayList<>();
        ObjectNode root = tree(loaded, values, local);
        if (!local.isEmpty()) {
            done.accept(new Result(local, null, false));
            return;
        }
        String name = loaded.name();
        bg.op(() -> {
            try {
                // an agent of another host is validated under its own names, then sent back to that host
                String prefix = io.sabot.multihost.HostNames.prefixOf(name);
                String own = io.sabot.multihost.HostNames.localName(name);
                FleetSpec parsed = SpecParser.fromTree(io.sabot.multihost.SpecNames.localTree(root, prefix), "console", null);
                AgentSpec edited = parsed.agents().stream().filter(a -> a.name().equals(own)).findFirst().orElseThrow();
                FleetSpec one = new FleetSpec(List.of(edited), List.of());
                DeployResult d = engine.deploy(prefix.isEmpty() ? one : io.sabot.multihost.SpecNames.qualify(one, io.sabot.multihost.HostNames.labelOf(name)));
                long bad = d.results().stream().filter(x -> !x.success()).count();
                String msg = d.changed().contains(name)
                        ? name + " redeployed" + (d.results().isEmpty() ? "" : ", " + d.results().size() + " instances restarted") + (bad > 0 ? ", " + bad + " failed" : "")
                        : name + " unchanged";
                return new Result(List.of(), msg, bad > 0);
            } catch (SpecException e) {
                return new Result(e.errors(), "Spec of " + name + " has " + Fmt.plural(e.errors().size(), "problem") + "; not deployed", true);
            }
        }, done, error);
    }

    /** The JSON the parser sees: the deployed spec, overridden by the form's values as typed. */
    public ObjectNode tree(AgentSpec loaded, Map<String, String> values, List<SpecError> local) {
        List<AgentSpec> agents = new ArrayList<>();
        agents.add(loaded);
        // the parser checks dependencies and topics within the file: bring what this agent refers to
        for (String d : loaded.dependsOn()) {
            AgentSpec dep = fleet.specOf(d);
            if (dep != null) agents.add(dep);
        }
        ObjectNode root = SpecParser.toTree(new FleetSpec(agents, fleet.spec.get().topics()));
        ObjectNode a = (ObjectNode) root.get("agents").get(0);
        num(a, values, "concurrency");
        num(a, values, "startTimeoutMs");
        num(a, values, "stopGraceMs");
        ObjectNode restart = obj(a, "restart");
        restart.put("policy", values.getOrDefault("restart.policy", ""));
        num(restart, values, "restart.maxRestarts");
        num(restart, values, "restart.withinSeconds");
        ObjectNode backoff = obj(restart, "backoff");
        num(backoff, values, "restart.backoff.initialMs");
        num(backoff, values, "restart.backoff.maxMs");
        num(backoff, values, "restart.backoff.multiplier");
        ObjectNode limits = obj(a, "limits");
        num(limits, values, "limits.memoryMb");
        num(limits, values, "limits.cpuPercent");
        ObjectNode env = JsonNodeFactory.instance.objectNode();
        String[] lines = values.getOrDefault("env", "").split("\n");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            int eq = l.indexOf('=');
            if (eq <= 0) local.add(new SpecError("agents[0].env", "line " + (i + 1) + ": expected KEY=VALUE, was \"" + l + "\""));
            else {
                String k = l.substring(0, eq).strip(), v = l.substring(eq + 1);
                if (v.equals(Secrets.MASK) && loaded.env().containsKey(k)) v = loaded.env().get(k);
                env.put(k, v);
            }
        }
        a.set("env", env);
        ProbeFormValues.apply(a, values, local);
        return root;
    }

    private static ObjectNode obj(ObjectNode parent, String f) {
        JsonNode n = parent.get(f);
        if (n instanceof ObjectNode o) return o;
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        parent.set(f, o);
        return o;
    }

    /** A number as typed: whole, decimal, empty (absent; a limit: null) or, when not a number, the text so the parser names the problem. */
    private static void num(ObjectNode target, Map<String, String> values, String path) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        String s = values.getOrDefault(path, "").strip();
        if (s.isEmpty()) {
            target.remove(key);
            if (path.startsWith("limits.")) target.putNull(key);
            return;
        }
        try {
            target.put(key, Long.parseLong(s));
            return;
        } catch (NumberFormatException e) {
            // not a whole number
        }
        try {
            target.put(key, Double.parseDouble(s));
        } catch (NumberFormatException e) {
            target.put(key, s);
        }
    }

    /** The form field an error's path names ({@code agents[0].restart.maxRestarts} to restart.maxRestarts), or null. */
    public static String fieldOf(String errorPath) {
        String prefix = "agents[0].";
        if (errorPath == null || !errorPath.startsWith(prefix)) return null;
        String p = errorPath.substring(prefix.length());
        if (PATHS.contains(p)) return p;
        if (p.equals("env") || p.startsWith("env.")) return "env";
        return ProbeFormValues.fieldOf(errorPath);
    }
}
