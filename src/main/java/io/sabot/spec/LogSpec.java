package io.sabot.spec;

/**
 * An agent's log settings (the spec's {@code "logs"}): each instance's log file holds at most
 * {@code maxFileMb} MiB (capped at write time, stdout and stderr alike), {@code keep} rotated files
 * are kept beside it, gzip-compressed when {@code compress}; with {@code maxAgeHours} a file is also
 * rotated once it has held output that long (checked every 30 s; null: by size only). Every log of a home also stays within
 * the home's log budget (see docs/operations.md, "Logs"). An agent without {@code "logs"} has
 * {@link #DEFAULT}.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record LogSpec(double maxFileMb, int keep, boolean compress, Double maxAgeHours) {
    public static final LogSpec DEFAULT = new LogSpec(10, 3, true, null);
    public static final double MAX_AGE_HOURS = 24 * 366;
    /** Smallest file cap: about 1 KiB. */
    public static final double MIN_FILE_MB = 0.001;
    public static final double MAX_FILE_MB = 1024 * 1024;
    public static final int MAX_KEEP = 1000;

    /** The cap in bytes. */
    public long maxFileBytes() { return Math.round(maxFileMb * (1 << 20)); }

    /** The age at which a file is rotated, in ms; 0 when by size only. */
    public long maxAgeMs() { return maxAgeHours == null ? 0 : Math.max(1, Math.round(maxAgeHours * 3_600_000)); }

    public static LogSpec orDefault(LogSpec s) { return s == null ? DEFAULT : s; }
}
