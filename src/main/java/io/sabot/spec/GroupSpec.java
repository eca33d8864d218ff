package io.sabot.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A supervision group's own settings ({@code "groups": [...]} in a spec): its strategy and its
 * restart intensity (more than {@code maxRestarts} restarts within {@code withinSeconds} and the
 * group escalates). A field left out (null) comes from the group's agents: the strategy they
 * name, the intensity of the first of them in spec order.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupSpec(String name, SupervisionStrategy strategy, Integer maxRestarts, Integer withinSeconds) {
}
