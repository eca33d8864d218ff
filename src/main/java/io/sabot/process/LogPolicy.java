package io.sabot.process;

/**
 * How an instance's log is kept: each file holds at most {@code maxFileBytes} (rotated at write
 * time), {@code keep} rotated files beside the current one, rotated files gzip-compressed when
 * {@code compress} (in the background, on the {@code sabot-logs} thread); a file that has held
 * output for {@code maxAgeMs} is rotated too (0: by size only; checked every 30 s).
 */
public record LogPolicy(long maxFileBytes, int keep, boolean compress, long maxAgeMs) {
    /** The smallest file cap accepted: rotating more often than this helps nobody. */
    public static final long MIN_FILE_BYTES = 1024;

    public LogPolicy {
        maxFileBytes = Math.max(MIN_FILE_BYTES, maxFileBytes);
        keep = Math.max(0, keep);
        maxAgeMs = Math.max(0, maxAgeMs);
    }

    /** By size only. */
    public LogPolicy(long maxFileBytes, int keep, boolean compress) { this(maxFileBytes, keep, compress, 0); }

    /** 10 MiB per file, {@link InstanceLog#DEFAULT_KEEP} rotated files, compressed. */
    public static LogPolicy defaults(long maxFileBytes) { return new LogPolicy(maxFileBytes, InstanceLog.DEFAULT_KEEP, true); }
}
