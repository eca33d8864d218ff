package io.sabot.cli;

/** The contract's exit codes. */
public final class ExitCodes {
    public static final int OK = 0;
    /** the operation ran but at least one agent's part failed */
    public static final int PARTIAL = 1;
    /** bad input: usage, unreadable or invalid spec */
    public static final int BAD_INPUT = 2;
    /** no engine on this home, or the home is held */
    public static final int NO_ENGINE = 3;
    /** the console cannot open a window here (no display, no GTK); the message says what to install */
    public static final int CONSOLE_UNAVAILABLE = 4;

    private ExitCodes() {}
}
