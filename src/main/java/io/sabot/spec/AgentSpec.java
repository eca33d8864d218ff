package io.sabot.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One agent as deployed: resolved, every default filled in (see {@link SpecParser} for them).
 * Exactly one of {@code command} and {@code builtin} is set. {@code logs} is null for the
 * defaults ({@link LogSpec#DEFAULT}), so specs without it read and print as before.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentSpec(
        String name,
        List<String> command,
        String builtin,
        String workdir,
        Map<String, String> env,
        int concurrency,
        String group,
        SupervisionStrategy strategy,
        List<String> dependsOn,
        String topic,
        long startTimeoutMs,
        long stopGraceMs,
        boolean protocol,
        RestartSpec restart,
        HealthSpec health,
        LimitsSpec limits,
        LogSpec logs) {

    public AgentSpec {
        command = command == null ? null : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }

    public String instanceId(int index) { return InstanceIds.of(name, index); }

    public AgentSpec withConcurrency(int n) {
        return new AgentSpec(name, command, builtin, workdir, env, n, group, strategy, dependsOn, topic,
                startTimeoutMs, stopGraceMs, protocol, restart, health, limits, logs);
    }

    public AgentSpec withStrategy(SupervisionStrategy s) {
        return new AgentSpec(name, command, builtin, workdir, env, concurrency, group, s, dependsOn, topic,
                startTimeoutMs, stopGraceMs, protocol, restart, health, limits, logs);
    }

    /** Same spec apart from the instance count. */
    public boolean sameExceptConcurrency(AgentSpec other) {
        return other != null && withConcurrency(0).equals(other.withConcurrency(0));
    }
}
