package io.sabot.importer;

import io.sabot.shell.ShellWords;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sabot.spec.ExecutableCheck;
import io.sabot.telemetry.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PM2 ecosystem files ({@code {apps: [...]}}, as JSON, YAML or a JavaScript module's export) to
 * Sabot agents. Keys follow PM2's own schema ({@code lib/API/schema.json}) and its defaults are
 * written out where Sabot's differ (autorestart on, 16 unstable restarts of less than 1 s,
 * 1600 ms kill timeout), so the agents behave as they did under PM2. Relative paths resolve
 * against the ecosystem file's folder.
 */
final class Pm2Importer {
    /** PM2's interpreter by script extension ({@code lib/API/interpreter.json}). */
    private static final Map<String, String> INTERPRETERS = Map.of(".sh", "bash", ".py", "python3", ".rb", "ruby", ".php", "php",
            ".pl", "perl", ".js", "node", ".mjs", "node", ".cjs", "node", ".coffee", "coffee", ".ts", "bun");
    private static final int DEFAULT_MAX_RESTARTS = 16;
    private static final long DEFAULT_MIN_UPTIME = 1000;
    private static final long DEFAULT_KILL_TIMEOUT = 1600;
    /** Keys that only shape PM2 itself: each with why Sabot has no use for it. */
    private static final Map<String, String> NO_EQUIVALENT = new LinkedHashMap<>();

    static {
        String logs = "Sabot keeps each instance's stdout and stderr in <home>/logs/NAME-I.log, rotated; read it with sabot agents logs";
        for (String k : List.of("out_file", "out", "output", "out_log", "error_file", "error", "err", "err_file", "err_log", "log_file", "log",
                "merge_logs", "combine_logs", "log_date_format", "time", "log_type", "disable_logs", "pid_file", "pid")) NO_EQUIVALENT.put(k, logs);
        for (String k : List.of("watch", "ignore_watch", "watch_options", "watch_delay")) NO_EQUIVALENT.put(k, "Sabot does not restart on file changes");
        NO_EQUIVALENT.put("cron_restart", "Sabot has no scheduled restarts (use cron with sabot agents restart NAME)");
        NO_EQUIVALENT.put("cron", NO_EQUIVALENT.get("cron_restart"));
        NO_EQUIVALENT.put("shutdown_with_message", "Sabot stops with SIGTERM to the process group (protocol agents also get a drain message)");
        for (String k : List.of("source_map_support", "disable_source_map_support", "vizion", "pmx", "automation", "trace", "disable_trace",
                "v8", "event_loop_inspector", "deep_monitoring", "post_update", "install_url", "io", "write"))
            NO_EQUIVALENT.put(k, "PM2/Node.js tooling; Sabot traces every operation with OpenTelemetry and samples CPU and memory itself");
        NO_EQUIVALENT.put("force", "Sabot agent names are unique; deploying again replaces the agent");
        NO_EQUIVALENT.put("append_env_to_name", "agent names are kept as imported");
        NO_EQUIVALENT.put("name_prefix", "agent names are kept as imported");
        NO_EQUIVALENT.put("filter_env", "agents get the engine's environment plus their env");
        NO_EQUIVALENT.put("windowsHide", "Windows only");
        NO_EQUIVALENT.put("kill_retry_time", "Sabot sends SIGKILL once the grace (stopGraceMs) is over");
        for (String k : List.of("uid", "user", "gid", "username")) NO_EQUIVALENT.put(k, "agents run as the engine's user");
    }

    private Pm2Importer() {}

    static ImportResult convert(String source, JsonNode root, Path dir, Importer.Options opt) throws ImportException {
        ImportReport report = new ImportReport();
        ObjectNode spec = Importer.emptySpec();
        ArrayNode agents = (ArrayNode) spec.get("agents");
        JsonNode apps;
        if (root.isArray()) {
            apps = root;
        } else {
            apps = root.get("apps");
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (k.equals("apps")) continue;
                report.none("", k, k.equals("deploy") ? "Sabot does not deploy code to hosts (use your own tooling, then sabot --host ... agents deploy)"
                        : "not a PM2 ecosystem key Sabot knows");
            }
        }
        if (apps != null && apps.isObject()) {
            ArrayNode one = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
            one.add(apps);
            apps = one;
        }
        if (apps == null || !apps.isArray()) {
            throw new ImportException(source + ": \"apps\" must be a list of apps (PM2 ecosystem file), was "
                    + (apps == null ? "missing" : apps.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        report.mapped("", "apps (" + apps.size() + ")", "agents");
        Names names = new Names();
        boolean envUsed = false;
        for (int i = 0; i < apps.size(); i++) {
            JsonNode app = apps.get(i);
            if (!app.isObject()) throw new ImportException(source + ": apps[" + i + "] must be an object, was " + app.getNodeType().toString().toLowerCase(Locale.ROOT));
            envUsed |= opt.pm2Env() != null && app.has("env_" + opt.pm2Env());
            for (AgentDraft d : app(app, i, dir, names, report, opt)) agents.add(d.toNode());
        }
        if (opt.pm2Env() != null && !envUsed) report.problem("--env " + opt.pm2Env() + ": no app has env_" + opt.pm2Env());
        return new ImportResult(Format.PM2, source, spec, report);
    }

    private static List<AgentDraft> app(JsonNode app, int index, Path dir, Names names, ImportReport r, Importer.Options opt) throws ImportException {
        Map<String, JsonNode> keys = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = app.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            keys.put(e.getKey(), e.getValue());
        }
        JsonNode scriptNode = keys.containsKey("script") ? keys.remove("script") : keys.remove("exec");
        if (scriptNode == null || !scriptNode.isTextual() || scriptNode.asText().isBlank()) {
            throw new ImportException("apps[" + index + "] has no \"script\" (PM2 requires one: the file or command to run)");
        }
        String script = scriptNode.asText().strip();
        JsonNode nameNode = keys.remove("name");
        String rawName = nameNode != null && nameNode.isTextual() ? nameNode.asText() : baseName(script);
        String name = names.claim(rawName);
        String subject = name;
        AgentDraft a = new AgentDraft(name);
        if (!name.equals(rawName)) r.approx(subject, "name " + Values.show(rawName), "name " + name, "Sabot names are lower-case letters, digits, _ and -");
        else r.mapped(subject, "name", "name");

        // working directory: relative to the ecosystem file's folder
        Path cwd = dir;
        JsonNode cwdNode = keys.remove("cwd");
        if (cwdNode != null && cwdNode.isTextual()) {
            cwd = dir.resolve(cwdNode.asText()).normalize();
            a.workdir = cwd.toString();
            r.mapped(subject, "cwd " + Values.show(cwdNode.asText()), "workdir " + a.workdir);
        }

        // the command: interpreter, its args, the script, its args
        List<String> args = words(keys.remove("args"), subject, "args", r);
        JsonNode interp = keys.containsKey("interpreter") ? keys.remove("interpreter") : keys.remove("exec_interpreter");
        JsonNode iargsNode = keys.remove("node_args");
        if (iargsNode == null) iargsNode = keys.remove("interpreter_args");
        if (iargsNode == null) iargsNode = keys.remove("interpreterArgs");
        List<String> interpArgs = words(iargsNode, subject, "interpreter_args", r);
        List<String> cmd = new ArrayList<>();
        String how;
        if (script.contains(" ") && !Files.exists(cwd.resolve(script))) {
            // PM2 runs a script with spaces through bash -c
            cmd.addAll(List.of("bash", "-c", script));
            how = "bash -c, as PM2 runs a script with spaces";
            if (!args.isEmpty()) r.none(subject, "args " + Values.show(String.join(" ", args)), "PM2 drops the args of a script with spaces");
            args = List.of();
        } else {
            Path scriptPath = cwd.resolve(script).normalize();
            String exe = Files.exists(scriptPath) ? scriptPath.toString() : script;
            String interpreter = interp != null && interp.isTextual() ? interp.asText() : null;
            if (interpreter == null) {
                String ext = ext(script);
                interpreter = INTERPRETERS.get(ext);
                if (interpreter == null && Files.isRegularFile(scriptPath) && !Files.isExecutable(scriptPath)) interpreter = "node";
            }
            if (interpreter != null && interpreter.equals("python") && ExecutableCheck.onPath("python") == null) interpreter = "python3";
            if (interpreter == null || interpreter.equals("none")) {
                cmd.add(exe);
                how = "run directly";
            } else {
                cmd.add(interpreter);
                cmd.addAll(interpArgs);
                cmd.add(exe);
                how = "interpreter " + interpreter;
            }
            cmd.addAll(args);
        }
        a.command = cmd;
        r.mapped(subject, "script " + Values.show(script) + (args.isEmpty() ? "" : ", args") + (interp == null ? "" : ", interpreter")
                + (interpArgs.isEmpty() ? "" : ", interpreter_args"), "command " + Values.show(String.join(" ", cmd)), how);

        // environment: env, then env_<NAME> for --env NAME, then port
        JsonNode env = keys.remove("env");
        if (env != null) putEnv(a, env, subject, "env", r);
        for (String k : new ArrayList<>(keys.keySet())) {
            if (!k.startsWith("env_")) continue;
            JsonNode v = keys.remove(k);
            if (opt.pm2Env() != null && k.equals("env_" + opt.pm2Env())) putEnv(a, v, subject, k + " (--env " + opt.pm2Env() + ")", r);
            else r.none(subject, k, "applies with pm2 --env " + k.substring(4) + "; import with --env " + k.substring(4) + " to use it");
        }
        JsonNode port = keys.remove("port");
        if (port != null) {
            a.env.put("PORT", port.asText());
            r.mapped(subject, "port " + port.asText(), "env.PORT", "PM2 sets PORT");
        }

        // instances
        int instances = 1;
        JsonNode inst = keys.remove("instances");
        if (inst != null) {
            String s = inst.asText().strip().toLowerCase(Locale.ROOT);
            int cpus = Runtime.getRuntime().availableProcessors();
            if (s.equals("max") || s.equals("0") || s.equals("-1")) {
                instances = s.equals("-1") ? Math.max(1, cpus - 1) : cpus;
                r.approx(subject, "instances " + s, "concurrency " + instances, "PM2 counts the cores where it runs; this machine has " + cpus);
            } else if (s.matches("-?\\d+")) {
                int n = Integer.parseInt(s);
                instances = n < 0 ? Math.max(1, cpus + n) : n;
                if (n < 0) r.approx(subject, "instances " + n, "concurrency " + instances, "cores of this machine minus " + (-n));
                else r.mapped(subject, "instances " + n, "concurrency " + instances);
            } else {
                r.none(subject, "instances " + Values.show(inst.asText()), "not a number or \"max\"; 1 instance");
            }
        }
        a.concurrency = instances;
        JsonNode mode = keys.remove("exec_mode");
        if (mode != null) {
            String m = mode.asText().replace("_mode", "");
            if (m.equals("cluster")) r.approx(subject, "exec_mode cluster", "concurrency " + instances,
                    "separate processes: Node's cluster module shares one port between workers, Sabot instances do not (give each its own port, or use SO_REUSEPORT)");
            else r.mapped(subject, "exec_mode " + m, "a process per instance");
        }
        JsonNode incVar = keys.remove("increment_var");
        JsonNode instVar = keys.remove("instance_var");
        String instanceVar = instVar != null && instVar.isTextual() ? instVar.asText() : "NODE_APP_INSTANCE";

        // restarts
        JsonNode autorestart = keys.remove("autorestart");
        boolean restart = autorestart == null || autorestart.asBoolean(true);
        a.policy = restart ? "permanent" : "temporary";
        if (autorestart != null) r.mapped(subject, "autorestart " + restart, "restart.policy " + a.policy);
        else r.mapped(subject, "(PM2 default: autorestart true)", "restart.policy permanent");
        JsonNode stopCodes = keys.remove("stop_exit_codes");
        if (stopCodes != null) {
            List<String> codes = new ArrayList<>();
            if (stopCodes.isArray()) stopCodes.forEach(c -> codes.add(c.asText()));
            else codes.add(stopCodes.asText());
            if (!restart) r.none(subject, "stop_exit_codes " + codes, "never restarted anyway (autorestart false)");
            else if (codes.equals(List.of("0"))) r.mapped(subject, "stop_exit_codes [0]", "restart.policy transient", "no restart after exit 0");
            else r.approx(subject, "stop_exit_codes " + codes, "restart.policy transient", "Sabot does not restart after exit 0 only; other codes count as crashes");
            if (restart) a.policy = "transient";
        }
        JsonNode maxR = keys.remove("max_restarts");
        JsonNode minUp = keys.remove("min_uptime");
        int maxRestarts = maxR != null && maxR.canConvertToInt() ? Math.max(0, maxR.asInt()) : DEFAULT_MAX_RESTARTS;
        long minUptime = minUp == null ? DEFAULT_MIN_UPTIME : Values.millis(minUp.asText());
        if (minUptime < 0) {
            r.none(subject, "min_uptime " + Values.show(minUp.asText()), "not a duration; PM2's default 1 s used");
            minUptime = DEFAULT_MIN_UPTIME;
        }
        a.maxRestarts = maxRestarts;
        // PM2 stops after max_restarts restarts that each ran less than min_uptime, counted within min_uptime * max_restarts
        a.withinSeconds = (int) Math.max(1, Math.min(86_400L * 365, (minUptime * Math.max(1, maxRestarts) + 999) / 1000));
        a.backoffResetAfterMs = minUptime;
        String src = (maxR != null ? "max_restarts " + maxRestarts : "(PM2 default: max_restarts 16)")
                + (minUp != null ? ", min_uptime " + minUp.asText() : ", (PM2 default: min_uptime 1000)");
        r.approx(subject, src, "restart.maxRestarts " + a.maxRestarts + " within " + a.withinSeconds + " s",
                "PM2 counts only restarts of runs shorter than min_uptime; Sabot counts every restart in the window, and backs off anew after a run of min_uptime");
        JsonNode delay = keys.remove("restart_delay");
        JsonNode exp = keys.remove("exp_backoff_restart_delay");
        if (exp != null && exp.canConvertToLong() && exp.asLong() > 0) {
            a.backoffInitialMs = exp.asLong();
            a.backoffMaxMs = Math.max(exp.asLong(), 15_000L);
            a.backoffMultiplier = 1.5;
            a.backoffResetAfterMs = 30_000L;
            r.mapped(subject, "exp_backoff_restart_delay " + exp.asLong(), "restart.backoff " + exp.asLong() + " ms x1.5 up to 15 s, reset after 30 s up",
                    "PM2's own curve");
            if (delay != null) r.none(subject, "restart_delay " + delay.asText(), "exp_backoff_restart_delay takes its place");
        } else if (delay != null && delay.canConvertToLong()) {
            a.backoffInitialMs = delay.asLong();
            a.backoffMaxMs = delay.asLong();
            a.backoffMultiplier = 1.0;
            r.mapped(subject, "restart_delay " + delay.asLong(), "restart.backoff " + delay.asLong() + " ms, constant");
        }
        if (exp != null && !(exp.canConvertToLong() && exp.asLong() > 0)) r.none(subject, "exp_backoff_restart_delay " + Values.show(exp.asText()), "not a positive number of ms");

        // stopping, starting, memory
        JsonNode kill = keys.remove("kill_timeout");
        a.stopGraceMs = kill != null && kill.canConvertToLong() ? Math.max(0, kill.asLong()) : DEFAULT_KILL_TIMEOUT;
        r.mapped(subject, kill != null ? "kill_timeout " + kill.asText() : "(PM2 default: kill_timeout 1600)", "stopGraceMs " + a.stopGraceMs);
        JsonNode treekill = keys.remove("treekill");
        if (treekill != null) {
            if (treekill.asBoolean(true)) r.mapped(subject, "treekill true", "(always: Sabot signals the whole process group)");
            else r.approx(subject, "treekill false", "(process group)", "Sabot always stops the whole process tree");
        }
        JsonNode waitReady = keys.remove("wait_ready");
        JsonNode listen = keys.remove("listen_timeout");
        if (waitReady != null && waitReady.asBoolean(false)) {
            r.approx(subject, "wait_ready true", "(none)", "PM2 waits for process.send('ready'); Sabot's equivalent is the line '@sabot {\"type\":\"ready\"}' "
                    + "with \"protocol\": true, or a readiness probe; the agent counts as RUNNING once spawned");
        } else if (waitReady != null) {
            r.mapped(subject, "wait_ready false", "RUNNING once spawned");
        }
        if (listen != null && listen.canConvertToLong()) {
            a.startTimeoutMs = Math.max(1, listen.asLong());
            r.approx(subject, "listen_timeout " + listen.asLong(), "startTimeoutMs " + a.startTimeoutMs, "how long a start may take before it fails");
        }
        JsonNode mem = keys.remove("max_memory_restart");
        if (mem != null) {
            long mb = Values.mebibytes(mem.asText());
            if (mb > 0) {
                a.memoryMb = (int) Math.max(16, Math.min(1_048_576, mb));
                r.mapped(subject, "max_memory_restart " + mem.asText(), "limits.memoryMb " + a.memoryMb, "killed and restarted over it; checked 4 times a second, PM2 every 30 s");
            } else {
                r.none(subject, "max_memory_restart " + Values.show(mem.asText()), "not a size such as 300M or 1G");
            }
        }
        JsonNode ns = keys.remove("namespace");
        if (ns != null && ns.isTextual() && !ns.asText().equals("default")) {
            a.group = Names.sanitize(ns.asText());
            r.approx(subject, "namespace " + ns.asText(), "group " + a.group, "a Sabot group is also a supervision group (one_for_one: no effect on restarts)");
        }
        JsonNode autostart = keys.remove("autostart");
        if (autostart != null) {
            r.approx(subject, "autostart " + autostart.asBoolean(true), "(deploy)", autostart.asBoolean(true)
                    ? "deploying does not start agents: run sabot agents start --all (a running engine restarts what was running)"
                    : "deployed, not started");
        }

        // per-instance values: PM2 gives each instance its number (instance_var) and can increment a variable (increment_var)
        List<AgentDraft> out = new ArrayList<>();
        if (incVar != null && incVar.isTextual() && instances > 1) {
            String var = incVar.asText();
            long base = 0;
            try {
                base = Long.parseLong(a.env.getOrDefault(var, "0").strip());
            } catch (NumberFormatException e) {
                r.problem(subject + ": increment_var " + var + " is not a number in env; counted from 0");
            }
            List<String> made = new ArrayList<>();
            for (int k = 0; k < instances; k++) {
                AgentDraft d = a.copy(k == 0 ? a.name : names.claim(a.name + "-" + k));
                d.concurrency = 1;
                d.group = a.group == null ? a.name : a.group;
                d.env.put(var, Long.toString(base + k));
                d.env.put(instanceVar, Integer.toString(k));
                made.add(d.name);
                out.add(d);
            }
            r.approx(subject, "increment_var " + var + ", instances " + instances, "agents " + made + " in group " + out.get(0).group,
                    "one agent per instance, each with its own " + var + " and " + instanceVar);
        } else {
            if (incVar != null) r.mapped(subject, "increment_var " + incVar.asText(), "env." + incVar.asText(), "one instance");
            if (instances > 1 || instVar != null) {
                r.approx(subject, (instVar != null ? "instance_var " + instanceVar : "(PM2 sets " + instanceVar + ")"), "SABOT_INSTANCE",
                        "Sabot sets SABOT_INSTANCE=" + a.name + "-I in each instance, not " + instanceVar);
            }
            out.add(a);
        }

        for (Map.Entry<String, JsonNode> e : keys.entrySet()) {
            String why = NO_EQUIVALENT.get(e.getKey());
            r.none(subject, e.getKey() + " " + Values.show(e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()),
                    why != null ? why : "not a PM2 setting Sabot knows");
        }
        return out;
    }

    private static void putEnv(AgentDraft a, JsonNode env, String subject, String key, ImportReport r) {
        if (!env.isObject()) {
            r.none(subject, key + " " + Values.show(env.asText()), "must be an object of variables");
            return;
        }
        List<String> shown = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> v = it.next();
            String val = v.getValue().isTextual() ? v.getValue().asText() : v.getValue().isNull() ? "" : v.getValue().toString();
            a.env.put(v.getKey(), val);
            shown.add(v.getKey() + "=" + Secrets.maskValue(v.getKey(), Values.show(val)));
        }
        r.mapped(subject, key + " " + Values.show(String.join(" ", shown)), "env");
    }

    private static List<String> words(JsonNode n, String subject, String key, ImportReport r) throws ImportException {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        if (n.isArray()) {
            n.forEach(x -> out.add(x.isTextual() ? x.asText() : x.toString()));
            return out;
        }
        try {
            return ShellWords.split(n.asText());
        } catch (IllegalArgumentException e) {
            throw new ImportException("app " + subject + ": " + key + ": " + e.getMessage());
        }
    }

    private static String ext(String script) {
        String f = Path.of(script).getFileName() == null ? script : Path.of(script).getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot <= 0 ? "" : f.substring(dot).toLowerCase(Locale.ROOT);
    }

    private static String baseName(String script) {
        String f = script.contains(" ") ? script.split("\\s+")[0] : script;
        f = Path.of(f).getFileName() == null ? f : Path.of(f).getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }
}
