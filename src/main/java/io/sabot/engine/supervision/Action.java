package io.sabot.engine.supervision;

import java.util.List;

/**
 * What {@link GroupSupervisor#decide} asks the engine to do. The engine carries the actions of a
 * decision out in the order given and reports back with {@link SupervisionEvent}s.
 */
public sealed interface Action {

    /**
     * Stop these members one after the other in this order (termination order: the reverse of
     * spec order), each gracefully within its grace, then report {@link SupervisionEvent.Stopped}
     * with this token.
     */
    record Stop(long token, List<String> members, String reason) implements Action {
        public Stop { members = List.copyOf(members); }
    }

    /** These members are down and wait for the group's restart: show them in BACKOFF with this reason. */
    record Backoff(List<String> members, long delayMs, String reason) implements Action {
        public Backoff { members = List.copyOf(members); }
    }

    /** Report {@link SupervisionEvent.TimerFired} with this token after this delay (0: at once). */
    record Schedule(long token, long delayMs) implements Action { }

    /**
     * Start this member now. It is the next of a restart in startup order: the group asks for the
     * one after it only when this one reports {@link SupervisionEvent.Started}. {@code crashed}: this
     * member's exit began the restart (the others are restarted by the strategy).
     */
    record Start(String member, boolean crashed) implements Action { }

    /** This member's exit was final for its restart type (temporary, or transient after a normal exit): STOPPED. */
    record Finish(String member, String reason) implements Action { }

    /** These members go FAILED with this reason (the group escalated): nothing starts them but an operator. */
    record Fail(List<String> members, String reason) implements Action {
        public Fail { members = List.copyOf(members); }
    }

    /**
     * The group escalated and every member is down: report it (a group event, a notice). Nothing of
     * the group starts again until an operator starts it.
     */
    record Escalated(String group, List<String> members, String reason) implements Action {
        public Escalated { members = List.copyOf(members); }
    }
}
