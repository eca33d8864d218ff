package io.sabot.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the spec's {@code "alerts"} list into {@link AlertSpec}s, recording every problem with its
 * field path ({@code alerts[1].webhook}) like the rest of the spec. Secrets never appear in an
 * error: a bad URL is named by its scheme and host only, header values not at all.
 *
 * <p>Defaults: crash_loop 3 restarts within 60 s, resolved after 60 s without a restart; lag
 * holds for 60 s; memory at 90% of the limit for 10 s; rebalance_storm 5 rebalances of a topic
 * within 60 s; broker_unreachable for 30 s; 10 deliveries per rule and minute; 5 webhook retries.
 */
public final class AlertSpecParser {
    private static final Set<String> COMMON = Set.of("name", "on", "agents", "webhook", "headers", "slack", "command",
            "desktop", "maxPerMinute", "retries");
    private static final Map<String, Set<String>> THRESHOLDS = Map.of(
            AlertSpec.FAILED, Set.of(),
            AlertSpec.CRASH_LOOP, Set.of("restarts", "withinSeconds", "stableSeconds"),
            AlertSpec.LAG, Set.of("records", "seconds", "forSeconds"),
            AlertSpec.MEMORY, Set.of("percent", "forSeconds"),
            AlertSpec.REBALANCE_STORM, Set.of("rebalances", "withinSeconds"),
            AlertSpec.BROKER_UNREACHABLE, Set.of("cluster", "forSeconds"));

    private final List<SpecError> errors;

    private AlertSpecParser(List<SpecError> errors) { this.errors = errors; }

    /** Parses {@code n} (the value of "alerts", may be null) into rules; problems go to {@code errors}. */
    public static List<AlertSpec> parse(JsonNode n, List<SpecError> errors) {
        return new AlertSpecParser(errors).alerts(n);
    }

    private List<AlertSpec> alerts(JsonNode n) {
        List<AlertSpec> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        if (!n.isArray()) {
            error("alerts", "must be a list, was " + SpecParser.kind(n));
            return out;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < n.size(); i++) {
            String path = "alerts[" + i + "]";
            AlertSpec a = alert(n.get(i), path);
            if (a == null) continue;
            Integer prev = seen.putIfAbsent(a.name(), i);
            if (prev != null) error(path + ".name", "duplicate alert \"" + a.name() + "\" (also alerts[" + prev + "])");
            else out.add(a);
        }
        return out;
    }

    private AlertSpec alert(JsonNode n, String path) {
        if (!n.isObject()) {
            error(path, "must be an object, was " + SpecParser.kind(n));
            return null;
        }
        int before = errors.size();
        String name = text(n, path, "name", null);
        if (name == null && !n.hasNonNull("name")) error(path + ".name", "is required");
        else if (name != null && !SpecParser.NAME.matcher(name).matches()) {
            error(path + ".name", "must match " + SpecParser.NAME.pattern() + ", was \"" + name + "\"");
        }
        String on = text(n, path, "on", null);
        if (on == null && !n.hasNonNull("on")) error(path + ".on", "is required; one of " + AlertSpec.KINDS);
        else if (on != null && !AlertSpec.KINDS.contains(on)) {
            error(path + ".on", "unknown value \"" + on + "\"; one of " + AlertSpec.KINDS);
            on = null;
        }
        Set<String> known = new java.util.TreeSet<>(COMMON);
        if (on != null) known.addAll(THRESHOLDS.get(on));
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (known.contains(f)) continue;
            boolean elsewhere = THRESHOLDS.values().stream().anyMatch(s -> s.contains(f));
            error(path + "." + f, elsewhere && on != null ? "does not apply to \"on\": \"" + on + "\"; fields here: " + known
                    : "unknown field; known: " + known);
        }
        List<String> agents = names(n, path, "agents");
        Integer restarts = intOr(n, path, "restarts", 3, 1, 1_000_000);
        Integer within = intOr(n, path, "withinSeconds", 60, 1, 86_400 * 7);
        Integer rebalances = intOr(n, path, "rebalances", 5, 1, 1_000_000);
        Long records = n.hasNonNull("records") ? (long) number(n, path, "records", 0, 0, 1e15) : null;
        Double seconds = n.hasNonNull("seconds") ? number(n, path, "seconds", 0, 0, 86_400 * 365) : null;
        Integer forSeconds = intOr(n, path, "forSeconds", AlertSpec.MEMORY.equals(on) ? 10 : AlertSpec.BROKER_UNREACHABLE.equals(on) ? 30 : 60, 0, 86_400);
        Integer percent = intOr(n, path, "percent", 90, 1, 100);
        Integer stable = intOr(n, path, "stableSeconds", within == null ? 60 : within, 1, 86_400 * 7);
        String cluster = text(n, path, "cluster", null);
        if (AlertSpec.LAG.equals(on) && records == null && seconds == null && !n.has("records") && !n.has("seconds")) {
            error(path, "a lag alert needs \"records\" (records behind) or \"seconds\" (seconds behind), or both");
        }
        String webhook = text(n, path, "webhook", null);
        if (webhook != null) checkUrl(webhook, path + ".webhook");
        Map<String, String> headers = headers(n, path);
        if (!headers.isEmpty() && webhook == null) error(path + ".headers", "applies to a webhook; this alert has none");
        boolean slack = bool(n, path, "slack");
        if (slack && webhook == null) error(path + ".slack", "applies to a webhook; this alert has none");
        List<String> command = argv(n, path);
        boolean desktop = bool(n, path, "desktop");
        int maxPerMinute = intOr(n, path, "maxPerMinute", 10, 1, 10_000);
        int retries = intOr(n, path, "retries", 5, 0, 20);
        if (errors.size() > before || name == null || on == null) return null;
        boolean crash = on.equals(AlertSpec.CRASH_LOOP), storm = on.equals(AlertSpec.REBALANCE_STORM);
        boolean timed = on.equals(AlertSpec.LAG) || on.equals(AlertSpec.MEMORY) || on.equals(AlertSpec.BROKER_UNREACHABLE);
        return new AlertSpec(name, on, agents, crash ? restarts : null, crash || storm ? within : null, storm ? rebalances : null,
                records, seconds, timed ? forSeconds : null, on.equals(AlertSpec.MEMORY) ? percent : null, crash ? stable : null,
                cluster, webhook, headers, slack, command, desktop, maxPerMinute, retries);
    }

    private void checkUrl(String url, String path) {
        URI u;
        try {
            u = new URI(url);
        } catch (java.net.URISyntaxException e) {
            error(path, "is not a valid URL (" + io.sabot.telemetry.SecretUrls.mask(url) + ")");
            return;
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            error(path, "must be an http:// or https:// URL, was " + (scheme.isEmpty() ? "a URL without a scheme" : "a " + scheme + ": URL"));
        } else if (u.getHost() == null || u.getHost().isEmpty()) {
            error(path, "has no host (" + io.sabot.telemetry.SecretUrls.mask(url) + ")");
        }
    }

    private Map<String, String> headers(JsonNode n, String path) {
        JsonNode v = n.get("headers");
        if (v == null || v.isNull()) return Map.of();
        String p = path + ".headers";
        if (!v.isObject()) { error(p, "must be an object of header names to string values, was " + SpecParser.kind(v)); return Map.of(); }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (k.isEmpty() || !k.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
                error(p, "invalid header name \"" + k.replaceAll("[^\\x21-\\x7e]", "?") + "\"");
            } else if (!e.getValue().isTextual()) {
                error(p + "." + k, "must be a string (its value is not shown: header values are treated as secrets)");
            } else if (e.getValue().asText().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                error(p + "." + k, "must not contain line breaks or NUL (its value is not shown)");
            } else {
                out.put(k, e.getValue().asText());
            }
        }
        return out;
    }

    private List<String> argv(JsonNode n, String path) {
        JsonNode v = n.get("command");
        if (v == null || v.isNull()) return null;
        String p = path + ".command";
        if (!v.isArray()) { error(p, "must be a list of strings (an argv, run without a shell), was " + SpecParser.kind(v)); return null; }
        if (v.isEmpty()) { error(p, "must not be empty"); return null; }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual() || e.asText().indexOf('\0') >= 0) { error(p + "[" + i + "]", "must be a string without NUL"); continue; }
            out.add(e.asText());
        }
        if (!out.isEmpty()) {
            String exe = out.get(0);
            String problem = exe.isEmpty() ? "must not be empty"
                    : exe.contains("/") ? (java.nio.file.Path.of(exe).isAbsolute() ? ExecutableCheck.problem(java.nio.file.Path.of(exe)) : "must be an absolute path or a command on PATH")
                    : ExecutableCheck.onPath(exe) == null ? "command \"" + exe + "\" not found on PATH" : null;
            if (problem != null) error(p + "[0]", problem);
        }
        return out;
    }

    private List<String> names(JsonNode n, String path, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) return List.of();
        String p = path + "." + f;
        if (!v.isArray()) { error(p, "must be a list of agent names, was " + SpecParser.kind(v)); return List.of(); }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual() || !SpecParser.NAME.matcher(e.asText()).matches()) error(p + "[" + i + "]", "must be an agent name, was " + SpecParser.kind(e));
            else out.add(e.asText());
        }
        return out;
    }

    private String text(JsonNode n, String path, String f, String dflt) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) return dflt;
        if (!v.isTextual()) {
            // a webhook URL may hold a token: the value is never echoed
            error(path + "." + f, "must be a string, was " + (f.equals("webhook") ? "a " + v.getNodeType().toString().toLowerCase(Locale.ROOT) : SpecParser.kind(v)));
            return dflt;
        }
        if (v.asText().isEmpty()) { error(path + "." + f, "must not be empty"); return dflt; }
        return v.asText();
    }

    private boolean bool(JsonNode n, String path, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) { error(path + "." + f, "must be true or false, was " + SpecParser.kind(v)); return false; }
        return v.asBoolean();
    }

    private int intOr(JsonNode n, String path, String f, int dflt, int min, int max) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) return dflt;
        String p = path + "." + f;
        if (!v.isNumber() || v.asDouble() != Math.rint(v.asDouble())) { error(p, "must be a whole number, was " + SpecParser.kind(v)); return dflt; }
        double x = v.asDouble();
        if (x < min) { error(p, "must be >= " + min + ", was " + v.asText()); return dflt; }
        if (x > max) { error(p, "must be <= " + max + ", was " + v.asText()); return dflt; }
        return (int) x;
    }

    private double number(JsonNode n, String path, String f, double dflt, double min, double max) {
        JsonNode v = n.get(f);
        String p = path + "." + f;
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) { error(p, "must be a number, was " + SpecParser.kind(v)); return dflt; }
        double x = v.asDouble();
        if (x < min) { error(p, "must be >= " + min + ", was " + v.asText()); return dflt; }
        if (x > max) { error(p, "must be <= " + max + ", was " + v.asText()); return dflt; }
        return x;
    }

    private void error(String path, String msg) { errors.add(new SpecError(path, msg)); }
}
