package io.sabot.statestore;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The in-memory backend: a hash map. Durable only through the changelog and its checkpoints, a
 * file {@code data} holding every entry with the offset and changelog position, CRC-checked.
 */
final class MemoryBackend implements Backend {
    static final int MAGIC = 0x53424350; // "SBCP"
    private final Map<Key, byte[]> map = new HashMap<>();
    private long offset;
    private long position;
    private long bytes;

    /** A byte[] usable as a map key. */
    record Key(byte[] b, int hash) {
        static Key of(byte[] b) { return new Key(b, Arrays.hashCode(b)); }

        @Override public int hashCode() { return hash; }

        @Override public boolean equals(Object o) { return o instanceof Key k && k.hash == hash && Arrays.equals(k.b, b); }
    }

    @Override
    public byte[] get(byte[] key) { return map.get(Key.of(key)); }

    @Override
    public void apply(List<Change> changes, long offset, long changelogPosition) {
        for (Change c : changes) put(c.key(), c.value());
        this.offset = offset;
        this.position = changelogPosition;
    }

    private void put(byte[] key, byte[] value) {
        byte[] old = value == null ? map.remove(Key.of(key)) : map.put(Key.of(key), value);
        if (old != null) bytes -= key.length + old.length;
        if (value != null) bytes += key.length + value.length;
    }

    @Override public long offset() { return offset; }

    @Override public long changelogPosition() { return position; }

    @Override public long entries() { return map.size(); }

    @Override public long bytes() { return bytes; }

    @Override
    public void checkpoint(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve("data");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            CRC32C crc = new CRC32C();
            OutputStream raw = java.nio.channels.Channels.newOutputStream(ch);
            DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), crc));
            out.writeInt(MAGIC);
            out.writeLong(offset);
            out.writeLong(position);
            out.writeLong(map.size());
            for (Map.Entry<Key, byte[]> e : map.entrySet()) {
                out.writeInt(e.getKey().b().length);
                out.write(e.getKey().b());
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
            out.flush();
            // the CRC of everything before it, outside the checked stream
            DataOutputStream tail = new DataOutputStream(new BufferedOutputStream(raw, 16));
            tail.writeLong(crc.getValue());
            tail.flush();
            ch.force(true);
        }
    }

    @Override
    public void load(Path dir) throws IOException {
        clear();
        Path f = dir.resolve("data");
        try (InputStream raw = Files.newInputStream(f)) {
            CRC32C crc = new CRC32C();
            DataInputStream in = new DataInputStream(new CheckedInputStream(new BufferedInputStream(raw, 1 << 16), crc));
            if (in.readInt() != MAGIC) throw new IOException(f + " is not a Sabot state checkpoint");
            long off = in.readLong();
            long pos = in.readLong();
            long n = in.readLong();
            for (long i = 0; i < n; i++) {
                byte[] k = new byte[in.readInt()];
                in.readFully(k);
                byte[] v = new byte[in.readInt()];
                in.readFully(v);
                put(k, v);
            }
            long expected = crc.getValue();
            long stored = new DataInputStream(in).readLong(); // read through the checked stream after taking its value
            if (stored != expected) throw new IOException(f + " is damaged (checksum mismatch)");
            offset = off;
            position = pos;
        } catch (java.io.EOFException e) {
            clear();
            throw new IOException(f + " is cut short", e);
        } catch (IOException e) {
            clear();
            throw e;
        }
    }

    /** Takes over another backend's entries, offset and position (a standby's warm copy becoming the owner's). */
    void adopt(MemoryBackend other) {
        clear();
        map.putAll(other.map);
        bytes = other.bytes;
        offset = other.offset;
        position = other.position;
    }

    @Override
    public void clear() {
        map.clear();
        bytes = 0;
        offset = 0;
        position = 0;
    }

    @Override
    public void close() {
        map.clear();
    }
}
