package io.sabot.telemetry;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * OTLP trace export settings from the standard {@code OTEL_*} variables.
 *
 * <p>Export is on when {@code OTEL_TRACES_EXPORTER} lists {@code otlp}, or when it is unset and
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} is set; it is
 * off with {@code OTEL_TRACES_EXPORTER=none} (or any list without {@code otlp}) and with
 * {@code OTEL_SDK_DISABLED=true}. Endpoint: the traces endpoint as is, else the base endpoint +
 * {@code /v1/traces}, else {@code http://localhost:4318/v1/traces}. Headers: {@code k=v,k2=v2}
 * (URL-encoded values) from {@code OTEL_EXPORTER_OTLP_HEADERS}, overridden per key by
 * {@code OTEL_EXPORTER_OTLP_TRACES_HEADERS}. Protocol {@code http/protobuf} (default) or
 * {@code grpc}; timeout ({@code *_TIMEOUT}, ms) and compression ({@code gzip}/{@code none}).
 */
public record OtlpSettings(String endpoint, Map<String, String> headers, String protocol, Duration timeout,
                           String compression, List<String> warnings) {
    public static final String DEFAULT_HTTP_ENDPOINT = "http://localhost:4318/v1/traces";
    public static final String DEFAULT_GRPC_ENDPOINT = "http://localhost:4317";

    public OtlpSettings {
        headers = Map.copyOf(headers);
        warnings = List.copyOf(warnings);
    }

    /** The settings, or empty when OTLP export is off. */
    public static Optional<OtlpSettings> fromEnv(Map<String, String> env) {
        if ("true".equalsIgnoreCase(get(env, "OTEL_SDK_DISABLED"))) return Optional.empty();
        String exporters = get(env, "OTEL_TRACES_EXPORTER");
        String tracesEndpoint = get(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        String baseEndpoint = get(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
        List<String> warnings = new ArrayList<>();
        if (exporters != null) {
            boolean otlp = false;
            for (String e : exporters.split(",")) {
                String x = e.trim().toLowerCase(Locale.ROOT);
                if (x.equals("otlp")) otlp = true;
                else if (!x.isEmpty() && !x.equals("none")) warnings.add("OTEL_TRACES_EXPORTER: '" + x + "' is not supported (only otlp)");
            }
            if (!otlp) return Optional.empty();
        } else if (tracesEndpoint == null && baseEndpoint == null) {
            return Optional.empty();
        }

        String protocol = first(get(env, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"), get(env, "OTEL_EXPORTER_OTLP_PROTOCOL"),
                "http/protobuf").toLowerCase(Locale.ROOT);
        if (!protocol.equals("http/protobuf") && !protocol.equals("grpc")) {
            warnings.add("OTLP protocol '" + protocol + "' is not supported; using http/protobuf");
            protocol = "http/protobuf";
        }
        boolean grpc = protocol.equals("grpc");
        String endpoint;
        if (tracesEndpoint != null) endpoint = tracesEndpoint;
        else if (baseEndpoint != null) endpoint = grpc ? baseEndpoint : withPath(baseEndpoint);
        else endpoint = grpc ? DEFAULT_GRPC_ENDPOINT : DEFAULT_HTTP_ENDPOINT;

        Map<String, String> headers = new LinkedHashMap<>();
        parseHeaders(get(env, "OTEL_EXPORTER_OTLP_HEADERS"), headers, warnings);
        parseHeaders(get(env, "OTEL_EXPORTER_OTLP_TRACES_HEADERS"), headers, warnings);

        Duration timeout = Duration.ofSeconds(10);
        String t = first(get(env, "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT"), get(env, "OTEL_EXPORTER_OTLP_TIMEOUT"), null);
        if (t != null) {
            try {
                timeout = Duration.ofMillis(Long.parseLong(t.trim()));
            } catch (NumberFormatException e) {
                warnings.add("OTLP timeout '" + t + "' is not a number of milliseconds; using 10000");
            }
        }
        String compression = first(get(env, "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION"),
                get(env, "OTEL_EXPORTER_OTLP_COMPRESSION"), "none").toLowerCase(Locale.ROOT);
        if (!compression.equals("gzip") && !compression.equals("none")) {
            warnings.add("OTLP compression '" + compression + "' is not supported; using none");
            compression = "none";
        }
        return Optional.of(new OtlpSettings(endpoint, headers, protocol, timeout, compression, warnings));
    }

    /** The settings with header values of secret-looking names masked, for display. */
    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>();
        headers.forEach((k, v) -> shown.put(k, Secrets.isSecretName(k) || k.equalsIgnoreCase("authorization") ? Secrets.MASK : v));
        return "OTLP " + protocol + " " + endpoint + (shown.isEmpty() ? "" : " headers=" + shown.keySet());
    }

    private static String withPath(String base) {
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces";
    }

    private static void parseHeaders(String spec, Map<String, String> into, List<String> warnings) {
        if (spec == null) return;
        for (String part : spec.split(",")) {
            if (part.isBlank()) continue;
            int eq = part.indexOf('=');
            if (eq <= 0) {
                warnings.add("OTLP header entry without '=' ignored");
                continue;
            }
            String key = part.substring(0, eq).trim();
            String value = URLDecoder.decode(part.substring(eq + 1).trim(), StandardCharsets.UTF_8);
            into.put(key, value);
        }
    }

    private static String get(Map<String, String> env, String key) {
        String v = env.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String first(String a, String b, String dflt) {
        return a != null ? a : b != null ? b : dflt;
    }
}
