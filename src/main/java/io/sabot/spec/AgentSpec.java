package io.sabot.spec;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Map;

/**
 * One agent as deployed: resolved, every default filled in (see {@link SpecParser} for them).
 * Exactly one of {@code command} and {@code builtin} is set. {@code logs} is null for the
 * defaults ({@link LogSpec#DEFAULT}), so specs without it read and print as before. {@code state},
 * when set, is its state stores' backend ({@link StateSpec}); null: no durable state.
 *
 * <p>Streams: {@code topics} are the input topics (the spec's {@code topic}, a name or a list);
 * {@code outputs} the topics it produces to; {@code consumerGroup} the consumer group its instances
 * share (default: the agent's name; not the supervision {@code group}); {@code partitionStrategy},
 * when set, overrides the input topics' assignment strategy for this agent's group.
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
        @JsonProperty("topic") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        @JsonSerialize(using = OneOrMany.class) @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<String> topics,
        long startTimeoutMs,
        long stopGraceMs,
        boolean protocol,
        RestartSpec restart,
        HealthSpec health,
        LimitsSpec limits,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> outputs,
        String consumerGroup,
        String partitionStrategy,
        LogSpec logs,
        StateSpec state) {

    public AgentSpec {
        command = command == null ? null : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        topics = topics == null ? List.of() : List.copyOf(topics);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        if (consumerGroup == null) consumerGroup = name; // specs stored before consumer groups existed
        // a stored or hand-written spec without these reads as the parser's defaults, never as null
        if (restart == null) restart = RestartSpec.DEFAULT;
        if (health == null) health = HealthSpec.DEFAULT;
    }

    /** One input topic or none, no outputs, the agent's own consumer group (logs last, as in every shape). */
    public AgentSpec(String name, List<String> command, String builtin, String workdir, Map<String, String> env, int concurrency,
                     String group, SupervisionStrategy strategy, List<String> dependsOn, String topic, long startTimeoutMs,
                     long stopGraceMs, boolean protocol, RestartSpec restart, HealthSpec health, LimitsSpec limits, LogSpec logs) {
        this(name, command, builtin, workdir, env, concurrency, group, strategy, dependsOn, topic == null ? List.of() : List.of(topic),
                startTimeoutMs, stopGraceMs, protocol, restart, health, limits, List.of(), name, null, logs, null);
    }

    /** The first input topic, or null (what round-1 code called the agent's topic). */
    public String topic() { return topics.isEmpty() ? null : topics.get(0); }

    public String instanceId(int index) { return InstanceIds.of(name, index); }

    public AgentSpec withConcurrency(int n) {
        return new AgentSpec(name, command, builtin, workdir, env, n, group, strategy, dependsOn, topics,
                startTimeoutMs, stopGraceMs, protocol, restart, health, limits, outputs, consumerGroup, partitionStrategy, logs, state);
    }

    /** Same spec with another environment (secret masking). */
    public AgentSpec withEnv(Map<String, String> newEnv) {
        return new AgentSpec(name, command, builtin, workdir, newEnv, concurrency, group, strategy, dependsOn, topics,
                startTimeoutMs, stopGraceMs, protocol, restart, health, limits, outputs, consumerGroup, partitionStrategy, logs, state);
    }

    public AgentSpec withStrategy(SupervisionStrategy s) {
        return new AgentSpec(name, command, builtin, workdir, env, concurrency, group, s, dependsOn, topics,
                startTimeoutMs, stopGraceMs, protocol, restart, health, limits, outputs, consumerGroup, partitionStrategy, logs, state);
    }

    /** Same spec apart from the instance count. */
    public boolean sameExceptConcurrency(AgentSpec other) {
        return other != null && withConcurrency(0).equals(other.withConcurrency(0));
    }
}
