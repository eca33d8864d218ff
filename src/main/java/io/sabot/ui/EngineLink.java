package io.sabot.ui;

/**
 * Which engine the console shows and how it holds it: in this process (closing the window stops
 * it and its agents) or attached to a daemon (closing leaves it running; quitting may stop it),
 * possibly one this console started in the background.
 */
public record EngineLink(long pid, String home, boolean attached, boolean startedByConsole) {
    /** The status bar's words for it. */
    public String describe() {
        if (!attached) return "engine in this window (pid " + pid + ") \u00b7 " + home;
        return "attached to engine pid " + pid + (startedByConsole ? " (started in the background)" : "") + " \u00b7 " + home;
    }
}
