package io.sabot.importer;

import io.sabot.shell.ShellWords;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sabot.telemetry.Secrets;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * supervisord configurations to Sabot agents, following supervisord 4's reading of a file
 * ({@code supervisor/options.py}): {@code [program:x]} sections (command split like
 * {@code shlex.split}, no shell), {@code [group:x]} membership, {@code numprocs} with
 * {@code process_name}, {@code [include]} files, {@code [supervisord] environment}, and the
 * {@code %(ENV_X)s}, {@code %(here)s}, {@code %(program_name)s}, {@code %(process_num)d},
 * {@code %(group_name)s}, {@code %(host_node_name)s} expansions. supervisord's defaults are written
 * out where Sabot's differ (startsecs 1, startretries 3, autorestart unexpected, stopwaitsecs 10).
 */
final class SupervisordImporter {
    private static final String LOGS = "Sabot keeps each instance's stdout and stderr in <home>/logs/NAME-I.log, rotated; read it with sabot agents logs";
    private static final Map<String, String> NO_EQUIVALENT = new LinkedHashMap<>();

    static {
        for (String k : List.of("stdout_logfile", "stdout_logfile_maxbytes", "stdout_logfile_backups", "stdout_capture_maxbytes",
                "stdout_events_enabled", "stdout_syslog", "stderr_logfile", "stderr_logfile_maxbytes", "stderr_logfile_backups",
                "stderr_capture_maxbytes", "stderr_events_enabled", "stderr_syslog")) NO_EQUIVALENT.put(k, LOGS);
        NO_EQUIVALENT.put("user", "agents run as the engine's user");
        NO_EQUIVALENT.put("umask", "agents inherit the engine's umask");
        NO_EQUIVALENT.put("priority", "Sabot starts agents together, or dependencies first with dependsOn; start priorities are not kept");
        NO_EQUIVALENT.put("serverurl", "agents reach the engine through SABOT_HOME/control.sock");
    }

    private SupervisordImporter() {}

    static ImportResult convert(Path file, String text, Importer.Options opt) throws ImportException {
        String source = file.toString();
        IniFile ini = IniFile.parse(text, source);
        ImportReport r = new ImportReport();
        Path here = file.toAbsolutePath().getParent();
        Map<String, Object> base = new HashMap<>();
        opt.environment().forEach((k, v) -> base.put("ENV_" + k, v));
        base.put("here", here.toString());
        base.put("host_node_name", hostName());
        include(ini, here, base, r, source);

        // [supervisord] environment applies to every program
        Map<String, String> globalEnv = new LinkedHashMap<>();
        Map<String, IniFile.Value> sd = ini.sections.get("supervisord");
        if (sd != null) {
            for (Map.Entry<String, IniFile.Value> e : sd.entrySet()) {
                if (e.getKey().equals("environment")) {
                    globalEnv.putAll(environment(expand(e.getValue(), base, "[supervisord] environment", source), source, e.getValue().line()));
                    r.mapped("[supervisord]", "environment " + maskedKeys(globalEnv), "env of every agent");
                } else {
                    r.none("[supervisord]", e.getKey(), "supervisord's own setting (Sabot's engine: sabot daemon; its logs, socket and store live under SABOT_HOME)");
                }
            }
        }
        // group membership
        Map<String, String> groupOf = new HashMap<>();
        for (String g : ini.sectionsStartingWith("group:")) {
            String gname = g.substring("group:".length()).strip();
            Map<String, IniFile.Value> keys = new LinkedHashMap<>(ini.sections.get(g));
            IniFile.Value programs = keys.remove("programs");
            if (programs == null) throw new ImportException(source + ": [" + g + "] has no programs= line");
            List<String> members = new ArrayList<>();
            for (String p : expand(programs, base, "[" + g + "] programs", source).split("[,\\s]+")) {
                if (p.isBlank()) continue;
                if (!ini.sections.containsKey("program:" + p)) {
                    throw new ImportException(source + ": line " + programs.line() + ": [" + g + "] names unknown program " + p);
                }
                groupOf.put(p, gname);
                members.add(p);
            }
            r.mapped("[" + g + "]", "programs " + String.join(",", members), "group " + Names.sanitize(gname) + " on each");
            keys.forEach((k, v) -> r.none("[" + g + "]", k + " " + Values.show(v.text()),
                    k.equals("priority") ? NO_EQUIVALENT.get("priority") : "not a group setting Sabot knows"));
        }
        for (String s : ini.sections.keySet()) {
            String kind = s.contains(":") ? s.substring(0, s.indexOf(':')) : s;
            switch (kind) {
                case "program", "group", "supervisord", "include" -> { }
                case "supervisorctl", "unix_http_server", "inet_http_server", "rpcinterface" ->
                        r.none("[" + s + "]", "(section)", "supervisord's control interface; Sabot's is the owner-only socket SABOT_HOME/control.sock (no TCP port)");
                case "eventlistener" -> r.none("[" + s + "]", "(section)", "Sabot has no event listeners; it sends alerts and every transition goes to its store and traces");
                case "fcgi-program" -> r.none("[" + s + "]", "(section)", "Sabot does not manage FastCGI sockets");
                default -> r.none("[" + s + "]", "(section)", "not a supervisord section Sabot knows");
            }
        }

        ObjectNode spec = Importer.emptySpec();
        ArrayNode agents = (ArrayNode) spec.get("agents");
        Names names = new Names();
        for (String section : ini.sectionsStartingWith("program:")) {
            String program = section.substring("program:".length()).strip();
            for (AgentDraft d : program(ini, section, program, groupOf.getOrDefault(program, program), base, globalEnv, names, r, source)) {
                agents.add(d.toNode());
            }
        }
        return new ImportResult(Format.SUPERVISORD, source, spec, r);
    }

    private static List<AgentDraft> program(IniFile ini, String section, String program, String group, Map<String, Object> base,
                                            Map<String, String> globalEnv, Names names, ImportReport r, String source) throws ImportException {
        Map<String, IniFile.Value> keys = new LinkedHashMap<>(ini.sections.get(section));
        String subject = "[" + section + "]";
        Map<String, Object> common = new HashMap<>(base);
        common.put("program_name", program);
        common.put("group_name", group);
        IniFile.Value commandV = keys.remove("command");
        if (commandV == null) throw new ImportException(source + ": [" + section + "] has no command= line (supervisord requires one)");
        int numprocs = integer(keys.remove("numprocs"), 1, source, section, "numprocs");
        int numprocsStart = integer(keys.remove("numprocs_start"), 0, source, section, "numprocs_start");
        IniFile.Value processNameV = keys.remove("process_name");
        String processName = processNameV == null ? "%(program_name)s" : processNameV.text();
        IniFile.Value envV = keys.remove("environment");
        IniFile.Value dirV = keys.remove("directory");
        if (numprocs > 1 && !processName.contains("%(process_num)")) {
            throw new ImportException(source + ": [" + section + "] has numprocs=" + numprocs + " but its process_name has no %(process_num): supervisord refuses that too");
        }
        boolean perProcess = numprocs > 1 && (PythonFormat.mentions(commandV.text(), "process_num") || (envV != null && PythonFormat.mentions(envV.text(), "process_num"))
                || (dirV != null && PythonFormat.mentions(dirV.text(), "process_num")));

        // settings shared by every process of the program
        AgentDraft shared = new AgentDraft(program);
        shared.group = Names.sanitize(group);
        settings(keys, shared, common, subject, r, source, section);

        List<AgentDraft> out = new ArrayList<>();
        Map<String, String> firstEnv = new LinkedHashMap<>();
        int count = perProcess ? numprocs : 1;
        for (int k = 0; k < count; k++) {
            Map<String, Object> ex = new HashMap<>(common);
            ex.put("process_num", numprocsStart + k);
            ex.put("numprocs", numprocs);
            Map<String, String> env = new LinkedHashMap<>(globalEnv);
            if (envV != null) {
                Map<String, String> own = environment(expand(envV, ex, "[" + section + "] environment", source), source, envV.line());
                if (k == 0) firstEnv.putAll(own);
                env.putAll(own);
            }
            env.forEach((kk, v) -> ex.put("ENV_" + kk, v));
            String rawName = perProcess ? expand(new IniFile.Value(processName, processNameV == null ? 0 : processNameV.line()), ex, "process_name", source) : program;
            AgentDraft a = shared.copy(names.claim(rawName));
            a.env.putAll(env);
            a.concurrency = perProcess ? 1 : numprocs;
            String cmd = expand(commandV, ex, "[" + section + "] command", source);
            try {
                a.command = ShellWords.split(cmd);
            } catch (IllegalArgumentException e) {
                throw new ImportException(source + ": line " + commandV.line() + ": [" + section + "] command: " + e.getMessage());
            }
            if (a.command.isEmpty()) throw new ImportException(source + ": line " + commandV.line() + ": [" + section + "] command is empty");
            if (dirV != null) a.workdir = expand(dirV, ex, "[" + section + "] directory", source);
            out.add(a);
        }
        AgentDraft first = out.get(0);
        if (!first.name.equals(program) && !perProcess) r.approx(subject, "program name " + program, "name " + first.name, "Sabot names are lower-case letters, digits, _ and -");
        r.mapped(subject, "command " + Values.show(commandV.text()), "command " + Values.show(String.join(" ", first.command)), "split like supervisord does, no shell");
        if (dirV != null) r.mapped(subject, "directory " + Values.show(dirV.text()), "workdir " + first.workdir);
        if (envV != null) r.mapped(subject, "environment " + maskedKeys(firstEnv), "env");
        if (!group.equals(program)) r.mapped(subject, "(in [group:" + group + "])", "group " + first.group);
        if (perProcess) {
            List<String> made = out.stream().map(d -> d.name).toList();
            r.approx(subject, "numprocs " + numprocs + (processNameV == null ? "" : ", process_name " + processName),
                    "agents " + made + " in group " + first.group,
                    "one agent per process, since %(process_num) changes each one's settings");
        } else if (numprocs > 1 || processNameV != null) {
            r.approx(subject, "numprocs " + numprocs + (processNameV == null ? "" : ", process_name " + processName), "concurrency " + numprocs,
                    "instances are named " + first.name + "-0.." + (numprocs - 1) + " (SABOT_INSTANCE), not by process_name");
        }
        if (numprocsStart != 0 && !perProcess) r.approx(subject, "numprocs_start " + numprocsStart, "(instances from 0)", "Sabot numbers instances from 0");
        else if (numprocsStart != 0) r.mapped(subject, "numprocs_start " + numprocsStart, "agent names");
        return out;
    }

    /** Restart, start and stop settings (supervisord's defaults where the file is silent), and the keys without equivalent. */
    private static void settings(Map<String, IniFile.Value> keys, AgentDraft a, Map<String, Object> ex, String subject, ImportReport r,
                                 String source, String section) throws ImportException {
        IniFile.Value v;
        // autorestart: unexpected (default) restarts after an exit code not in exitcodes
        v = keys.remove("autorestart");
        String ar = v == null ? "unexpected" : expand(v, ex, "autorestart", source).toLowerCase(Locale.ROOT);
        switch (ar) {
            case "true" -> a.policy = "permanent";
            case "false" -> a.policy = "temporary";
            case "unexpected" -> a.policy = "transient";
            default -> throw new ImportException(source + ": line " + v.line() + ": [" + section + "] autorestart must be true, false or unexpected, was " + ar);
        }
        r.mapped(subject, v == null ? "(supervisord default: autorestart unexpected)" : "autorestart " + ar, "restart.policy " + a.policy);
        v = keys.remove("exitcodes");
        if (v != null) {
            List<String> codes = List.of(expand(v, ex, "exitcodes", source).split("\\s*,\\s*"));
            if (codes.equals(List.of("0"))) r.mapped(subject, "exitcodes 0", "(exit 0 is a normal exit)");
            else r.approx(subject, "exitcodes " + String.join(",", codes), "(exit 0 is a normal exit)", "Sabot treats only exit 0 as expected; other codes count as crashes");
        }
        // startsecs: how long a process must stay up to count as started
        v = keys.remove("startsecs");
        int startsecs = v == null ? 1 : integer(v, 1, source, section, "startsecs");
        a.startSeconds = (double) startsecs;
        r.mapped(subject, v == null ? "(supervisord default: startsecs 1)" : "startsecs " + startsecs, "health.startSeconds " + startsecs);
        // startretries: failed starts in a row before FATAL; supervisord waits 1 s, 2 s, 3 s... between them
        v = keys.remove("startretries");
        int retries = v == null ? 3 : integer(v, 3, source, section, "startretries");
        a.maxRestarts = retries;
        a.backoffInitialMs = 1000L;
        a.backoffMultiplier = 2.0;
        a.backoffMaxMs = Math.max(1000L, retries * 1000L);
        a.backoffResetAfterMs = startsecs * 1000L;
        long window = (long) (retries + 1) * Math.max(1, startsecs) + 1;
        for (int k = 0; k < retries; k++) window += Math.min(a.backoffMaxMs, (long) (1000 * Math.pow(2, k))) / 1000;
        a.withinSeconds = (int) Math.min(86_400L * 365, Math.max(1, window));
        r.approx(subject, v == null ? "(supervisord default: startretries 3)" : "startretries " + retries,
                "restart.maxRestarts " + retries + " within " + a.withinSeconds + " s, backoff 1 s doubling up to " + a.backoffMaxMs / 1000 + " s",
                "supervisord gives up after " + retries + " failed starts in a row (FATAL); Sabot goes FAILED after more than " + retries
                        + " restarts within the window, which failed starts fill and long runs do not");
        // stopping
        v = keys.remove("stopsignal");
        String sig = v == null ? "TERM" : expand(v, ex, "stopsignal", source).toUpperCase(Locale.ROOT).replaceFirst("^SIG", "");
        if (sig.equals("TERM") || sig.equals("15")) {
            if (v != null) r.mapped(subject, "stopsignal " + sig, "(SIGTERM: how Sabot stops)");
        } else {
            r.none(subject, "stopsignal " + sig, "Sabot stops with SIGTERM to the process group, then SIGKILL after stopGraceMs");
        }
        v = keys.remove("stopwaitsecs");
        int wait = v == null ? 10 : integer(v, 10, source, section, "stopwaitsecs");
        a.stopGraceMs = wait * 1000L;
        r.mapped(subject, v == null ? "(supervisord default: stopwaitsecs 10)" : "stopwaitsecs " + wait, "stopGraceMs " + a.stopGraceMs);
        for (String k : List.of("stopasgroup", "killasgroup")) {
            v = keys.remove(k);
            if (v == null) continue;
            if (v.text().equalsIgnoreCase("true")) r.mapped(subject, k + " true", "(always: Sabot signals the whole process group)");
            else r.approx(subject, k + " false", "(process group)", "Sabot always signals the whole process group");
        }
        v = keys.remove("redirect_stderr");
        if (v != null) {
            if (v.text().equalsIgnoreCase("true")) r.mapped(subject, "redirect_stderr true", "(one log: Sabot captures stdout and stderr together)");
            else r.approx(subject, "redirect_stderr false", "(one log)", "Sabot captures stdout and stderr into one log");
        }
        v = keys.remove("autostart");
        if (v != null) {
            boolean on = !v.text().equalsIgnoreCase("false");
            r.approx(subject, "autostart " + on, "(deploy)", on ? "deploying does not start agents: run sabot agents start --all (a running engine restarts what was running)"
                    : "deployed, not started");
        }
        for (Map.Entry<String, IniFile.Value> e : new ArrayList<>(keys.entrySet())) {
            if (e.getKey().equals("environment") || e.getKey().equals("directory")) continue;
            String why = NO_EQUIVALENT.get(e.getKey());
            r.none(subject, e.getKey() + " " + Values.show(e.getValue().text()), why != null ? why : "not a supervisord program setting Sabot knows");
        }
    }

    private static void include(IniFile ini, Path here, Map<String, Object> base, ImportReport r, String source) throws ImportException {
        Map<String, IniFile.Value> inc = ini.sections.get("include");
        if (inc == null) return;
        IniFile.Value files = inc.get("files");
        if (files == null) throw new ImportException(source + ": [include] has no files= line");
        List<Path> found = new ArrayList<>();
        for (String pattern : expand(files, base, "[include] files", source).split("\\s+")) {
            if (pattern.isBlank()) continue;
            Path p = here.resolve(pattern);
            Path dir = p.getParent();
            String glob = p.getFileName().toString();
            if (dir == null || !Files.isDirectory(dir)) continue;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
                TreeSet<Path> sorted = new TreeSet<>();
                ds.forEach(sorted::add);
                found.addAll(sorted);
            } catch (IOException | java.util.regex.PatternSyntaxException e) {
                throw new ImportException(source + ": [include] files " + pattern + ": " + e.getMessage());
            }
        }
        for (Path p : found) {
            // included files cannot include others (supervisord's rule too)
            IniFile other = IniFile.parse(Importer.read(p), p.toString());
            other.sections.remove("include");
            ini.merge(other);
        }
        r.mapped("[include]", "files " + Values.show(files.text()), found.size() + (found.size() == 1 ? " file" : " files") + " read", found.isEmpty() ? "none matched" : "");
        inc.keySet().stream().filter(k -> !k.equals("files")).forEach(k -> r.none("[include]", k, "not an [include] setting"));
    }

    private static String expand(IniFile.Value v, Map<String, Object> names, String what, String source) throws ImportException {
        try {
            return PythonFormat.expand(v.text(), names);
        } catch (IllegalArgumentException e) {
            throw new ImportException(source + ": line " + v.line() + ": " + what + ": " + e.getMessage());
        }
    }

    private static int integer(IniFile.Value v, int dflt, String source, String section, String key) throws ImportException {
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v.text().strip());
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new ImportException(source + ": line " + v.line() + ": [" + section + "] " + key + " must be a whole number >= 0, was " + Values.show(v.text()));
        }
    }

    /**
     * supervisord's {@code KEY="val",KEY2=val2}: commas separate pairs, quotes allow commas and
     * are removed.
     */
    static Map<String, String> environment(String s, String source, int line) throws ImportException {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (char c : s.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
                cur.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                cur.append(c);
            } else if (c == ',' || c == '\n') {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (quote != 0) throw new ImportException(source + ": line " + line + ": environment has an unclosed quote");
        parts.add(cur.toString());
        for (String p : parts) {
            if (p.isBlank()) continue;
            int eq = p.indexOf('=');
            if (eq <= 0) throw new ImportException(source + ": line " + line + ": environment: expected KEY=value, was " + Values.show(p.strip()));
            String k = p.substring(0, eq).strip();
            String val = p.substring(eq + 1).strip();
            if (val.length() >= 2 && (val.charAt(0) == '"' || val.charAt(0) == '\'') && val.charAt(val.length() - 1) == val.charAt(0)) {
                val = val.substring(1, val.length() - 1);
            }
            out.put(k, val);
        }
        return out;
    }

    private static String maskedKeys(Map<String, String> env) {
        List<String> shown = new ArrayList<>();
        env.forEach((k, v) -> shown.add(k + "=" + Secrets.maskValue(k, Values.show(v))));
        return Values.show(String.join(" ", shown));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
