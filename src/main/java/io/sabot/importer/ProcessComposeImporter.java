package io.sabot.importer;

import io.sabot.shell.ShellWords;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sabot.telemetry.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * process-compose files to Sabot agents, following process-compose's own types
 * ({@code src/types/process.go}, {@code src/health/probe.go}) and documentation: {@code $VAR}
 * expansion of the file from the environment and {@code .env} (unless
 * {@code disable_env_expansion}), {@code {{.VAR}}} variables, commands run by a shell
 * ({@code bash -c}, or the file's {@code shell}; a command that needs no shell becomes a plain
 * argv), replicas, {@code depends_on} with conditions, readiness and liveness probes,
 * {@code ready_log_line}, {@code availability} and {@code shutdown}. process-compose's defaults are
 * written out where Sabot's differ (restart "no", backoff 1 s, probe period 10 s, shutdown 10 s).
 */
final class ProcessComposeImporter {
    private static final Pattern ENV_REF = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}|\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    private static final String LOGS = "Sabot keeps each instance's output in <home>/logs/NAME-I.log, rotated; read it with sabot agents logs";

    private ProcessComposeImporter() {}

    private record Shell(String command, String argument) { }

    static ImportResult convert(Path file, String text, JsonNode parsed, Importer.Options opt) throws ImportException {
        String source = file.toString();
        Path dir = file.toAbsolutePath().getParent();
        ImportReport r = new ImportReport();
        JsonNode root = parsed;
        boolean noExpansion = parsed.path("disable_env_expansion").asBoolean(false);
        if (!noExpansion) {
            Map<String, String> env = new HashMap<>(dotEnv(dir.resolve(".env"), source));
            env.putAll(opt.environment()); // process-compose loads .env without overriding the environment
            Set<String> used = new LinkedHashSet<>();
            String expanded = expandEnv(text, env, used);
            if (!used.isEmpty()) {
                try {
                    root = new ObjectMapper(new YAMLFactory()).readTree(expanded);
                } catch (JsonProcessingException e) {
                    throw new ImportException(source + ": is not valid YAML once $VARIABLES are expanded (" + e.getOriginalMessage() + ")");
                }
                r.approx("", "$VARIABLES " + Values.show(String.join(", ", used)), "(values written into the spec)",
                        "expanded at import time from this environment" + (Files.exists(dir.resolve(".env")) ? " and .env" : "") + ", as process-compose expands them when it loads the file");
            }
        } else {
            r.mapped("", "disable_env_expansion true", "($VARIABLES left for the shell)");
        }
        JsonNode processes = root.get("processes");
        if (processes == null || !processes.isObject()) {
            throw new ImportException(source + ": \"processes\" must be a map of process names to their settings (process-compose.yaml)");
        }
        Shell shell = null;
        Map<String, String> globalVars = vars(root.get("vars"));
        Map<String, String> globalEnv = envList(root.get("environment"), source, "environment");
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            switch (k) {
                case "disable_env_expansion" -> { }
                case "processes" -> r.mapped("", "processes (" + v.size() + ")", "agents");
                case "version" -> r.mapped("", "version " + v.asText(), "(format version)");
                case "shell" -> {
                    shell = new Shell(v.path("shell_command").asText("bash"), v.path("shell_argument").asText("-c"));
                    r.mapped("", "shell " + shell.command() + " " + shell.argument(), "commands run as [" + shell.command() + ", " + shell.argument() + ", command]");
                }
                case "environment" -> r.mapped("", "environment " + masked(globalEnv), "env of every agent");
                case "vars" -> r.mapped("", "vars " + Values.show(globalVars.keySet()), "{{.VAR}} substituted");
                case "log_location", "log_level", "log_length", "log_configuration" -> r.none("", k, LOGS);
                case "is_strict" -> r.mapped("", "is_strict " + v.asText(), "(Sabot always rejects unknown fields)");
                case "ordered_shutdown" -> r.mapped("", "ordered_shutdown " + v.asText(), "(Sabot always stops dependents before their dependencies)");
                case "env_cmds" -> r.none("", "env_cmds " + Values.show(v.toString()), "Sabot does not run commands to fill variables; set them in env");
                case "is_tui_disabled" -> r.none("", k, "Sabot's views are the console and the CLI");
                default -> r.none("", k + " " + Values.show(v.isTextual() ? v.asText() : v.toString()), "not a process-compose setting Sabot knows");
            }
        }

        // first pass: a draft (or one per replica) for each process
        Names names = new Names();
        Map<String, List<AgentDraft>> byProcess = new LinkedHashMap<>();
        Map<String, JsonNode> configs = new LinkedHashMap<>();
        Map<String, Boolean> healthy = new HashMap<>(), logReady = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = processes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isObject()) {
                throw new ImportException(source + ": processes." + e.getKey() + " must be a map of settings, was " + e.getValue().getNodeType().toString().toLowerCase(Locale.ROOT));
            }
            configs.put(e.getKey(), e.getValue());
            byProcess.put(e.getKey(), process(e.getKey(), e.getValue(), dir, shell, globalVars, globalEnv, names, r, source));
            healthy.put(e.getKey(), e.getValue().has("readiness_probe"));
            logReady.put(e.getKey(), e.getValue().has("ready_log_line"));
        }
        // second pass: dependencies, now that every agent has its name
        for (Map.Entry<String, JsonNode> e : configs.entrySet()) {
            JsonNode deps = e.getValue().get("depends_on");
            if (deps == null || deps.isNull()) continue;
            String subject = Names.sanitize(e.getKey());
            Map<String, String> conditions = new LinkedHashMap<>();
            if (deps.isArray()) deps.forEach(d -> conditions.put(d.asText(), "process_started"));
            else if (deps.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = deps.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> d = it.next();
                    String c = d.getValue().isTextual() ? d.getValue().asText() : d.getValue().path("condition").asText("process_started");
                    conditions.put(d.getKey(), c);
                }
            } else {
                throw new ImportException(source + ": processes." + e.getKey() + ".depends_on must map process names to {condition: ...}");
            }
            for (Map.Entry<String, String> d : conditions.entrySet()) {
                List<AgentDraft> targets = byProcess.get(d.getKey());
                if (targets == null) {
                    r.problem(subject + ": depends_on " + d.getKey() + ": no such process in the file; dependency left out");
                    continue;
                }
                List<String> targetNames = targets.stream().map(t -> t.name).toList();
                for (AgentDraft a : byProcess.get(e.getKey())) a.dependsOn.addAll(targetNames);
                String src = "depends_on " + d.getKey() + " (" + d.getValue() + ")";
                String tgt = "dependsOn " + targetNames;
                switch (d.getValue()) {
                    case "process_started" -> r.mapped(subject, src, tgt, "started first; Sabot waits for it to be RUNNING");
                    case "process_healthy" -> {
                        if (healthy.get(d.getKey())) r.mapped(subject, src, tgt, "its readiness probe gates RUNNING, and Sabot waits for RUNNING");
                        else r.approx(subject, src, tgt, d.getKey() + " has no readiness probe: RUNNING once started");
                    }
                    case "process_log_ready" -> {
                        if (logReady.get(d.getKey())) r.mapped(subject, src, tgt, "its ready_log_line became a log readiness probe");
                        else r.approx(subject, src, tgt, d.getKey() + " has no ready_log_line: RUNNING once started");
                    }
                    case "process_completed", "process_completed_successfully" -> r.approx(subject, src, tgt,
                            "Sabot waits for a dependency to be RUNNING, not to finish: a one-shot task is not awaited");
                    default -> r.approx(subject, src, tgt, "unknown condition; treated as process_started");
                }
            }
        }
        ObjectNode spec = Importer.emptySpec();
        ArrayNode agents = (ArrayNode) spec.get("agents");
        byProcess.values().forEach(list -> list.forEach(a -> agents.add(a.toNode())));
        return new ImportResult(Format.PROCESS_COMPOSE, source, spec, r);
    }

    private static List<AgentDraft> process(String pname, JsonNode cfg, Path dir, Shell shell, Map<String, String> globalVars,
                                            Map<String, String> globalEnv, Names names, ImportReport r, String source) throws ImportException {
        Map<String, JsonNode> keys = new LinkedHashMap<>();
        cfg.fields().forEachRemaining(e -> keys.put(e.getKey(), e.getValue()));
        Map<String, String> vars = new HashMap<>(globalVars);
        JsonNode varsNode = keys.remove("vars");
        vars.putAll(vars(varsNode));
        int replicas = 1;
        JsonNode rep = keys.remove("replicas");
        if (rep != null) {
            if (!rep.canConvertToInt() || rep.asInt() < 1) throw new ImportException(source + ": processes." + pname + ".replicas must be a whole number >= 1, was " + rep.asText());
            replicas = rep.asInt();
        }
        boolean perReplica = replicas > 1 && cfg.toString().contains("PC_REPLICA_NUM");
        String base = names.claim(pname);
        String subject = base;
        if (!base.equals(pname)) r.approx(subject, "process " + pname, "name " + base, "Sabot names are lower-case letters, digits, _ and -");
        if (varsNode != null) r.mapped(subject, "vars " + Values.show(vars(varsNode).keySet()), "{{.VAR}} substituted");

        AgentDraft shared = new AgentDraft(base);
        JsonNode ns = keys.remove("namespace");
        if (ns != null && ns.isTextual() && !ns.asText().equals("default")) {
            shared.group = Names.sanitize(ns.asText());
            r.approx(subject, "namespace " + ns.asText(), "group " + shared.group, "a Sabot group is also a supervision group (one_for_one: no effect on restarts)");
        }
        availability(keys.remove("availability"), shared, subject, r);
        shutdown(keys.remove("shutdown"), shared, subject, r);

        JsonNode command = keys.remove("command");
        JsonNode entrypoint = keys.remove("entrypoint");
        JsonNode workdir = keys.remove("working_dir");
        JsonNode environment = keys.remove("environment");
        JsonNode readiness = keys.remove("readiness_probe");
        JsonNode liveness = keys.remove("liveness_probe");
        JsonNode readyLine = keys.remove("ready_log_line");
        if (command == null && (entrypoint == null || entrypoint.isEmpty())) {
            throw new ImportException(source + ": processes." + pname + " has no command");
        }
        List<AgentDraft> out = new ArrayList<>();
        int count = perReplica ? replicas : 1;
        int width = 1 + (int) Math.log10(Math.max(1, replicas));
        for (int k = 0; k < count; k++) {
            Map<String, String> v = new HashMap<>(vars);
            if (perReplica || replicas == 1) v.put("PC_REPLICA_NUM", Integer.toString(k));
            String name = perReplica ? names.claim(base + "-" + String.format(Locale.ROOT, "%0" + width + "d", k)) : base;
            AgentDraft a = shared.copy(name);
            a.concurrency = perReplica ? 1 : replicas;
            if (perReplica && a.group == null) a.group = base;
            a.env.putAll(globalEnv);
            a.env.putAll(envList(environment == null ? null : template(environment, v, subject, r), source, "processes." + pname + ".environment"));
            a.env.put("PC_PROC_NAME", pname);
            if (perReplica) a.env.put("PC_REPLICA_NUM", Integer.toString(k));
            Path wd = null;
            if (workdir != null && workdir.isTextual()) {
                wd = dir.resolve(render(workdir.asText(), v, subject, r)).normalize();
                a.workdir = wd.toString();
            }
            if (entrypoint != null && entrypoint.isArray() && !entrypoint.isEmpty()) {
                List<String> argv = new ArrayList<>();
                entrypoint.forEach(x -> argv.add(render(x.asText(), v, subject, r)));
                a.command = argv;
            } else {
                a.command = shellCommand(render(command.asText(), v, subject, r), shell);
            }
            if (readyLine != null) {
                AgentDraft.ProbeDraft p = new AgentDraft.ProbeDraft();
                p.logPattern = readyLine.asText();
                a.readiness = p;
            }
            if (readiness != null) a.readiness = probe(readiness, v, a, shell, subject, "readiness_probe", r, k == 0);
            if (liveness != null) a.liveness = probe(liveness, v, a, shell, subject, "liveness_probe", r, k == 0);
            if (a.readiness != null) a.startTimeoutMs = Math.max(10_000L, a.readiness.worstCaseMs() + 1_000);
            out.add(a);
        }
        AgentDraft first = out.get(0);
        if (entrypoint != null && entrypoint.isArray() && !entrypoint.isEmpty()) {
            r.mapped(subject, "entrypoint " + Values.show(entrypoint.toString()), "command " + Values.show(String.join(" ", first.command)));
            if (command != null) r.none(subject, "command " + Values.show(command.asText()), "entrypoint takes its place, as in process-compose");
        } else {
            r.mapped(subject, "command " + Values.show(command.asText()), "command " + Values.show(String.join(" ", first.command)),
                    first.command.size() == 3 && first.command.get(1).equals(shell == null ? "-c" : shell.argument()) ? "run by the shell, as process-compose does"
                            : "no shell needed: run as an argv");
        }
        if (workdir != null) r.mapped(subject, "working_dir " + Values.show(workdir.asText()), "workdir " + first.workdir);
        if (environment != null) r.mapped(subject, "environment " + masked(envList(environment, source, "environment")), "env");
        if (readyLine != null) {
            r.mapped(subject, "ready_log_line " + Values.show(readyLine.asText()), "health.readiness.log.pattern", "RUNNING once a line matches");
            if (readiness != null) r.problem(subject + ": has both ready_log_line and readiness_probe (process-compose refuses that); the readiness_probe was kept");
        }
        if (first.readiness != null) r.approx(subject, "(readiness)", "startTimeoutMs " + first.startTimeoutMs,
                "a start fails if not ready by then (initial delay + failure_threshold periods); process-compose would restart it per availability");
        if (replicas > 1) {
            if (perReplica) {
                r.approx(subject, "replicas " + replicas, "agents " + out.stream().map(d -> d.name).toList() + " in group " + first.group,
                        "one agent per replica, since PC_REPLICA_NUM changes each one's settings; each gets PC_REPLICA_NUM in env");
            } else {
                r.mapped(subject, "replicas " + replicas, "concurrency " + replicas, "each instance gets SABOT_INSTANCE=" + base + "-I");
            }
        }
        for (Map.Entry<String, JsonNode> e : keys.entrySet()) {
            String k = e.getKey();
            String why = switch (k) {
                case "disabled" -> e.getValue().asBoolean() ? "Sabot has no disabled agents: it is deployed, and sabot agents start --all starts it" : "";
                case "is_daemon" -> e.getValue().asBoolean() ? "Sabot supervises processes that stay in the foreground; a daemonizing command looks like an exit" : "";
                case "description" -> "Sabot specs have no description field";
                case "log_location", "log_configuration", "disable_ansi_colors" -> LOGS;
                case "is_tty", "is_foreground", "is_interactive" -> "Sabot agents have no terminal";
                case "is_elevated" -> "agents run as the engine's user";
                case "schedule" -> "Sabot has no scheduled runs (use cron with sabot agents start NAME)";
                case "watch" -> "Sabot does not restart on file changes";
                case "name" -> "the process's key is its name";
                case "depends_on" -> null;
                default -> "not a process-compose setting Sabot knows";
            };
            if (why == null) continue;
            if (why.isEmpty()) r.mapped(subject, k + " " + e.getValue().asText(), "(deployed)");
            else r.none(subject, k + " " + Values.show(e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()), why);
        }
        return out;
    }

    private static void availability(JsonNode av, AgentDraft a, String subject, ImportReport r) {
        Map<String, JsonNode> keys = new LinkedHashMap<>();
        if (av != null && av.isObject()) av.fields().forEachRemaining(e -> keys.put(e.getKey(), e.getValue()));
        JsonNode restart = keys.remove("restart");
        String policy = restart == null ? "no" : restart.asText();
        switch (policy) {
            case "always" -> a.policy = "permanent";
            case "on_failure" -> a.policy = "transient";
            case "exit_on_failure" -> a.policy = "transient";
            default -> a.policy = "temporary";
        }
        String src = restart == null ? "(process-compose default: availability.restart no)" : "availability.restart " + policy;
        if (policy.equals("exit_on_failure")) r.approx(subject, src, "restart.policy transient", "Sabot does not stop the other agents when this one fails");
        else if (Set.of("always", "on_failure", "no").contains(policy)) r.mapped(subject, src, "restart.policy " + a.policy);
        else r.approx(subject, src, "restart.policy temporary", "unknown policy; not restarted");
        JsonNode backoff = keys.remove("backoff_seconds");
        JsonNode max = keys.remove("max_restarts");
        if (!a.policy.equals("temporary")) {
            long b = backoff != null && backoff.canConvertToLong() ? Math.max(0, backoff.asLong()) : 1;
            a.backoffInitialMs = b * 1000;
            a.backoffMaxMs = b * 1000;
            a.backoffMultiplier = 1.0;
            r.mapped(subject, backoff == null ? "(process-compose default: backoff_seconds 1)" : "availability.backoff_seconds " + b,
                    "restart.backoff " + b * 1000 + " ms, constant");
            int m = max != null && max.canConvertToInt() ? Math.max(0, max.asInt()) : 0;
            if (m == 0) {
                a.maxRestarts = 1_000_000_000;
                a.withinSeconds = 1;
                r.mapped(subject, max == null ? "(process-compose default: max_restarts 0, unlimited)" : "availability.max_restarts 0", "restart.maxRestarts 1000000000 within 1 s (unlimited)");
            } else {
                a.maxRestarts = m;
                a.withinSeconds = 86_400 * 365;
                r.approx(subject, "availability.max_restarts " + m, "restart.maxRestarts " + m + " within a year",
                        "process-compose counts restarts for the life of the process; Sabot within a window, here a year");
            }
        } else {
            if (backoff != null) r.none(subject, "availability.backoff_seconds " + backoff.asText(), "not restarted (restart no)");
            if (max != null) r.none(subject, "availability.max_restarts " + max.asText(), "not restarted (restart no)");
        }
        keys.forEach((k, v) -> r.none(subject, "availability." + k + " " + v.asText(), k.startsWith("exit_on")
                ? "Sabot keeps the other agents running when one ends" : "not an availability setting Sabot knows"));
    }

    private static void shutdown(JsonNode sd, AgentDraft a, String subject, ImportReport r) {
        Map<String, JsonNode> keys = new LinkedHashMap<>();
        if (sd != null && sd.isObject()) sd.fields().forEachRemaining(e -> keys.put(e.getKey(), e.getValue()));
        JsonNode timeout = keys.remove("timeout_seconds");
        long t = timeout != null && timeout.canConvertToLong() ? Math.max(0, timeout.asLong()) : 10;
        a.stopGraceMs = t * 1000;
        r.mapped(subject, timeout == null ? "(process-compose default: shutdown.timeout_seconds 10)" : "shutdown.timeout_seconds " + t, "stopGraceMs " + a.stopGraceMs);
        JsonNode signal = keys.remove("signal");
        if (signal != null) {
            if (signal.asText().equals("15")) r.mapped(subject, "shutdown.signal 15", "(SIGTERM: how Sabot stops)");
            else r.none(subject, "shutdown.signal " + signal.asText(), "Sabot stops with SIGTERM to the process group, then SIGKILL after stopGraceMs");
        }
        JsonNode cmd = keys.remove("command");
        if (cmd != null) r.none(subject, "shutdown.command " + Values.show(cmd.asText()), "Sabot stops with SIGTERM to the process group; it runs no stop command");
        JsonNode parent = keys.remove("parent_only");
        if (parent != null) {
            if (parent.asBoolean()) r.approx(subject, "shutdown.parent_only true", "(process group)", "Sabot always signals the whole process group");
            else r.mapped(subject, "shutdown.parent_only false", "(process group)");
        }
        keys.forEach((k, v) -> r.none(subject, "shutdown." + k, "not a shutdown setting Sabot knows"));
    }

    private static AgentDraft.ProbeDraft probe(JsonNode n, Map<String, String> vars, AgentDraft a, Shell shell, String subject, String key,
                                               ImportReport r, boolean report) throws ImportException {
        AgentDraft.ProbeDraft p = new AgentDraft.ProbeDraft();
        String what;
        boolean approx = false;
        String how = "";
        JsonNode exec = n.get("exec");
        JsonNode http = n.get("http_get");
        if (exec != null) {
            String cmd = render(exec.path("command").asText(), vars, subject, r);
            JsonNode wd = exec.get("working_dir");
            if (wd != null && wd.isTextual() && !wd.asText().isBlank()) {
                cmd = "cd " + ShellWords.quote(render(wd.asText(), vars, subject, r)) + " && " + cmd;
                approx = true;
                how = "working_dir as a cd before the command";
            }
            p.exec = shellCommand(cmd, shell);
            what = "exec " + Values.show(String.join(" ", p.exec));
        } else if (http != null) {
            String host = http.path("host").asText("").isBlank() ? "127.0.0.1" : render(http.path("host").asText(), vars, subject, r);
            String scheme = http.path("scheme").asText("").isBlank() ? "http" : render(http.path("scheme").asText(), vars, subject, r).toLowerCase(Locale.ROOT);
            String path = http.path("path").asText("").isBlank() ? "/" : render(http.path("path").asText(), vars, subject, r);
            String port = http.has("num_port") ? http.get("num_port").asText() : http.has("port") ? render(http.get("port").asText(), vars, subject, r) : "";
            p.url = scheme + "://" + host + (port.isBlank() || port.equals("0") ? "" : ":" + port) + (path.startsWith("/") ? path : "/" + path);
            int code = http.path("status_code").asInt(200);
            p.status = Integer.toString(code < 1 || code > 400 ? 200 : code);
            if (http.has("headers")) {
                approx = true;
                how = "headers are not sent";
            }
            what = "http GET " + p.url + " (" + p.status + ")";
        } else {
            throw new ImportException(subject + ": " + key + " needs exec or http_get");
        }
        // process-compose's defaults (k8s-like) where the file is silent
        p.initialDelayMs = 1000L * Math.max(0, n.path("initial_delay_seconds").asInt(0));
        p.periodMs = 1000L * Math.max(1, n.path("period_seconds").asInt(10));
        p.timeoutMs = 1000L * Math.max(1, n.path("timeout_seconds").asInt(1));
        p.successThreshold = Math.max(1, n.path("success_threshold").asInt(1));
        p.failureThreshold = Math.max(1, n.path("failure_threshold").asInt(3));
        if (report) {
            String target = "health." + (key.startsWith("readiness") ? "readiness" : "liveness") + " " + what + ", every " + p.periodMs / 1000 + " s, timeout "
                    + p.timeoutMs / 1000 + " s, " + p.successThreshold + "/" + p.failureThreshold;
            String note = key.startsWith("readiness") ? "gates RUNNING" : "kills and restarts with reason \"liveness probe failed: ...\"";
            if (approx) r.approx(subject, key, target, note + "; " + how);
            else r.mapped(subject, key, target, note);
        }
        return p;
    }

    private static List<String> shellCommand(String cmd, Shell shell) {
        if (shell != null) return List.of(shell.command(), shell.argument(), cmd);
        if (!ShellWords.needsShell(cmd)) {
            try {
                List<String> argv = ShellWords.split(cmd);
                if (!argv.isEmpty()) return argv;
            } catch (IllegalArgumentException e) {
                // let the shell report it
            }
        }
        return List.of("bash", "-c", cmd);
    }

    /** {{.VAR}} substitution; other template syntax is left as written (and reported). */
    private static String render(String s, Map<String, String> vars, String subject, ImportReport r) {
        if (!s.contains("{{")) return s;
        Matcher m = TEMPLATE.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = vars.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        m.appendTail(out);
        String res = out.toString();
        if (res.contains("{{")) r.problem(subject + ": template " + Values.show(res) + " is not rendered (only {{.VAR}} is)");
        return res;
    }

    private static JsonNode template(JsonNode env, Map<String, String> vars, String subject, ImportReport r) {
        if (!env.isArray()) return env;
        ArrayNode out = new ObjectMapper().createArrayNode();
        env.forEach(e -> out.add(render(e.asText(), vars, subject, r)));
        return out;
    }

    private static Map<String, String> vars(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n != null && n.isObject()) n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static Map<String, String> envList(JsonNode n, String source, String where) throws ImportException {
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) return out;
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        }
        if (!n.isArray()) throw new ImportException(source + ": " + where + " must be a list of \"KEY=value\" strings");
        for (JsonNode e : n) {
            String s = e.asText();
            int eq = s.indexOf('=');
            if (eq <= 0) throw new ImportException(source + ": " + where + ": expected \"KEY=value\", was " + Values.show(s));
            out.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return out;
    }

    /** os.ExpandEnv with process-compose's {@code $$} escape: unknown variables become empty. */
    static String expandEnv(String text, Map<String, String> env, Set<String> used) {
        Matcher m = ENV_REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String rep;
            if (m.group().equals("$$")) rep = "$";
            else {
                String name = m.group(1) != null ? m.group(1) : m.group(2);
                used.add(name);
                rep = env.getOrDefault(name, "");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(rep));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A .env file: KEY=value lines, optional quotes, # comments, an optional leading "export ". */
    static Map<String, String> dotEnv(Path f, String source) throws ImportException {
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(f)) return out;
        try {
            for (String line : Files.readAllLines(f)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                if (l.startsWith("export ")) l = l.substring(7).strip();
                int eq = l.indexOf('=');
                if (eq <= 0) continue;
                String v = l.substring(eq + 1).strip();
                if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) v = v.substring(1, v.length() - 1);
                out.put(l.substring(0, eq).strip(), v);
            }
        } catch (IOException e) {
            throw new ImportException(source + ": cannot read " + f + ": " + e.getMessage());
        }
        return out;
    }

    private static String masked(Map<String, String> env) {
        List<String> shown = new ArrayList<>();
        env.forEach((k, v) -> shown.add(k + "=" + Secrets.maskValue(k, Values.show(v))));
        return Values.show(String.join(" ", shown));
    }
}
