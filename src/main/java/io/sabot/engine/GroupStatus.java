package io.sabot.engine;

import java.util.List;

/**
 * A supervision group as its supervisor sees it now: settings, members in startup order, how
 * much of its restart intensity is used ({@code restartsInWindow} of {@code maxRestarts} within
 * {@code withinSeconds}), a restart under way, and why it escalated while it is FAILED.
 */
public record GroupStatus(String name, String strategy, int maxRestarts, int withinSeconds, List<String> members,
                          int restartsInWindow, int restartsLeft, boolean restarting, String failedReason) {
    public GroupStatus {
        members = List.copyOf(members);
    }
}
