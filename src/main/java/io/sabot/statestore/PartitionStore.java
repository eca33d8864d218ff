package io.sabot.statestore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One store of one partition, as an agent holds it while it owns the partition.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>State and input offset advance together: {@link #commit} appends a batch's changes with
 *       the offset they reach to the changelog, then applies both to the backend; the agent sends
 *       its offset commit to the engine only after. A checkpoint is a copy of the backend with its
 *       own offset, so it never claims more input than the state holds
 *       ({@code PartitionStoreTest.checkpointNeverAheadOfState}).</li>
 *   <li>{@link #restore}(O) leaves exactly the state of the input below O: the newest local state
 *       (RocksDB's live database, else the newest checkpoint) not past O, then the changelog's
 *       batches up to O; batches past O (processed by an owner that died before its commit
 *       counted) are cut off, since the input will be processed again
 *       ({@code PartitionStoreTest.restoreRollsBackUncommittedBatches}, {@code StateDeterminismTest}).</li>
 *   <li>One owner at a time: the directory's {@code LOCK} is held from open to close; a new owner
 *       waits for the old process to let go (or die).</li>
 * </ul>
 * Ephemeral stores (an agent without {@code state} in its spec) are a map without changelog,
 * emptied on every restore: the round-1 behaviour of state that lives and dies with the process.
 */
public final class PartitionStore implements KeyValueStore, AutoCloseable {
    private static final byte[] TOMBSTONE = new byte[0];
    private static final int KEEP_CHECKPOINTS = 2;

    /** Restore progress: changes applied of those to apply. */
    public interface Progress {
        void update(long restored, long total);
    }

    /** How a restore went. */
    public record Restored(String source, long fromOffset, long offset, long changes, long batches, long durationMs, String warning) {}

    private final String store;
    private final String topic;
    private final int partition;
    private final Path dir;
    private final long checkpointIntervalMs;
    private final Backend backend;
    private final Changelog changelog;
    /** Kafka input: the compacted changelog topic's partition instead of {@link #changelog} (null: local). */
    private final KafkaChangelog.Partition remote;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<MemoryBackend.Key, byte[]> pending = new LinkedHashMap<>();
    private long lastCheckpointMs = System.currentTimeMillis();
    private long checkpointedOffset = -1;
    private boolean closed;

    private PartitionStore(String store, String topic, int partition, Path dir, long checkpointIntervalMs, Backend backend,
                           Changelog changelog, KafkaChangelog.Partition remote, FileChannel lockChannel, FileLock lock) {
        this.store = store;
        this.topic = topic;
        this.partition = partition;
        this.dir = dir;
        this.checkpointIntervalMs = checkpointIntervalMs;
        this.backend = backend;
        this.changelog = changelog;
        this.remote = remote;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** A store that lives only in this process (no changelog, nothing on disk). */
    public static PartitionStore ephemeral(String store, String topic, int partition) {
        return new PartitionStore(store, topic, partition, null, Long.MAX_VALUE, new MemoryBackend(), null, null, null, null);
    }

    /**
     * Opens the durable store in {@code dir}, waiting up to {@code lockTimeoutMs} for the previous
     * owner to let go of it. Call {@link #restore} before use.
     */
    public static PartitionStore open(String store, String topic, int partition, Path dir, String backend,
                                      long checkpointIntervalMs, long lockTimeoutMs) throws IOException {
        return open(store, topic, partition, dir, backend, checkpointIntervalMs, lockTimeoutMs, null);
    }

    /**
     * As {@link #open(String, String, int, Path, String, long, long)}, with the changelog in a Kafka
     * topic's partition ({@code remote}) instead of under {@code dir} (which keeps the lock,
     * checkpoints and the RocksDB database). Null {@code remote}: the local changelog.
     */
    public static PartitionStore open(String store, String topic, int partition, Path dir, String backend,
                                      long checkpointIntervalMs, long lockTimeoutMs, KafkaChangelog.Partition remote) throws IOException {
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = null;
        long deadline = System.currentTimeMillis() + lockTimeoutMs;
        try {
            while (lock == null) {
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // held by this process (a close still under way)
                }
                if (lock != null) break;
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("state store " + dir + " is still held by another process after " + lockTimeoutMs + " ms");
                }
                Thread.sleep(20);
            }
            Changelog log = remote == null ? new Changelog(dir.resolve("changelog")) : null;
            Backend b;
            try {
                b = Stores.ROCKSDB.equals(backend) ? new RocksBackend(dir.resolve("live")) : new MemoryBackend();
            } catch (IOException | RuntimeException e) {
                if (log != null) log.close();
                throw e;
            }
            return new PartitionStore(store, topic, partition, dir, checkpointIntervalMs, b, log, remote, ch, lock);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ch.close();
            throw new IOException("interrupted while waiting for state store " + dir);
        } catch (IOException | RuntimeException e) {
            if (lock != null) lock.release();
            ch.close();
            throw e;
        }
    }

    public String store() { return store; }

    public String topic() { return topic; }

    public int partition() { return partition; }

    /** Input offset the state holds. */
    public long offset() { return backend.offset(); }

    public boolean durable() { return changelog != null || remote != null; }

    /** Where the changelog is (for messages). */
    public String changelogName() { return remote != null ? remote.describe() : changelog != null ? "local changelog" : "none"; }

    /** Restores the state of the input below {@code offset} (see the class comment). */
    public Restored restore(long offset, Progress progress) throws IOException {
        return restore(offset, progress, null);
    }

    /**
     * As {@link #restore(long, Progress)}, starting from a standby's warm copy when it can be
     * brought to {@code offset} and is newer than a checkpoint (memory backend, local changelog):
     * then only the changelog's tail past the copy is replayed (source {@code standby}).
     */
    public Restored restore(long offset, Progress progress, StandbyStore warm) throws IOException {
        long t0 = System.nanoTime();
        pending.clear();
        boolean fromStandby = false;
        if (warm != null && remote == null && changelog != null && backend instanceof MemoryBackend mb) {
            fromStandby = warm.handOver(offset, changelog, mb);
        }
        if (remote != null) return restoreRemote(offset, progress, t0);
        if (changelog == null) {
            backend.clear();
            return new Restored("none", 0, 0, 0, 0, 0, null);
        }
        String source = fromStandby ? "standby" : "local store";
        long end = changelog.end();
        if (!fromStandby && backend.offset() > offset || backend.changelogPosition() > end || (backend.offset() == 0 && backend.changelogPosition() == 0)) {
            source = fromNewestCheckpoint(offset, end);
        }
        // the segments before the oldest kept checkpoint are gone: without a checkpoint, their changes are too
        boolean lostPrefix = backend.changelogPosition() < changelog.firstPosition();
        long from = Math.max(backend.changelogPosition(), changelog.firstPosition());
        long fromOffset = backend.offset();
        long total = changelog.count(from, offset)[1];
        long[] done = {0};
        long[] lastReport = {0};
        progress.update(0, total);
        Changelog.Reached r = changelog.replay(from, backend.offset(), offset, (changes, endOffset, after) -> {
            backend.apply(changes, endOffset, after);
            done[0] += changes.size();
            long now = System.nanoTime();
            if (now - lastReport[0] > 250_000_000L) {
                lastReport[0] = now;
                progress.update(done[0], total);
            }
        });
        // batches past the offset are of input that will be processed again: they go
        changelog.truncate(r.position());
        for (Map.Entry<Long, Path> cp : checkpoints().entrySet()) {
            long[] meta = parse(cp.getValue());
            if (meta[0] > offset || meta[1] > changelog.end()) Stores.deleteTree(cp.getValue());
        }
        if (r.batches() > 0) source = source.equals("empty") ? "changelog" : source + "+changelog";
        progress.update(done[0], total);
        String warning = lostPrefix ? "no checkpoint at or below offset " + offset + " and the changelog before position "
                + changelog.firstPosition() + " was dropped after a later checkpoint: the state misses the oldest changes"
                : backend.offset() == offset ? null
                : "state holds the input below offset " + backend.offset() + " but the partition resumes at " + offset
                        + " (the changelog has nothing in between): those records are not in the state";
        checkpointedOffset = -1;
        lastCheckpointMs = System.currentTimeMillis();
        return new Restored(source, fromOffset, backend.offset(), r.changes(), r.batches(), (System.nanoTime() - t0) / 1_000_000, warning);
    }

    /**
     * Clears the store and loads the newest checkpoint that claims no input past {@code offset}
     * and no changelog past {@code end}; "checkpoint", or "empty" when none will do (a damaged one
     * is deleted: an older one or the changelog will do).
     */
    private String fromNewestCheckpoint(long offset, long end) throws IOException {
        backend.clear();
        for (Map.Entry<Long, Path> cp : checkpoints().descendingMap().entrySet()) {
            long[] meta = parse(cp.getValue());
            if (meta[0] > offset || meta[1] > end) continue;
            try {
                backend.load(cp.getValue());
                return "checkpoint";
            } catch (IOException e) {
                Stores.deleteTree(cp.getValue());
                backend.clear();
            }
        }
        return "empty";
    }

    /**
     * Restore from a Kafka changelog topic: the newest local state not past {@code offset} (the
     * RocksDB database, else a checkpoint, else nothing: a host that never held the partition),
     * then the topic from the position that state reached, skipping changes tagged past
     * {@code offset}; the keys whose newest change was skipped are written again with their
     * restored value ({@link KafkaChangelog}).
     */
    private Restored restoreRemote(long offset, Progress progress, long t0) throws IOException {
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> c = remote.consumer()) {
            long[] bounds;
            try {
                bounds = remote.bounds(c);
            } catch (RuntimeException e) {
                throw new IOException(remote.describe() + " cannot be read: " + e.getMessage(), e);
            }
            long end = bounds[1];
            String source = "local store";
            if (backend.offset() > offset || backend.changelogPosition() > end || (backend.offset() == 0 && backend.changelogPosition() == 0)) {
                source = fromNewestCheckpoint(offset, end);
            }
            long from = Math.max(backend.changelogPosition(), bounds[0]);
            long fromOffset = backend.offset();
            progress.update(0, Math.max(0, end - from));
            KafkaChangelog.Partition.Replayed r;
            try {
                r = remote.replay(c, from, end, offset, (changes, pos) -> backend.apply(changes, fromOffset, pos), progress);
            } catch (RuntimeException e) {
                throw new IOException(remote.describe() + " cannot be replayed: " + e.getMessage(), e);
            }
            backend.apply(List.of(), offset, Math.max(r.endPosition(), backend.changelogPosition()));
            if (!r.staleKeys().isEmpty()) {
                List<Backend.Change> fix = new ArrayList<>(r.staleKeys().size());
                for (byte[] k : r.staleKeys()) fix.add(new Backend.Change(k, backend.get(k)));
                remote.write(fix, offset);
            }
            for (Map.Entry<Long, Path> cp : checkpoints().entrySet()) {
                long[] meta = parse(cp.getValue());
                if (meta[0] > offset || meta[1] > end) Stores.deleteTree(cp.getValue());
            }
            if (r.records() > 0) source = source.equals("empty") ? "changelog topic" : source + "+changelog topic";
            progress.update(Math.max(0, end - from), Math.max(0, end - from));
            String warning = r.skipped() == 0 ? null
                    : r.skipped() + " change(s) in " + remote.describe() + " were of input past offset " + offset
                            + " (processed but never committed by a previous owner): skipped, and " + r.staleKeys().size()
                            + " key(s) written again with their restored value";
            checkpointedOffset = -1;
            lastCheckpointMs = System.currentTimeMillis();
            return new Restored(source, fromOffset, backend.offset(), r.records(), r.records() > 0 ? 1 : 0,
                    (System.nanoTime() - t0) / 1_000_000, warning);
        }
    }

    @Override
    public byte[] get(byte[] key) {
        byte[] v = pending.get(MemoryBackend.Key.of(key));
        if (v != null) return v == TOMBSTONE ? null : v;
        return backend.get(key);
    }

    @Override
    public void put(byte[] key, byte[] value) {
        if (value == null) throw new IllegalArgumentException("a state value cannot be null (use delete)");
        pending.put(MemoryBackend.Key.of(key.clone()), value);
    }

    @Override
    public void delete(byte[] key) { pending.put(MemoryBackend.Key.of(key.clone()), TOMBSTONE); }

    @Override
    public long entries() { return backend.entries(); }

    @Override
    public long bytes() { return backend.bytes(); }

    /** Bytes on disk (changelog, checkpoints and the RocksDB database). */
    public long diskBytes() { return dir == null ? 0 : Stores.sizeOf(dir); }

    /**
     * The batch that brings the input to {@code endOffset} is processed: its changes go to the
     * changelog and the backend (in that order), and now and then a checkpoint is written.
     * The agent commits {@code endOffset} to the engine only after this returns.
     */
    public void commit(long endOffset) throws IOException {
        List<Backend.Change> changes = new ArrayList<>(pending.size());
        for (Map.Entry<MemoryBackend.Key, byte[]> e : pending.entrySet()) {
            changes.add(new Backend.Change(e.getKey().b(), e.getValue() == TOMBSTONE ? null : e.getValue()));
        }
        pending.clear();
        if (remote != null) {
            long pos = remote.write(changes, endOffset); // acknowledged by the cluster before the state (and the commit) moves
            backend.apply(changes, endOffset, pos < 0 ? backend.changelogPosition() : pos);
            if (System.currentTimeMillis() - lastCheckpointMs >= checkpointIntervalMs) checkpoint();
            return;
        }
        if (changelog == null) {
            backend.apply(changes, endOffset, 0);
            return;
        }
        long after = changelog.append(endOffset, changes);
        backend.apply(changes, endOffset, after);
        if (System.currentTimeMillis() - lastCheckpointMs >= checkpointIntervalMs) checkpoint();
    }

    /** Writes a checkpoint of the state as it is (nothing when one exists for this offset). */
    public void checkpoint() throws IOException {
        lastCheckpointMs = System.currentTimeMillis();
        if (!durable() || backend.offset() == checkpointedOffset || backend.offset() == 0) return;
        Path cps = dir.resolve("checkpoints");
        Files.createDirectories(cps);
        String name = String.format("%020d-%020d", backend.offset(), backend.changelogPosition());
        Path target = cps.resolve(name);
        if (!Files.exists(target)) {
            Path tmp = cps.resolve("tmp-" + System.nanoTime());
            backend.checkpoint(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
        checkpointedOffset = backend.offset();
        if (changelog != null) changelog.roll();
        TreeMap<Long, Path> all = checkpoints();
        while (all.size() > KEEP_CHECKPOINTS) Stores.deleteTree(all.pollFirstEntry().getValue());
        if (!all.isEmpty() && changelog != null) changelog.deleteBefore(parse(all.firstEntry().getValue())[1]);
    }

    /** Checkpoints by offset (temporary directories of an interrupted checkpoint are removed). */
    private TreeMap<Long, Path> checkpoints() throws IOException {
        TreeMap<Long, Path> out = new TreeMap<>();
        Path cps = dir.resolve("checkpoints");
        if (!Files.isDirectory(cps)) return out;
        try (Stream<Path> s = Files.list(cps)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith("tmp-")) {
                    Stores.deleteTree(p);
                    continue;
                }
                long[] meta = parse(p);
                if (meta != null) out.put(meta[0], p);
            }
        }
        return out;
    }

    private static long[] parse(Path checkpointDir) {
        String n = checkpointDir.getFileName().toString();
        int dash = n.indexOf('-');
        if (dash < 0) return null;
        try {
            return new long[] {Long.parseLong(n.substring(0, dash)), Long.parseLong(n.substring(dash + 1))};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Closes the store; with {@code checkpoint}, first writes one (a clean hand-over: the next owner replays nothing). */
    public void close(boolean checkpoint) {
        if (closed) return;
        closed = true;
        try {
            if (checkpoint && durable() && backend instanceof MemoryBackend) checkpoint();
            if (backend instanceof RocksBackend rb) rb.flush();
        } catch (IOException e) {
            // the changelog holds everything a checkpoint would
        }
        backend.close();
        if (changelog != null) changelog.close();
        try {
            if (lock != null) lock.release();
            if (lockChannel != null) lockChannel.close();
        } catch (IOException e) {
            // released with the channel or the process
        }
    }

    @Override
    public void close() { close(true); }
}
