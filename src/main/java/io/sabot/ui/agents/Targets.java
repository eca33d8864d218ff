package io.sabot.ui.agents;

import io.sabot.engine.Selection;
import java.util.List;

/**
 * What a bulk action acts on: the engine selection, how many instances that is, their names (for
 * the confirmation) and the agents involved (for Scale).
 */
public record Targets(Selection selection, int count, List<String> names, List<String> agents, boolean everything) {
    public String describe() {
        if (names.size() <= 6) return String.join(", ", names);
        return String.join(", ", names.subList(0, 6)) + " and " + (names.size() - 6) + " more";
    }
}
