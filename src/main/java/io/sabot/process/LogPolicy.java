package io.sabot.process;

/**
 * How an instance's log is kept: each file holds at most {@code maxFileBytes} (rotated at write
 * time), {@code keep} rotated files beside the current one, rotated files gzip-compressed when
 * {@code compress} (in the background, on the {@code sabot-logs} thread).
 */
public record LogPolicy(long maxFileBytes, int keep, boolean compress) {
    /** The smallest file cap accepted: rotating more often than this helps nobody. */
    public static final long MIN_FILE_BYTES = 1024;

    public LogPolicy {
        maxFileBytes = Math.max(MIN_FILE_BYTES, maxFileBytes);
        keep = Math.max(0, keep);
    }

    /** 10 MiB per file, {@link InstanceLog#DEFAULT_KEEP} rotated files, compressed. */
    public static LogPolicy defaults(long maxFileBytes) { return new LogPolicy(maxFileBytes, InstanceLog.DEFAULT_KEEP, true); }
}
