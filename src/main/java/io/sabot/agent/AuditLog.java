package io.sabot.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Test audit trail: one line {@code "topic partition startOffset endOffsetExclusive instanceId\n"}
 * per processed batch, appended with O_APPEND in a single small write to
 * {@code <dir>/<topic>-<partition>.log}, so several processes (old and new owners of a partition)
 * can append to the same file and a test can check that the processed ranges tile the offsets.
 * The fraud detector also appends the offsets it flags ({@link #flag}).
 */
final class AuditLog implements AutoCloseable {
    private final Path dir;
    private final String instance;
    private final Map<String, FileChannel> files = new HashMap<>();
    private boolean failed;

    AuditLog(Path dir, String instance) {
        this.dir = dir;
        this.instance = instance;
    }

    void batch(String topic, int partition, long start, long endExclusive, AgentLog log) {
        if (failed) return;
        String key = topic + "-" + partition;
        try {
            FileChannel ch = files.get(key);
            if (ch == null) {
                Files.createDirectories(dir);
                ch = FileChannel.open(dir.resolve(key + ".log"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                files.put(key, ch);
            }
            ByteBuffer b = ByteBuffer.wrap((topic + " " + partition + " " + start + " " + endExclusive + " " + instance + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) ch.write(b);
        } catch (IOException e) {
            failed = true;
            log.info("audit log disabled: " + e);
        }
    }

    /** A flagged record ({@code flags-<topic>-<partition>.log}: "offset instance" per line; a test compares the sets). */
    void flag(String topic, int partition, long offset, AgentLog log) {
        if (failed) return;
        String key = "flags-" + topic + "-" + partition;
        try {
            FileChannel ch = files.get(key);
            if (ch == null) {
                Files.createDirectories(dir);
                ch = FileChannel.open(dir.resolve(key + ".log"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                files.put(key, ch);
            }
            ByteBuffer b = ByteBuffer.wrap((offset + " " + instance + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) ch.write(b);
        } catch (IOException e) {
            failed = true;
            log.info("audit log disabled: " + e);
        }
    }

    void close(String topic, int partition) {
        FileChannel ch = files.remove(topic + "-" + partition);
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    @Override
    public void close() {
        for (FileChannel ch : files.values()) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
        files.clear();
    }
}
