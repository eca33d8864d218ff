package io.sabot.statestore;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where state lives under a home, and the environment that tells an agent about it.
 *
 * <pre>
 * $SABOT_HOME/state/CONSUMER_GROUP/STORE/TOPIC-PARTITION/
 *     LOCK            held by the one process that owns the partition's store
 *     changelog/      the local changelog, in segments ({@link Changelog})
 *     checkpoints/    OFFSET-POSITION/ directories, the two newest kept
 *     live/           the RocksDB database (RocksDB backend only)
 * </pre>
 */
public final class Stores {
    private Stores() {}

    public static final String ENV_DIR = "SABOT_STATE_DIR";
    public static final String ENV_BACKEND = "SABOT_STATE_BACKEND";
    public static final String ENV_CHECKPOINT_MS = "SABOT_STATE_CHECKPOINT_MS";
    public static final String MEMORY = "memory";
    public static final String ROCKSDB = "rocksdb";
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** The state directory of a home. */
    public static Path root(Path home) { return home.resolve("state"); }

    /** The state directory of one consumer group. */
    public static Path groupDir(Path home, String consumerGroup) { return root(home).resolve(consumerGroup); }

    /** The directory of one partition store. */
    public static Path partitionDir(Path groupDir, String store, String topic, int partition) {
        return groupDir.resolve(store).resolve(topic + "-" + partition);
    }

    /** The environment a stateful agent's process gets. */
    public static Map<String, String> env(Path home, String consumerGroup, String backend, long checkpointIntervalMs) {
        return Map.of(ENV_DIR, groupDir(home, consumerGroup).toString(), ENV_BACKEND, backend,
                ENV_CHECKPOINT_MS, Long.toString(checkpointIntervalMs));
    }

    /** Deletes a directory tree (nothing when absent). */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                try {
                    Files.delete(file);
                } catch (NoSuchFileException e) {
                    // gone already
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                try {
                    Files.delete(d);
                } catch (NoSuchFileException e) {
                    // gone already
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Bytes of the files under a directory (0 when absent). */
    public static long sizeOf(Path dir) {
        if (!Files.exists(dir)) return 0;
        long[] total = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // counted what could be
        }
        return total[0];
    }
}
