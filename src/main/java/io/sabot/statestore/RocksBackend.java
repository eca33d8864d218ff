package io.sabot.statestore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The on-disk backend: a RocksDB database in {@code live/}. A batch's changes and the offset and
 * changelog position they reach go in one {@link WriteBatch} (atomic, through RocksDB's write-ahead
 * log, so a SIGKILL right after leaves both or neither). The offset lives in a column family of its
 * own, out of the way of the agent's keys. Checkpoints are RocksDB checkpoints (hard links).
 */
final class RocksBackend implements Backend {
    private static final byte[] META_CF = "sabot-meta".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OFFSET_KEY = "offset".getBytes(StandardCharsets.UTF_8);
    private static volatile boolean loaded;

    private final Path dir;
    private DBOptions dbOptions;
    private ColumnFamilyOptions cfOptions;
    private final WriteOptions writeOptions;
    private RocksDB db;
    private ColumnFamilyHandle data;
    private ColumnFamilyHandle meta;
    private long offset;
    private long position;

    /**
     * Loads the native library once; a clear error names the platform when there is none for it.
     * RocksDB extracts its 15 MB library to a new temporary file in every process that loads it
     * (most of a failover's time); with {@code cacheDir} set, it is extracted there once and loaded
     * from there by every later process.
     */
    static void loadLibrary() throws IOException { loadLibrary(cacheDir); }

    /** Where the native library is kept once extracted (null: RocksDB's own temporary file). */
    static volatile Path cacheDir;

    static synchronized void loadLibrary(Path cache) throws IOException {
        if (loaded) return;
        if (cache != null) {
            try {
                String name = org.rocksdb.util.Environment.getJniLibraryFileName("rocksdb");
                Path dir = cache.resolve(RocksDB.class.getPackage().getImplementationVersion() == null ? "rocksdb"
                        : "rocksdb-" + RocksDB.class.getPackage().getImplementationVersion());
                Path lib = dir.resolve(name);
                if (!Files.exists(lib)) {
                    Files.createDirectories(dir);
                    Path tmp = dir.resolve(name + ".tmp" + ProcessHandle.current().pid());
                    try (java.io.InputStream in = RocksDB.class.getClassLoader().getResourceAsStream(name)) {
                        if (in == null) throw new IOException("no " + name + " in the RocksDB jar");
                        Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    Files.move(tmp, lib, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                // RocksDB.loadLibrary(paths) looks for these two names (built from "rocksdbjni", not the
                // resource's "rocksdb"): links to the extracted file
                for (String alias : List.of(org.rocksdb.util.Environment.getSharedLibraryFileName("rocksdbjni"),
                        org.rocksdb.util.Environment.getJniLibraryFileName("rocksdbjni"))) {
                    Path link = dir.resolve(alias);
                    if (link.equals(lib) || Files.exists(link)) continue;
                    try {
                        Files.createLink(link, lib);
                    } catch (IOException e) {
                        Files.copy(lib, link, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                RocksDB.loadLibrary(List.of(dir.toString()));
                loaded = true;
                return;
            } catch (Throwable e) {
                // RocksDB's own way below (a temporary file of its own)
            }
        }
        try {
            RocksDB.loadLibrary();
            loaded = true;
        } catch (Throwable e) {
            throw new IOException("RocksDB's native library does not load on " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + " (" + e.getMessage() + "); use \"backend\": \"memory\"", e);
        }
    }

    /** Opens (or creates) the database in {@code dir}. */
    RocksBackend(Path dir) throws IOException {
        loadLibrary();
        this.dir = dir;
        this.writeOptions = new WriteOptions();
        open();
    }

    private void open() throws IOException {
        Files.createDirectories(dir);
        cfOptions = new ColumnFamilyOptions().setWriteBufferSize(8L << 20).setMaxWriteBufferNumber(2);
        dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true).setMaxOpenFiles(64)
                .setKeepLogFileNum(2).setInfoLogLevel(org.rocksdb.InfoLogLevel.WARN_LEVEL);
        List<ColumnFamilyDescriptor> cfds = List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
                new ColumnFamilyDescriptor(META_CF, cfOptions));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            db = RocksDB.open(dbOptions, dir.toString(), cfds, handles);
            data = handles.get(0);
            meta = handles.get(1);
            byte[] m = db.get(meta, OFFSET_KEY);
            if (m != null && m.length == 16) {
                ByteBuffer b = ByteBuffer.wrap(m);
                offset = b.getLong();
                position = b.getLong();
            } else {
                offset = 0;
                position = 0;
            }
        } catch (RocksDBException e) {
            handles.forEach(ColumnFamilyHandle::close);
            throw new IOException("cannot open RocksDB store " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] get(byte[] key) {
        try {
            return db.get(data, key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB store " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void apply(List<Change> changes, long offset, long changelogPosition) throws IOException {
        try (WriteBatch wb = new WriteBatch()) {
            for (Change c : changes) {
                if (c.value() == null) wb.delete(data, c.key());
                else wb.put(data, c.key(), c.value());
            }
            wb.put(meta, OFFSET_KEY, ByteBuffer.allocate(16).putLong(offset).putLong(changelogPosition).array());
            db.write(writeOptions, wb);
            this.offset = offset;
            this.position = changelogPosition;
        } catch (RocksDBException e) {
            throw new IOException("cannot write RocksDB store " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override public long offset() { return offset; }

    @Override public long changelogPosition() { return position; }

    @Override
    public long entries() {
        try {
            return db.getLongProperty(data, "rocksdb.estimate-num-keys");
        } catch (RocksDBException e) {
            return 0;
        }
    }

    @Override
    public long bytes() {
        try {
            return db.getLongProperty(data, "rocksdb.estimate-live-data-size") + db.getLongProperty(data, "rocksdb.cur-size-all-mem-tables");
        } catch (RocksDBException e) {
            return 0;
        }
    }

    @Override
    public void checkpoint(Path target) throws IOException {
        try (Checkpoint cp = Checkpoint.create(db)) {
            cp.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new IOException("cannot checkpoint RocksDB store " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void load(Path checkpoint) throws IOException {
        closeDb();
        Stores.deleteTree(dir);
        Files.createDirectories(dir);
        // table files never change once written: link them; copy the rest (RocksDB rewrites those)
        try (Stream<Path> files = Files.list(checkpoint)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = dir.resolve(f.getFileName().toString());
                if (f.getFileName().toString().endsWith(".sst")) {
                    try {
                        Files.createLink(to, f);
                        continue;
                    } catch (IOException | UnsupportedOperationException e) {
                        // another file system: copy
                    }
                }
                Files.copy(f, to);
            }
        }
        open();
    }

    @Override
    public void clear() throws IOException {
        closeDb();
        Stores.deleteTree(dir);
        open();
    }

    /** Writes memtables to table files so the next open has no log to replay. */
    void flush() {
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            db.flush(fo, List.of(data, meta));
        } catch (RocksDBException e) {
            // the write-ahead log still holds everything
        }
    }

    private void closeDb() {
        if (db == null) return;
        data.close();
        meta.close();
        db.close();
        dbOptions.close();
        cfOptions.close();
        db = null;
    }

    @Override
    public void close() {
        closeDb();
        writeOptions.close();
    }
}
