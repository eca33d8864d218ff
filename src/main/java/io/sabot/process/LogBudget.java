package io.sabot.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all instance logs of one home may take together (every {@code *.log}, rotated
 * {@code *.log.N} and compressed {@code *.log.N.gz} file in its logs folder, and a compression
 * under way). Appends count against it (an atomic add, nothing
 * more); once the count passes the limit, the folder is measured again and the oldest rotated
 * files are deleted until it is back under 90% of the limit. If current files alone fill it,
 * appends are refused (the caller counts what it could not write and says so in the log later)
 * until space is freed; the folder is measured again at most once a second meanwhile.
 *
 * <p>Limit: {@code -Dsabot.logs.budgetBytes}, else {@code SABOT_LOG_BUDGET_MB}, else a quarter of
 * the file system holding the logs, at most 2 GiB (a home on a 40 MB file system gets 10 MB).
 * One budget per folder, shared by every {@link InstanceLog} in it. Held by {@code InstanceLogTest}.
 */
final class LogBudget {
    private static final Map<Path, LogBudget> BY_DIR = new ConcurrentHashMap<>();
    static final long MAX_DEFAULT = 2L << 30;
    private static final java.util.regex.Pattern ROTATED = java.util.regex.Pattern.compile(".*\\.log\\.[0-9]+(\\.gz)?");

    private final Path dir;
    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private volatile boolean full;
    private long measuredAtNanos;

    private LogBudget(Path dir, long limit) {
        this.dir = dir;
        this.limit = limit;
        used.set(measure(null));
    }

    static LogBudget of(Path dir) {
        return BY_DIR.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> new LogBudget(d, defaultLimit(d)));
    }

    /** For tests: a budget of exactly {@code limit} bytes for this folder from now on. */
    static LogBudget reset(Path dir, long limit) {
        LogBudget b = new LogBudget(dir.toAbsolutePath().normalize(), limit);
        BY_DIR.put(b.dir, b);
        return b;
    }

    static long defaultLimit(Path dir) {
        Long p = Long.getLong("sabot.logs.budgetBytes");
        if (p != null && p > 0) return p;
        String env = System.getenv("SABOT_LOG_BUDGET_MB");
        if (env != null) {
            try {
                long mb = Long.parseLong(env.trim());
                if (mb > 0) return mb << 20;
            } catch (NumberFormatException ignored) {
                // not a number: the default below
            }
        }
        try {
            return Math.max(1L << 20, Math.min(MAX_DEFAULT, Files.getFileStore(dir).getTotalSpace() / 4));
        } catch (IOException e) {
            return 256L << 20;
        }
    }

    long limit() { return limit; }

    long used() { return used.get(); }

    /** Counts {@code len} bytes about to be written; false if the budget is full (then nothing was counted). */
    boolean take(long len) {
        if (full || used.get() + len > limit) {
            synchronized (this) {
                if (used.get() + len > limit && !(full && System.nanoTime() - measuredAtNanos < 1_000_000_000L)) enforce();
                full = used.get() + len > limit;
                if (full) return false;
            }
        }
        used.addAndGet(len);
        return true;
    }

    /** Bytes that left the folder (a file deleted or truncated by its log). */
    void released(long len) { used.addAndGet(-len); }

    /** Caller holds this: measure, then delete the oldest rotated files down to 90% of the limit. */
    private void enforce() {
        List<Path> rotated = new ArrayList<>();
        used.set(measure(rotated));
        measuredAtNanos = System.nanoTime();
        rotated.sort(Comparator.comparingLong(LogBudget::mtime));
        for (Path p : rotated) {
            if (used.get() <= limit * 9 / 10) break;
            try {
                long size = Files.size(p);
                if (Files.deleteIfExists(p)) used.addAndGet(-size);
            } catch (IOException e) {
                // gone meanwhile, or not ours to delete
            }
        }
    }

    /** Sum of the sizes of the folder's log files; rotated ones are added to {@code rotated} when given. */
    private long measure(List<Path> rotated) {
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                boolean current = name.endsWith(".log") || name.endsWith(".log.gz.part");
                boolean old = !current && ROTATED.matcher(name).matches();
                if (!current && !old) continue;
                try {
                    total += Files.readAttributes(f, BasicFileAttributes.class).size();
                    if (old && rotated != null) rotated.add(f);
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            // no folder yet: nothing in it
        }
        return total;
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }
}
