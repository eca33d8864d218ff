package io.sabot.engine.supervision;

import io.sabot.spec.RestartPolicy;

/**
 * One member of a group as supervision sees it: its id, its restart type (OTP's {@code restart}:
 * permanent, transient, temporary) and what the engine last knew of it.
 */
public record Member(String id, RestartPolicy type, Status status) {

    /** What the engine knows of a member, from its instance's state. */
    public enum Status {
        /** RUNNING */
        UP,
        /** STARTING: spawned, not ready yet */
        STARTING,
        /** STOPPING: someone asked it to stop */
        STOPPING,
        /** BACKOFF: down, waiting for the group to start it again */
        WAITING,
        /** STOPPED: an operator stopped it, it never ran, or its exit was final for its restart type */
        DOWN,
        /** FAILED */
        FAILED;

        /** Has (or is about to have) a process that a restart must stop first. */
        public boolean live() { return this == UP || this == STARTING; }
    }

    public Member withStatus(Status s) { return new Member(id, type, s); }
}
