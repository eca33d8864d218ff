package io.sabot.engine.supervision;

import java.util.List;

/** The group's next state and what the engine must do, in order. */
public record Decision(GroupState state, List<Action> actions) {
    public Decision {
        actions = List.copyOf(actions);
    }
}
