package io.sabot.launch;

/** What closing an attached console does to the engine: nothing (the default) or stop it and every agent. */
public enum QuitChoice {
    /** The engine and its agents keep running in the background. */
    KEEP_RUNNING,
    /** Stop every agent (they stay stopped next time), then the engine. */
    STOP_EVERYTHING
}
