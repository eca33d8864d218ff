package io.sabot.engine;

/** How a process ended: exit code or signal, and why (the contract's {@code lastExit}). */
public record ExitInfo(Integer code, String signal, String reason) {
    /** Decodes Java's exit value (128+n for a signal) with an optional reason the engine knew. */
    public static ExitInfo of(int exitValue, String reason) {
        if (exitValue > 128 && exitValue < 128 + 65) {
            String sig = io.sabot.process.Signals.name(exitValue - 128);
            return new ExitInfo(null, sig, reason != null ? reason : "killed by " + sig);
        }
        return new ExitInfo(exitValue, null, reason != null ? reason : (exitValue == 0 ? "exited normally" : "exited with code " + exitValue));
    }

    public boolean abnormal() { return signal != null || code == null || code != 0; }
}
