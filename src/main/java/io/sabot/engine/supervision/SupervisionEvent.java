package io.sabot.engine.supervision;

import java.util.List;

/**
 * What happens to a group, fed to {@link GroupSupervisor#decide}. Every event carries the
 * monotonic time it happened at ({@code nanos}, from {@code System.nanoTime()} or a test clock),
 * never the wall clock: intensity windows and backoff must not jump with NTP.
 */
public sealed interface SupervisionEvent {
    long nanos();

    /**
     * A member's process ended without the engine asking it to: it crashed, exited, or the engine
     * killed it for a reason of its own (health, a limit, a start timeout), which is abnormal.
     */
    record Exited(long nanos, String member, boolean abnormal, String reason) implements SupervisionEvent { }

    /** A start the group asked for could not even spawn a process (missing command, no fds...). */
    record StartFailed(long nanos, String member, String reason) implements SupervisionEvent { }

    /** A member became RUNNING (ready), whoever started it. */
    record Started(long nanos, String member) implements SupervisionEvent { }

    /** The {@link Action.Stop} with this token has stopped every member it named. */
    record Stopped(long nanos, long token) implements SupervisionEvent { }

    /** The backoff timer of {@link Action.Schedule} with this token fired. */
    record TimerFired(long nanos, long token) implements SupervisionEvent { }

    /** An operator (or a deploy, or recovery) starts these members; a group that escalated is cleared. */
    record OperatorStart(long nanos, List<String> members) implements SupervisionEvent {
        public OperatorStart { members = List.copyOf(members); }
    }

    /** An operator (or a deploy, or a scale-down) stops these members: the group leaves them alone. */
    record OperatorStop(long nanos, List<String> members) implements SupervisionEvent {
        public OperatorStop { members = List.copyOf(members); }
    }
}
