package io.sabot.statestore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A standby replica of one partition store: a warm in-memory copy that another instance of the
 * group keeps by following the owner's local changelog (the owner and the standby share the home),
 * never processing input and never taking the store's {@code LOCK}. When the partition moves to
 * this instance, {@link PartitionStore#restore(long, PartitionStore.Progress, StandbyStore)} starts
 * from the copy and replays only the changelog's tail.
 *
 * <p>Guarantees ({@code StandbyStoreTest}):
 * <ul>
 *   <li>The copy is always a prefix of the owner's changelog: each catch-up first checks that the
 *       last batch it applied is still in the log (same position and CRC); a log cut at a restore
 *       (uncommitted batches dropped) or rewritten makes it start again from the newest checkpoint.</li>
 *   <li>A hand-over at offset O rolls back the batches past O (kept as undo records for the last
 *       {@value #UNDO} batches: a killed owner's uncommitted tail); a copy that cannot be brought to
 *       O or is not a prefix of the log is not used (the restore goes the usual way).</li>
 * </ul>
 * Methods are synchronized: the follower thread catches up while the agent's loop reports and
 * hands over.
 */
public final class StandbyStore implements AutoCloseable {
    static final int UNDO = 1024;

    private record Undo(long offsetBefore, long positionBefore, long endOffset, List<Backend.Change> inverse) {}

    private final String store;
    private final String topic;
    private final int partition;
    private final Path dir;
    private final MemoryBackend copy = new MemoryBackend();
    private final ArrayDeque<Undo> undo = new ArrayDeque<>();
    private long lastStart = -1;
    private int lastCrc;
    private long applied;
    private boolean closed;

    public StandbyStore(String store, String topic, int partition, Path partitionDir) {
        this.store = store;
        this.topic = topic;
        this.partition = partition;
        this.dir = partitionDir;
    }

    public String store() { return store; }

    public String topic() { return topic; }

    public int partition() { return partition; }

    public synchronized long entries() { return copy.entries(); }

    public synchronized long bytes() { return copy.bytes(); }

    /** Input offset the copy holds. */
    public synchronized long offset() { return copy.offset(); }

    /** Changes applied since this standby started (checkpoint loads not counted). */
    public synchronized long applied() { return applied; }

    /** Follows the changelog to its end; returns the changes applied. A missing store (no owner yet) is fine: nothing to do. */
    public synchronized long catchUp() throws IOException {
        if (closed || !Files.isDirectory(dir.resolve("changelog"))) return 0;
        Changelog log = Changelog.reader(dir.resolve("changelog"));
        if (!prefixOf(log) || copy.changelogPosition() < log.firstPosition() || copy.changelogPosition() > log.end()) reset(log);
        long[] n = {0};
        log.replay(copy.changelogPosition(), copy.offset(), Long.MAX_VALUE, (changes, endOffset, after) -> {
            List<Backend.Change> inverse = new ArrayList<>(changes.size());
            for (Backend.Change c : changes) inverse.add(new Backend.Change(c.key(), copy.get(c.key())));
            undo.addLast(new Undo(copy.offset(), copy.changelogPosition(), endOffset, inverse));
            if (undo.size() > UNDO) undo.pollFirst();
            copy.apply(changes, endOffset, after);
            n[0] += changes.size();
        });
        if (log.lastStart >= 0) {
            lastStart = log.lastStart;
            lastCrc = log.lastCrc;
        }
        applied += n[0];
        return n[0];
    }

    /** True when the last batch applied is still in the log as it was (or nothing was applied from it yet). */
    private boolean prefixOf(Changelog log) throws IOException {
        if (lastStart < 0) return true;
        Integer crc = log.crcAt(lastStart);
        return crc != null && crc == lastCrc;
    }

    /** Starts again from the newest checkpoint (memory backend format), else empty. */
    private void reset(Changelog log) throws IOException {
        copy.clear();
        undo.clear();
        lastStart = -1;
        TreeMap<Long, Path> cps = new TreeMap<>();
        Path dirs = dir.resolve("checkpoints");
        if (Files.isDirectory(dirs)) {
            try (Stream<Path> s = Files.list(dirs)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    String n = p.getFileName().toString();
                    int dash = n.indexOf('-');
                    if (n.startsWith("tmp-") || dash < 0) continue;
                    try {
                        cps.put(Long.parseLong(n.substring(0, dash)), p);
                    } catch (NumberFormatException e) {
                        // not a checkpoint
                    }
                }
            }
        }
        for (Path cp : cps.descendingMap().values()) {
            try {
                copy.load(cp);
                if (copy.changelogPosition() <= log.end()) return;
            } catch (IOException e) {
                // deleted by the owner meanwhile, or damaged: an older one will do
            }
            copy.clear();
        }
    }

    /**
     * Brings the copy to input offset {@code offset} for a hand-over into {@code target}; false when it
     * cannot (not a prefix of the log any more, or too far past the offset).
     */
    synchronized boolean handOver(long offset, Changelog log, MemoryBackend target) throws IOException {
        if (closed || (copy.offset() == 0 && copy.changelogPosition() == 0)) return false;
        if (!prefixOf(log)) return false;
        while (copy.offset() > offset && !undo.isEmpty()) {
            Undo u = undo.pollLast();
            copy.apply(u.inverse(), u.offsetBefore(), u.positionBefore());
        }
        if (copy.offset() > offset || copy.changelogPosition() > log.end() || copy.changelogPosition() < log.firstPosition()) return false;
        target.adopt(copy);
        return true;
    }

    @Override
    public synchronized void close() {
        closed = true;
        undo.clear();
        copy.close();
    }
}
