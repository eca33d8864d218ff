package io.sabot.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.zip.CRC32;

/**
 * {@code <home>/sabot.snapshot.json}, replaced atomically: written to a temporary file (0600),
 * optionally forced to disk, then renamed over the old one, so a reader always finds either the
 * old or the new snapshot, never a torn one (SnapshotFileTest#aTornWriteLeavesTheOldSnapshot).
 *
 * <p>A full disk must not stop it: the snapshot is what keeps a stop or a removal from being
 * reverted when the engine restarts while the disk is still full. A new file needs new blocks,
 * which a full disk does not have; so, laid down while there is room, a fallback file
 * ({@value #SLOTS}) holds two preallocated slots, and when the rename way fails for lack of
 * space the snapshot is written in place into the older slot (with its length and CRC): no new
 * block is needed, and a torn write spoils only that slot. Reading takes the newest valid of the
 * three (SnapshotFileTest#aFullDiskWritesIntoThePreallocatedSlots).
 */
final class SnapshotFile {
    static final String NAME = "sabot.snapshot.json";
    static final String SLOTS = ".sabot.snapshot.slots";
    private static final String TMP = ".sabot.snapshot.json.tmp";
    private static final long MIN_SLOT = 1024 * 1024;
    private static final int HEADER = 64;
    private static final byte[] MAGIC = "SABOTSNAP1".getBytes(StandardCharsets.US_ASCII);

    private final Path home;
    private final Path file;
    private final boolean fsync;
    private long seq;

    SnapshotFile(Path home, boolean fsync) {
        this.home = home;
        this.file = home.resolve(NAME);
        this.fsync = fsync;
    }

    Path path() { return file; }

    /** Reads the newest snapshot (the file or a slot); null when there is none. */
    Snapshot read() throws IOException {
        return read(file);
    }

    /** The newest snapshot in the file {@code file} or the slots beside it; null when there is none. */
    static Snapshot read(Path file) throws IOException {
        Snapshot main = null;
        IOException problem = null;
        try {
            main = Snapshot.parse(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            main = null;
        } catch (IOException | RuntimeException e) {
            problem = new IOException(file + " is unreadable: " + StoreFaults.clean(e.getMessage()), e);
        }
        Snapshot slot = readSlots(file.resolveSibling(SLOTS));
        if (slot != null && (main == null || slot.writtenAtMs() > main.writtenAtMs())) return slot;
        if (main == null && problem != null) throw problem;
        return main;
    }

    /** Replaces the snapshot; on a full disk writes it into a preallocated slot instead. */
    synchronized void write(Snapshot s) throws IOException {
        byte[] bytes = s.toJson();
        seq = Math.max(seq + 1, s.writtenAtMs());
        try {
            replace(bytes);
        } catch (IOException e) {
            if (StoreFaults.classify(e) != StoreFaults.Kind.DISK_FULL || !writeSlot(bytes)) throw e;
            return;
        }
        keepSlots(bytes.length);
    }

    private void replace(byte[] bytes) throws IOException {
        Path tmp = home.resolve(TMP);
        try (FileChannel ch = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), HomeLock.ownerOnlyFile())) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
            if (fsync) ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        HomeLock.ownerOnly(tmp);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        if (fsync) forceDir(home);
    }

    // ---- the slots: two fixed-size areas written in place --------------------------------------

    /** Lays the slot file down (or grows it) while there is clearly room; its blocks are then the snapshot's for good. */
    private void keepSlots(int snapshotBytes) {
        Path slots = home.resolve(SLOTS);
        long slot = Math.max(MIN_SLOT, 4L * (snapshotBytes + HEADER));
        try {
            if (Files.exists(slots) && Files.size(slots) >= 2 * slot) return;
            if (Files.getFileStore(home).getUsableSpace() < 8 * slot) return;
            Path tmp = home.resolve(SLOTS + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING), HomeLock.ownerOnlyFile())) {
                ByteBuffer zeros = ByteBuffer.allocate(64 * 1024); // real zeros: a sparse file would need blocks later
                long at = 0;
                while (at < 2 * slot) {
                    zeros.clear();
                    if (2 * slot - at < zeros.capacity()) zeros.limit((int) (2 * slot - at));
                    at += ch.write(zeros, at);
                }
                ch.force(true);
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                return;
            }
            HomeLock.ownerOnly(tmp);
            Files.move(tmp, slots, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // laid down at a later write
        }
    }

    /** Writes into the older slot in place; false when there is no slot file or the snapshot does not fit. */
    private boolean writeSlot(byte[] json) throws IOException {
        Path slots = home.resolve(SLOTS);
        if (!Files.exists(slots)) return false;
        try (FileChannel ch = FileChannel.open(slots, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long slot = ch.size() / 2;
            if (json.length + HEADER > slot) return false;
            long[] seqs = {slotSeq(ch, 0), slotSeq(ch, slot)};
            long at = seqs[0] <= seqs[1] ? 0 : slot;
            CRC32 crc = new CRC32();
            crc.update(json);
            ByteBuffer head = ByteBuffer.allocate(HEADER);
            head.put(MAGIC).putLong(seq).putInt(json.length).putLong(crc.getValue());
            head.position(HEADER).flip();
            ByteBuffer body = ByteBuffer.wrap(json);
            ch.write(head, at);
            long pos = at + HEADER;
            while (body.hasRemaining()) pos += ch.write(body, pos);
            if (fsync) ch.force(true);
            return true;
        }
    }

    private static long slotSeq(FileChannel ch, long at) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(HEADER);
        ch.read(head, at);
        head.flip();
        if (head.remaining() < MAGIC.length + 20) return -1;
        byte[] m = new byte[MAGIC.length];
        head.get(m);
        if (!java.util.Arrays.equals(m, MAGIC)) return -1;
        return head.getLong();
    }

    /** The newest slot whose CRC matches; null when none. */
    static Snapshot readSlots(Path slots) {
        if (!Files.exists(slots)) return null;
        Snapshot best = null;
        long bestSeq = -1;
        try (FileChannel ch = FileChannel.open(slots, StandardOpenOption.READ)) {
            long slot = ch.size() / 2;
            for (long at : new long[] {0, slot}) {
                long s = slotSeq(ch, at);
                if (s < 0 || s <= bestSeq) continue;
                ByteBuffer head = ByteBuffer.allocate(HEADER);
                ch.read(head, at);
                head.position(MAGIC.length + 8);
                int len = head.getInt();
                long crcWant = head.getLong();
                if (len <= 0 || len > slot - HEADER) continue;
                ByteBuffer body = ByteBuffer.allocate(len);
                while (body.hasRemaining() && ch.read(body, at + HEADER + body.position()) > 0) {
                    // read it all
                }
                CRC32 crc = new CRC32();
                crc.update(body.array());
                if (crc.getValue() != crcWant) continue;
                try {
                    best = Snapshot.parse(body.array());
                    bestSeq = s;
                } catch (IOException | RuntimeException e) {
                    // a slot that does not parse is skipped
                }
            }
        } catch (IOException e) {
            return best;
        }
        return best;
    }

    static void forceDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException ignored) {
            // not every file system lets a directory be forced; the rename is atomic either way
        }
    }
}
