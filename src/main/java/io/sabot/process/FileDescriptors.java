package io.sabot.process;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The engine's own file descriptors (its {@code ulimit -n}), spent by every agent it runs: the
 * pipes of its output and input and its log file. A spawn is refused with a clear error while
 * fewer than {@link #reserve} descriptors would be left, so the engine itself never runs out: it
 * keeps answering the CLI and the console, writing its store and logs, and stopping agents, and
 * the refused instance can start once agents are stopped or the limit raised.
 * <p>
 * Guarantees: a refused spawn names the figures and the fix, never a Java exception; an
 * operating system refusal that still happens ({@code EMFILE}, a limit lowered at run time) gets
 * the same words (FdExhaustionTest, with a real daemon under {@code ulimit -n 128}).
 */
public final class FileDescriptors {
    /** Descriptors a spawn holds while it runs (pipes, the spawn helper's channel, the log file), counted for spawns in flight. */
    static final int PER_SPAWN = 8;
    private static final Object LOCK = new Object();
    private static final Claim NOTHING = () -> { };
    private static int inFlight;                      // guarded by LOCK
    private static int waiting;                       // guarded by LOCK
    private static volatile long lastOpen = -1;
    /** The limit as of the last count (a limit changed at run time is seen at the next count; EMFILE says the rest). */
    private static volatile long lastMax;
    /** Spawns granted since the last count: each may have added up to {@link #PER_SPAWN} descriptors to it. */
    private static long grantedSinceCount;            // guarded by LOCK
    /** Files closed while quiet that the next write opens again (InstanceLog): counted as open, so their room is kept. */
    private static final java.util.concurrent.atomic.AtomicLong dormant = new java.util.concurrent.atomic.AtomicLong();

    private FileDescriptors() {}

    /** Kept free for the engine's own work: a sixteenth of the limit, at least 16 and at most 256. */
    static long reserve(long max) { return Math.max(16, Math.min(256, max / 16)); }

    /** A spawn's claim on descriptors, released when the spawn is done (its pipes are then counted as open). */
    public interface Claim extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Claims room for one spawn, or refuses with the reason in words. Near the limit, a spawn
     * waits for those in flight to settle (their pipes are then counted as they are) rather than
     * being refused for room they only hold for a moment; it is refused when nothing is in flight
     * and there is still no room.
     */
    public static Claim claim() throws IOException {
        long max = lastMax;
        if (max == 0) max = lastMax = max();
        if (max <= 0) return NOTHING;
        synchronized (LOCK) {
            while (true) {
                long open = open(max);
                max = lastMax > 0 ? lastMax : max; // counting read the limit again
                if (open < 0 || open + (long) (inFlight + 1) * PER_SPAWN + reserve(max) <= max) {
                    inFlight++;
                    grantedSinceCount++;
                    return FileDescriptors::release;
                }
                if (inFlight == 0) throw new IOException(refusal(open, max));
                waiting++;
                try {
                    LOCK.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(refusal(open, max));
                } finally {
                    waiting--;
                }
                lastOpen = -1; // recount: a spawn finished or time passed
            }
        }
    }

    /**
     * Refuses, with the reason in words, files for {@code count} new instances (their logs, opened
     * by their first write) where they would leave less than the reserve: a deploy that could not
     * hold its logs changes nothing.
     */
    public static void roomFor(int count) throws IOException {
        long max = max();
        if (max <= 0 || count <= 0) return;
        synchronized (LOCK) {
            lastOpen = -1; // a deploy is rare: count afresh
            long open = open(max);
            if (open >= 0 && open + count + (long) inFlight * PER_SPAWN + reserve(max) > max) throw new IOException(refusal(open, max));
        }
    }

    /** A file this engine closed for now and will open again ({@code +1}), or opened again or gave up for good ({@code -1}). */
    static void dormant(int delta) { dormant.addAndGet(delta); }

    private static void release() {
        synchronized (LOCK) {
            inFlight--;
            if (waiting > 0) LOCK.notifyAll();
        }
    }

    /** The same words for the operating system's own refusal; other errors as they are. */
    public static IOException explain(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (!m.contains("error=24") && !m.contains("Too many open files")) return e;
        long max = max();
        IOException out = new IOException(refusal(max > 0 ? openNow() : -1, max), e);
        return out;
    }

    static String refusal(long open, long max) {
        String use = open >= 0 && max > 0 ? String.format(Locale.ROOT, "%d of its %d file descriptors are in use", open, max)
                : "it has no file descriptors left";
        return "the engine is out of file descriptors (" + use + ", ulimit -n" + (max > 0 ? " " + max : "")
                + "): stop some agents or raise the limit (ulimit -n, or LimitNOFILE= in the service unit) and start it again";
    }

    private static long max() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u) {
            return u.getMaxFileDescriptorCount();
        }
        return -1;
    }

    /**
     * Counted afresh (a listing of /proc/self/fd, and the limit read again) only when the estimate
     * runs out of room: until then, the last count plus {@link #PER_SPAWN} for every spawn granted
     * since, an upper bound of what those spawns opened (what closed meanwhile only makes it
     * looser). At 1,000 agents the engine holds ~4,000 descriptors: listing them on every spawn cost
     * milliseconds on the crash path and in bulk starts, and even once a second it and the
     * limit's JMX read were ~0.3 ms of a crash's respawn at 100 agents (issue 13). Caller holds LOCK.
     */
    private static long open(long max) {
        long last = lastOpen;
        if (last >= 0) {
            long estimate = last + dormant.get() + grantedSinceCount * PER_SPAWN;
            if (estimate + (long) (inFlight + 1) * PER_SPAWN + reserve(max) <= max) return estimate;
        }
        lastMax = max();
        grantedSinceCount = inFlight; // spawns in flight may open theirs after the count
        long n = openNow();
        return n < 0 ? n : n + dormant.get();
    }

    private static long openNow() {
        long n = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u) {
            n = u.getOpenFileDescriptorCount(); // -1 when even listing them fails: the launch then says so itself
        }
        lastOpen = n;
        return n;
    }
}
