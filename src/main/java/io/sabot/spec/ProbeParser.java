package io.sabot.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads {@code health.readiness} and {@code health.liveness} (contract, "Probes"), recording each
 * problem with its field path like {@link SpecParser} does.
 */
final class ProbeParser {
    static final Set<String> FIELDS = Set.of("exec", "http", "tcp", "log", "initialDelayMs", "periodMs", "timeoutMs",
            "successThreshold", "failureThreshold");
    private static final Set<String> KINDS = Set.of("exec", "http", "tcp", "log");
    private static final Pattern STATUS = Pattern.compile("\\d{3}(-\\d{3})?(,\\d{3}(-\\d{3})?)*");

    private final List<SpecError> errors;

    ProbeParser(List<SpecError> errors) { this.errors = errors; }

    private void error(String path, String msg) { errors.add(new SpecError(path, msg)); }

    /** The probe at {@code path}, or null when absent or invalid (the problem is recorded). */
    ProbeSpec probe(JsonNode n, String path) {
        if (n == null || n.isNull()) return null;
        if (!n.isObject()) {
            error(path, "must be an object with one of exec, http, tcp or log, was " + SpecParser.kind(n));
            return null;
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) error(path + "." + f, "unknown field; known: " + new TreeSet<>(FIELDS));
        }
        List<String> kinds = new ArrayList<>();
        for (String k : KINDS) if (n.has(k) && !n.get(k).isNull()) kinds.add(k);
        if (kinds.isEmpty()) {
            error(path, "needs one of exec (an argv), http ({url, status}), tcp ({host, port}) or log ({pattern})");
            return null;
        }
        if (kinds.size() > 1) {
            error(path, "has " + String.join(" and ", kinds) + "; give exactly one kind of check");
            return null;
        }
        long initial = integer(n, path, "initialDelayMs", 0, 0, 3_600_000);
        long period = integer(n, path, "periodMs", ProbeSpec.DEFAULT_PERIOD_MS, 100, 3_600_000);
        long timeout = integer(n, path, "timeoutMs", ProbeSpec.DEFAULT_TIMEOUT_MS, 10, 3_600_000);
        int success = (int) integer(n, path, "successThreshold", ProbeSpec.DEFAULT_SUCCESS_THRESHOLD, 1, 1000);
        int failure = (int) integer(n, path, "failureThreshold", ProbeSpec.DEFAULT_FAILURE_THRESHOLD, 1, 1000);
        int before = errors.size();
        List<String> exec = null;
        ProbeSpec.Http http = null;
        ProbeSpec.Tcp tcp = null;
        ProbeSpec.Log log = null;
        switch (kinds.get(0)) {
            case "exec" -> exec = exec(n.get("exec"), path + ".exec");
            case "http" -> http = http(n.get("http"), path + ".http");
            case "tcp" -> tcp = tcp(n.get("tcp"), path + ".tcp");
            default -> log = log(n.get("log"), path + ".log");
        }
        if (errors.size() > before) return null;
        return new ProbeSpec(exec, http, tcp, log, initial, period, timeout, success, failure);
    }

    private List<String> exec(JsonNode v, String path) {
        if (!v.isArray() || v.isEmpty()) {
            error(path, "must be a non-empty list of strings (an argv, run without a shell), was " + SpecParser.kind(v));
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual() || e.asText().indexOf('\0') >= 0) error(path + "[" + i + "]", "must be a string without NUL, was " + SpecParser.kind(e));
            else out.add(e.asText());
        }
        if (!out.isEmpty() && out.get(0).isEmpty()) error(path + "[0]", "must not be empty");
        return out;
    }

    private ProbeSpec.Http http(JsonNode v, String path) {
        if (!v.isObject()) { error(path, "must be an object {url, status}, was " + SpecParser.kind(v)); return null; }
        unknown(v, path, Set.of("url", "status"));
        JsonNode u = v.get("url");
        if (u == null || !u.isTextual()) { error(path + ".url", "is required (e.g. \"http://127.0.0.1:8080/health\")"); return null; }
        String url = u.asText();
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) error(path + ".url", "must be an http:// or https:// URL, was \"" + url + "\"");
            else if (uri.getHost() == null) error(path + ".url", "has no host: \"" + url + "\"");
        } catch (URISyntaxException e) {
            error(path + ".url", "is not a valid URL: " + e.getMessage());
        }
        String status = ProbeSpec.Http.DEFAULT_STATUS;
        JsonNode s = v.get("status");
        if (s != null && !s.isNull()) {
            status = s.isIntegralNumber() ? s.asText() : s.isTextual() ? s.asText().replace(" ", "") : null;
            if (status == null || !STATUS.matcher(status).matches()) {
                error(path + ".status", "must be a status or range such as \"200\", \"200-399\" or \"200,204\", was " + SpecParser.kind(s));
            }
        }
        return new ProbeSpec.Http(url, status);
    }

    private ProbeSpec.Tcp tcp(JsonNode v, String path) {
        if (!v.isObject()) { error(path, "must be an object {host, port}, was " + SpecParser.kind(v)); return null; }
        unknown(v, path, Set.of("host", "port"));
        String host = "127.0.0.1";
        JsonNode h = v.get("host");
        if (h != null && !h.isNull()) {
            if (!h.isTextual() || h.asText().isBlank()) error(path + ".host", "must be a host name or address, was " + SpecParser.kind(h));
            else host = h.asText();
        }
        long port = integer(v, path, "port", -1, 1, 65_535);
        if (port < 0 && (v.get("port") == null || v.get("port").isNull())) error(path + ".port", "is required (1..65535)");
        return new ProbeSpec.Tcp(host, (int) port);
    }

    private ProbeSpec.Log log(JsonNode v, String path) {
        if (!v.isObject()) { error(path, "must be an object {pattern}, was " + SpecParser.kind(v)); return null; }
        unknown(v, path, Set.of("pattern"));
        JsonNode p = v.get("pattern");
        if (p == null || !p.isTextual() || p.asText().isEmpty()) { error(path + ".pattern", "is required (a regular expression)"); return null; }
        try {
            Pattern.compile(p.asText());
        } catch (PatternSyntaxException e) {
            error(path + ".pattern", "is not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex());
        }
        return new ProbeSpec.Log(p.asText());
    }

    private void unknown(JsonNode n, String path, Set<String> known) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) error(path + "." + f, "unknown field; known: " + new TreeSet<>(known));
        }
    }

    private long integer(JsonNode n, String path, String f, long dflt, long min, long max) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) return dflt;
        String p = path + "." + f;
        if (!v.isIntegralNumber() && !(v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) {
            error(p, "must be a whole number, was " + SpecParser.kind(v));
            return dflt;
        }
        long x = v.asLong();
        if (x < min) { error(p, "must be >= " + min + ", was " + x); return dflt; }
        if (x > max) { error(p, "must be <= " + max + ", was " + x); return dflt; }
        return x;
    }
}
