package io.sabot.host;

/** Another engine holds this home (exit code 3). The message names the holder. */
public final class HomeLockedException extends Exception {
    private static final long serialVersionUID = 1L;

    public HomeLockedException(String message) { super(message); }
}
