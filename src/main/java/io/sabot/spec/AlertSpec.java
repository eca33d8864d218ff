package io.sabot.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One alert rule as deployed (the contract's {@code "alerts"} entries), every default filled in
 * by {@link AlertSpecParser}. A rule watches one condition ({@code on}) over the agents it names
 * (all when {@code agents} is empty) and is delivered to the console always, and to each channel
 * it names: a webhook, a command hook, the desktop.
 *
 * @param name            the rule's name (what a webhook receives as {@code alert})
 * @param on              failed, crash_loop, lag, memory, rebalance_storm, broker_unreachable
 * @param agents          agent names the rule applies to; empty: every agent
 * @param restarts        crash_loop: restarts ...
 * @param withinSeconds   crash_loop and rebalance_storm: ... within this window
 * @param rebalances      rebalance_storm: rebalances of one topic within the window
 * @param records         lag: records behind (null: not checked)
 * @param seconds         lag: seconds behind (null: not checked)
 * @param forSeconds      lag, memory, broker_unreachable: how long the condition must hold before it fires
 * @param percent         memory: resident memory as a percentage of the instance's limit
 * @param stableSeconds   crash_loop: no restart for this long resolves the alert
 * @param cluster         broker_unreachable: the Kafka cluster (null: any)
 * @param webhook         URL that receives a JSON POST (null: none)
 * @param headers         extra HTTP headers for the webhook (values are secrets: masked wherever echoed)
 * @param slack           post a Slack-compatible body ({@code {"text": ...}}) instead of the contract's
 * @param command         argv run with the alert in its environment, never through a shell (null: none)
 * @param desktop         a freedesktop notification where a session bus exists
 * @param maxPerMinute    rate limit: deliveries of this rule per minute; more are counted and dropped
 * @param retries         webhook attempts after the first, with exponential backoff
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertSpec(
        String name,
        String on,
        List<String> agents,
        Integer restarts,
        Integer withinSeconds,
        Integer rebalances,
        Long records,
        Double seconds,
        Integer forSeconds,
        Integer percent,
        Integer stableSeconds,
        String cluster,
        String webhook,
        Map<String, String> headers,
        boolean slack,
        List<String> command,
        boolean desktop,
        int maxPerMinute,
        int retries) {

    public static final String FAILED = "failed";
    public static final String CRASH_LOOP = "crash_loop";
    public static final String LAG = "lag";
    public static final String MEMORY = "memory";
    public static final String REBALANCE_STORM = "rebalance_storm";
    public static final String BROKER_UNREACHABLE = "broker_unreachable";
    public static final List<String> KINDS = List.of(FAILED, CRASH_LOOP, LAG, MEMORY, REBALANCE_STORM, BROKER_UNREACHABLE);

    public AlertSpec {
        agents = agents == null ? List.of() : List.copyOf(agents);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        command = command == null ? null : List.copyOf(command);
    }

    /** Whether the rule watches this agent. */
    public boolean covers(String agent) { return agents.isEmpty() || agents.contains(agent); }

    /** This rule as shown to clients: webhook URL and header values masked. */
    public AlertSpec masked() {
        if (webhook == null && headers.isEmpty()) return this;
        return withChannels(io.sabot.telemetry.SecretUrls.mask(webhook), io.sabot.telemetry.SecretUrls.maskHeaders(headers));
    }

    /**
     * A client that shows the masked rule and sends it back must not replace a secret with its
     * mask: a masked URL or header value keeps what is deployed now ({@code deployed} may be null).
     */
    public AlertSpec keepMaskedFrom(AlertSpec deployed) {
        if (deployed == null) return this;
        String url = webhook != null && io.sabot.telemetry.SecretUrls.isMasked(webhook)
                && io.sabot.telemetry.SecretUrls.mask(deployed.webhook()) != null
                && io.sabot.telemetry.SecretUrls.mask(deployed.webhook()).equals(webhook) ? deployed.webhook() : webhook;
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.replaceAll((k, v) -> io.sabot.telemetry.Secrets.MASK.equals(v) && deployed.headers().containsKey(k) ? deployed.headers().get(k) : v);
        return withChannels(url, h);
    }

    public AlertSpec withChannels(String webhook, Map<String, String> headers) {
        return new AlertSpec(name, on, agents, restarts, withinSeconds, rebalances, records, seconds, forSeconds, percent,
                stableSeconds, cluster, webhook, headers, slack, command, desktop, maxPerMinute, retries);
    }
}
