package io.sabot.engine;

import io.sabot.process.FileDescriptors;
import io.sabot.process.InstanceLog;
import io.sabot.process.LogPolicy;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.LogSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The instances' log files under {@code HOME/logs}: opened before anything changes, capped at write
 * time by their agent's {@code logs} settings ({@link #policy}), re-configured when a deploy changes
 * them, and looked at every 30 s for a file past its {@code maxAgeHours} (or grown past its cap by hand),
 * and for a file not written to since the last look, which is closed until its next write
 * ({@link InstanceLog#releaseIfIdle}: quiet agents hold no log descriptor).
 */
final class InstanceLogs implements AutoCloseable {
    private static final long IDLE_MS = 25_000; // below the 30 s sweep: a file idle since the last sweep closes
    private final Path dir;
    private final long maxBytes;
    private final Map<String, InstanceLog> logs = new ConcurrentHashMap<>();

    InstanceLogs(Path home, long maxBytes, ScheduledExecutorService timers) {
        this.dir = home.resolve("logs");
        this.maxBytes = maxBytes;
        try {
            InstanceLog.ownerOnlyDir(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare engine home " + home + ": " + e.getMessage(), e);
        }
        timers.scheduleWithFixedDelay(this::rotate, 30, 30, TimeUnit.SECONDS);
    }

    /**
     * Opens the logs of these instances, all or none: on failure (out of file descriptors, say)
     * the ones just opened are closed again and the error names the cause.
     */
    void openAll(List<String> ids) throws IOException {
        int fresh = (int) ids.stream().filter(id -> !logs.containsKey(id)).count();
        try {
            FileDescriptors.roomFor(fresh); // each will hold its log open while it writes
        } catch (IOException e) {
            throw new IOException("cannot open the log files of " + ids.size() + " new instances (" + e.getMessage() + ")", e);
        }
        List<String> opened = new ArrayList<>();
        for (String id : ids) {
            if (logs.containsKey(id)) continue;
            try {
                logs.put(id, new InstanceLog(dir.resolve(id + ".log"), LogPolicy.defaults(maxBytes)));
                opened.add(id);
            } catch (IOException | RuntimeException e) {
                for (String o : opened) logs.remove(o).close();
                throw new IOException("cannot open the log files of " + ids.size() + " new instances (" + e.getMessage() + ")", e);
            }
        }
    }

    /** The log of an instance, opened if need be, with its agent's settings. */
    InstanceLog of(String id, AgentSpec agent) {
        LogPolicy p = policy(agent);
        InstanceLog log = logs.computeIfAbsent(id, k -> {
            try {
                return new InstanceLog(dir.resolve(k + ".log"), p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open log of " + k + ": " + e.getMessage(), e);
            }
        });
        log.configure(p);
        return log;
    }

    /** What an agent's {@code logs} ask for; without them, the engine's default cap, 3 rotated files, compressed. */
    LogPolicy policy(AgentSpec agent) {
        LogSpec s = agent == null ? null : agent.logs();
        if (s == null) return LogPolicy.defaults(maxBytes);
        return new LogPolicy(s.maxFileBytes(), s.keep(), s.compress(), s.maxAgeMs());
    }

    private void rotate() {
        for (InstanceLog l : logs.values()) {
            l.rotateIfNeeded();
            l.releaseIfIdle(IDLE_MS);
        }
    }

    @Override
    public void close() { logs.values().forEach(InstanceLog::close); }
}
