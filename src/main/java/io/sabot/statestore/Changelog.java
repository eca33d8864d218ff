package io.sabot.statestore;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The local changelog of one partition store: an append-only log of batches, each the changes of
 * one processed batch of input and the input offset it brings the state to. Positions are byte
 * positions over the whole log; the log is kept in segment files named by their first position
 * (a new segment starts at each checkpoint, so old segments can go once no checkpoint needs them).
 *
 * <p>Record: {@code int length, body, int crc32c(body)}; body: {@code long endOffset, int n,} then
 * n times {@code int keyLength, key, int valueLength (-1: delete), value}. A record is written with
 * one write, so a SIGKILL leaves it whole or torn; a torn or damaged tail ends the log (it is cut
 * off on the next restore). Offsets increase along the log: a restore to an earlier offset cuts
 * off the batches past it before anything new is appended.
 */
final class Changelog implements AutoCloseable {
    private static final String SUFFIX = ".log";
    private final Path dir;
    /** Segment base position -> file. */
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    private FileChannel tail;
    private long tailBase;
    private long end;
    /** The start position and stored CRC of the last batch a replay handed out (a standby's check that the log it follows is unchanged). */
    long lastStart = -1;
    int lastCrc;

    /** Receives the batches of a replay. */
    interface Batches {
        void batch(List<Backend.Change> changes, long endOffset, long positionAfter) throws IOException;
    }

    /** What a replay reached: the offset and position after its last batch (from's when none). */
    record Reached(long offset, long position, long batches, long changes) {}

    Changelog(Path dir) throws IOException {
        this(dir, true);
    }

    /**
     * A reader of another process's changelog (a standby follows the owner's): lists the segments
     * as they are now, writes nothing. Open a new one to see segments added or deleted since.
     */
    static Changelog reader(Path dir) throws IOException {
        return new Changelog(dir, false);
    }

    private Changelog(Path dir, boolean write) throws IOException {
        this.dir = dir;
        if (write) Files.createDirectories(dir);
        if (Files.isDirectory(dir)) listSegments();
        if (segments.isEmpty()) segments.put(0L, dir.resolve(name(0)));
        tailBase = segments.lastKey();
        if (!write) {
            end = tailBase + (Files.exists(segments.get(tailBase)) ? Files.size(segments.get(tailBase)) : 0);
            return;
        }
        tail = FileChannel.open(segments.get(tailBase), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        end = tailBase + tail.size();
        tail.position(tail.size());
    }

    /** The segment files in the folder, by the position each starts at (files not named so are not ours). */
    private void listSegments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (!n.endsWith(SUFFIX)) continue;
                try {
                    segments.put(Long.parseLong(n.substring(0, n.length() - SUFFIX.length())), f);
                } catch (NumberFormatException e) {
                    // not ours
                }
            }
        }
    }

    private static String name(long base) { return String.format("%020d%s", base, SUFFIX); }

    long end() { return end; }

    long firstPosition() { return segments.firstKey(); }

    /** Appends a batch; returns the position after it. */
    long append(long endOffset, List<Backend.Change> changes) throws IOException {
        int len = 12;
        for (Backend.Change c : changes) len += 8 + c.key().length + (c.value() == null ? 0 : c.value().length);
        ByteBuffer b = ByteBuffer.allocate(len + 8);
        b.putInt(len);
        b.putLong(endOffset);
        b.putInt(changes.size());
        for (Backend.Change c : changes) {
            b.putInt(c.key().length).put(c.key());
            if (c.value() == null) b.putInt(-1);
            else b.putInt(c.value().length).put(c.value());
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 4, len);
        b.putInt((int) crc.getValue());
        b.flip();
        while (b.hasRemaining()) tail.write(b);
        end += len + 8;
        return end;
    }

    /** Starts a new segment at the end (at a checkpoint). */
    void roll() throws IOException {
        if (end == tailBase) return;
        tail.close();
        tailBase = end;
        Path f = dir.resolve(name(end));
        segments.put(end, f);
        tail = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    /** Deletes the segments that end at or before {@code position} (no checkpoint needs them). */
    void deleteBefore(long position) throws IOException {
        while (segments.size() > 1) {
            Long second = segments.higherKey(segments.firstKey());
            if (second == null || second > position) break;
            Files.deleteIfExists(segments.remove(segments.firstKey()));
        }
    }

    /** Cuts the log at {@code position}: everything after it goes. */
    void truncate(long position) throws IOException {
        if (position >= end) return;
        tail.close();
        for (Long base : new ArrayList<>(segments.tailMap(position, false).keySet())) {
            if (base == segments.firstKey()) break;
            Files.deleteIfExists(segments.remove(base));
        }
        tailBase = segments.floorKey(position) == null ? segments.firstKey() : segments.floorKey(position);
        tail = FileChannel.open(segments.get(tailBase), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        tail.truncate(Math.max(0, position - tailBase));
        end = tailBase + tail.size();
        tail.position(tail.size());
    }

    /** Counts the batches and changes from {@code from} whose end offset is at most {@code upTo} (headers only). */
    long[] count(long from, long upTo) throws IOException {
        long[] out = new long[2];
        scan(from, upTo, null, out);
        return out;
    }

    /** Replays from {@code from} the batches whose end offset is at most {@code upTo}, in order. */
    Reached replay(long from, long startOffset, long upTo, Batches sink) throws IOException {
        long[] counts = new long[2];
        long[] reached = scan(from, upTo, sink, counts);
        return new Reached(reached[0] < 0 ? startOffset : reached[0], reached[1], counts[0], counts[1]);
    }

    private long[] scan(long from, long upTo, Batches sink, long[] counts) throws IOException {
        long lastOffset = -1;
        long pos = from;
        Long base = segments.floorKey(from);
        if (base == null) return new long[] {lastOffset, pos};
        for (Long seg : segments.tailMap(base, true).keySet()) {
            Path f = segments.get(seg);
            if (!Files.exists(f)) break;
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                long segEnd = seg + ch.size();
                if (pos < seg) break; // a gap: never happens in a log we wrote
                ch.position(pos - seg);
                DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch), 1 << 16));
                while (pos < segEnd) {
                    int len;
                    long endOffset;
                    int n;
                    try {
                        len = in.readInt();
                        if (len < 12 || pos + 8 + len > segEnd) return new long[] {lastOffset, pos}; // torn
                        if (sink == null) {
                            endOffset = in.readLong();
                            n = in.readInt();
                            if (endOffset > upTo) return new long[] {lastOffset, pos};
                            in.skipNBytes(len - 12 + 4);
                        } else {
                            byte[] body = new byte[len];
                            in.readFully(body);
                            int crcStored = in.readInt();
                            CRC32C crc = new CRC32C();
                            crc.update(body);
                            if ((int) crc.getValue() != crcStored) return new long[] {lastOffset, pos}; // damaged
                            ByteBuffer b = ByteBuffer.wrap(body);
                            endOffset = b.getLong();
                            n = b.getInt();
                            if (endOffset > upTo) return new long[] {lastOffset, pos};
                            List<Backend.Change> changes = new ArrayList<>(n);
                            for (int i = 0; i < n; i++) {
                                byte[] k = new byte[b.getInt()];
                                b.get(k);
                                int vl = b.getInt();
                                byte[] v = null;
                                if (vl >= 0) {
                                    v = new byte[vl];
                                    b.get(v);
                                }
                                changes.add(new Backend.Change(k, v));
                            }
                            lastStart = pos;
                            lastCrc = crcStored;
                            sink.batch(changes, endOffset, pos + 8 + len);
                        }
                    } catch (EOFException | java.nio.BufferUnderflowException e) {
                        return new long[] {lastOffset, pos}; // torn
                    }
                    pos += 8 + len;
                    lastOffset = endOffset;
                    counts[0]++;
                    counts[1] += n;
                }
            }
        }
        return new long[] {lastOffset, pos};
    }

    /** The stored CRC of the batch that starts at {@code position}, or null when none is whole there. */
    Integer crcAt(long position) throws IOException {
        Long base = segments.floorKey(position);
        if (base == null) return null;
        Path f = segments.get(base);
        if (!Files.exists(f)) return null;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4);
            if (ch.read(b, position - base) != 4) return null;
            int len = b.flip().getInt();
            if (len < 12 || position - base + 8 + len > ch.size()) return null;
            b.clear();
            if (ch.read(b, position - base + 4 + len) != 4) return null;
            return b.flip().getInt();
        }
    }

    /** Bytes on disk. */
    long sizeOnDisk() {
        long s = 0;
        for (Path f : segments.values()) {
            try {
                s += Files.size(f);
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        return s;
    }

    @Override
    public void close() {
        if (tail == null) return; // a reader
        try {
            tail.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

}
