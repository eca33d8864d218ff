package io.sabot.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A readiness or liveness probe (contract, "Probes"): exactly one of {@code exec} (an argv, success
 * is exit 0), {@code http} (GET, success is a status in a range), {@code tcp} (a connect) or
 * {@code log} (a regex found in a line the agent writes), plus its timing. Serialises to the
 * contract's shape, so a spec survives the store and the control socket unchanged.
 *
 * <p>Defaults: initialDelayMs 0, periodMs 1000, timeoutMs 1000, successThreshold 1,
 * failureThreshold 3 ({@link #DEFAULT_PERIOD_MS} and friends).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeSpec(List<String> exec, Http http, Tcp tcp, Log log, long initialDelayMs, long periodMs,
                        long timeoutMs, int successThreshold, int failureThreshold) {
    public static final long DEFAULT_PERIOD_MS = 1_000;
    public static final long DEFAULT_TIMEOUT_MS = 1_000;
    public static final int DEFAULT_SUCCESS_THRESHOLD = 1;
    public static final int DEFAULT_FAILURE_THRESHOLD = 3;

    public ProbeSpec {
        exec = exec == null ? null : List.copyOf(exec);
    }

    /** GET {@code url}; success when the status is within {@code status} ("200-399", "200" or "200,204"). */
    public record Http(String url, String status) {
        public static final String DEFAULT_STATUS = "200-399";
    }

    /** A TCP connect to {@code host:port} (host default 127.0.0.1). */
    public record Tcp(String host, int port) { }

    /** Success once a line of the agent's output matches {@code pattern} (Java regex, found anywhere in the line). */
    public record Log(String pattern) { }

    /** "exec", "http", "tcp" or "log". */
    @JsonIgnore
    public String kind() {
        return exec != null ? "exec" : http != null ? "http" : tcp != null ? "tcp" : "log";
    }

    /** One line for people: {@code http GET http://127.0.0.1:8080/ (200-399) every 1000 ms}. */
    @JsonIgnore
    public String describe() {
        String what = switch (kind()) {
            case "exec" -> "exec " + String.join(" ", exec);
            case "http" -> "http GET " + http.url() + " (" + http.status() + ")";
            case "tcp" -> "tcp " + tcp.host() + ":" + tcp.port();
            default -> "log /" + log.pattern() + "/";
        };
        return what + " every " + periodMs + " ms";
    }
}
