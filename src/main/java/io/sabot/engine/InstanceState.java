package io.sabot.engine;

/** The states of an agent instance (the contract's list). */
public enum InstanceState {
    STOPPED, STARTING, RUNNING, STOPPING, BACKOFF, FAILED;

    /** A process exists (or is about to) in this state. */
    public boolean live() { return this == STARTING || this == RUNNING || this == STOPPING; }
}
