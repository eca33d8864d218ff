package io.sabot.agent;

import java.nio.file.Path;
import java.util.Map;

/**
 * Settings of the built-in agent runtime, from its environment.
 *
 * <table>
 * <caption>Environment</caption>
 * <tr><td>SABOT_INSTANCE, SABOT_AGENT, SABOT_HOME, TRACEPARENT</td><td>set by the engine</td></tr>
 * <tr><td>SABOT_HEARTBEAT_MS</td><td>heartbeat period, default 1000</td></tr>
 * <tr><td>SABOT_BATCH</td><td>most records per batch (and per commit), default 500</td></tr>
 * <tr><td>SABOT_LINGER_MS</td><td>how long available records may wait for a fuller batch, default 200</td></tr>
 * <tr><td>SABOT_DRAIN_TIMEOUT_MS</td><td>on SIGTERM, how long to wait for the batch to finish, default 1500</td></tr>
 * <tr><td>SABOT_AUDIT_DIR</td><td>tests: append {@code topic partition start endExclusive instance} per batch
 *   to {@code DIR/topic-partition.log}</td></tr>
 * </table>
 * (Fault injection for tests lives in the test-only entry point {@code io.sabot.agent.TestAgentMain}.)
 */
public record AgentConfig(String kind, String instance, String agent, String home, String traceparent,
                          long heartbeatMs, int batchSize, long lingerMs, long drainTimeoutMs, Path auditDir) {

    public static AgentConfig fromEnv(String kind, Map<String, String> env) {
        String audit = env.get("SABOT_AUDIT_DIR");
        return new AgentConfig(kind,
                env.getOrDefault("SABOT_INSTANCE", kind.concat("-0")),
                env.getOrDefault("SABOT_AGENT", kind),
                env.get("SABOT_HOME"),
                env.get("TRACEPARENT"),
                Math.max(10, num(env, "SABOT_HEARTBEAT_MS", 1000)),
                (int) Math.max(1, Math.min(1_000_000, num(env, "SABOT_BATCH", 500))),
                Math.max(0, num(env, "SABOT_LINGER_MS", 200)),
                Math.max(0, num(env, "SABOT_DRAIN_TIMEOUT_MS", 1500)),
                audit == null || audit.isBlank() ? null : Path.of(audit));
    }

    private static long num(Map<String, String> env, String key, long dflt) {
        String v = env.get(key);
        if (v == null || v.isBlank()) return dflt;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            System.err.println("sabot-agent: ignoring " + key + "=" + v + " (not an integer)");
            return dflt;
        }
    }
}
