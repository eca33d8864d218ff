package io.sabot.spec;

/**
 * An agent's log settings (the spec's {@code "logs"}): each instance's log file holds at most
 * {@code maxFileMb} MiB (capped at write time, stdout and stderr alike), {@code keep} rotated files
 * are kept beside it, gzip-compressed when {@code compress}. Every log of a home also stays within
 * the home's log budget (see docs/operations.md, "Logs"). An agent without {@code "logs"} has
 * {@link #DEFAULT}.
 */
public record LogSpec(double maxFileMb, int keep, boolean compress) {
    public static final LogSpec DEFAULT = new LogSpec(10, 3, true);
    /** Smallest file cap: about 1 KiB. */
    public static final double MIN_FILE_MB = 0.001;
    public static final double MAX_FILE_MB = 1024 * 1024;
    public static final int MAX_KEEP = 1000;

    /** The cap in bytes. */
    public long maxFileBytes() { return Math.round(maxFileMb * (1 << 20)); }

    public static LogSpec orDefault(LogSpec s) { return s == null ? DEFAULT : s; }
}
