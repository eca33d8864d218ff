package io.sabot.store;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The durable store of one Sabot home: an embedded H2 file {@code <home>/sabot.mv.db}.
 *
 * <pre>{@code
 * try (HomeLock lock = HomeLock.acquire(home);               // exit 3 on HomeLockedException
 *      Store store = Store.open(lock, StoreOptions.defaults())) {
 *     RecoveredState state = store.recovery().load();
 *     long t = store.journal().submit(transition);           // non-blocking
 *     store.journal().awaitDurable(t);                       // group commit
 * }
 * }</pre>
 *
 * <p>Durability: every write goes through one {@link JournalWriter} (group commit), which after
 * each transaction runs {@code CHECKPOINT} (MVStore commit): the data is in the file before
 * {@code awaitDurable} returns and survives {@code kill -9} of the process
 * ({@link StoreOptions#fsync()} adds an fsync for power loss). H2's own write delay (500 ms) only
 * applies to the retention task's deletes, which are redone if lost. Repositories read through a
 * small pool.
 *
 * <p>Faults (docs/store-and-telemetry.md, "When things go wrong"):
 * <ul>
 * <li>A full disk or an I/O error never closes the store for good: the journal holds what it could
 *     not write, reopens the database and retries until it can
 *     (FullDiskTest#fullDiskHoldsRecordsKeepsSupervisingAndResumesWithoutRestart); {@link #status()}
 *     and {@link #onStatus} say so in words.</li>
 * <li>A start on a full disk comes up: an opening that cannot write (H2 writes when it opens, or
 *     first reads, a database not closed cleanly) is done again read-only, and reads wait out the
 *     journal's reopening instead of failing
 *     (FullDiskTest#aStartOnADiskWithNoByteLeftComesUpFromTheSnapshot).</li>
 * <li>What the engine needs to supervise (specs, desired state, instances, offsets, latest
 *     assignment epochs) is also kept in memory ({@link KeyedState}) and in the snapshot file
 *     {@code sabot.snapshot.json}, replaced atomically at every acknowledged operation and every
 *     second it changed, with a reserve file so a full disk cannot stop it.</li>
 * <li>A database that cannot be read when opening (damaged, truncated, missing) is moved aside,
 *     the newest backup that passes a full scan is restored, and the snapshot laid over it; a
 *     database that lost its latest writes (its generation is below the snapshot's) gets them back
 *     from the snapshot (StoreRepairTest). Every such action is a notice ({@link #notices()}).</li>
 * <li>Online backups ({@code backups/}, H2 {@code BACKUP TO}) are taken only of a database whose
 *     full scan passed; a scan that finds damage while running restores the same way, online.</li>
 * </ul>
 * The home is 0700, every file in it 0600 (H2's trace file is off: {@code TRACE_LEVEL_FILE=0}).
 * Record times are stored as epoch milliseconds (span times as epoch nanoseconds).
 */
public final class Store implements AutoCloseable {
    public static final String DB_NAME = "sabot";
    static final String USER = "sabot";
    private static final System.Logger LOG = System.getLogger(Store.class.getName());
    /** Below this much free space a full disk is not retried more than every {@link #FULL_RETRY_NANOS}. */
    private static final long MIN_FREE_TO_RETRY = 1024 * 1024;
    private static final long FULL_RETRY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int MAX_NOTICES = 20;

    private final Path home;
    private final Path dbFile;
    private final HomeLock lock;
    private final boolean ownsLock;
    private final StoreOptions options;
    private final String url;
    private volatile JdbcConnectionPool pool;
    /** The URL the database is open with now: read-only while a full disk keeps H2 from opening it read-write. */
    private volatile String openUrl;
    /** Why the database had to be opened read-only (the journal starts failing with it), or null. */
    private SQLException openFault;
    private final DataSource reads = new CurrentPool();
    private final SqlBatchWriter batchWriter;
    private final JournalWriter journal;
    private final KeyedState state = new KeyedState();
    private final SnapshotFile snapshotFile;
    private final RetentionTask retention;
    private final ScheduledExecutorService scheduler;
    private final int schemaVersion;
    private volatile String storeId;
    private final List<String> notices = new ArrayList<>();     // guarded by itself
    private long noticeCount;                                   // guarded by notices
    private final List<Consumer<StoreStatus>> listeners = new CopyOnWriteArrayList<>();
    private final Object snapshotLock = new Object();
    private long snapshotVersion = -1;            // guarded by snapshotLock
    private boolean snapshotAhead;                // guarded by snapshotLock
    private volatile long snapshotAtMs;
    private volatile String snapshotProblem;
    private volatile boolean stateSafe = true;
    private volatile Backups.Backup lastBackup;
    private volatile long lastBackupMillis;
    private volatile String backupProblem;
    private volatile long lastRealAttemptNanos;
    private volatile boolean closing;
    private boolean fleetStateLost;

    private final SpecRepository specs;
    private final DesiredStateRepository desiredStates;
    private final InstanceRepository instances;
    private final TransitionRepository transitions;
    private final ResultRepository results;
    private final MetricRepository metrics;
    private final AssignmentRepository assignments;
    private final OffsetRepository offsets;
    private final SpanRepository spans;
    private final EventRepository events;
    // operator data (issue 15): written outside the journal by the ops services' own threads
    private final AlertRepository alerts;
    private final CrashRepository crashes;
    private final UsageRepository usage;
    private boolean closed;

    /** Acquires the home lock and opens the store with default options; closing the store releases the lock. */
    public static Store open(Path home) {
        return open(home, StoreOptions.defaults());
    }

    /** Acquires the home lock and opens the store; closing the store releases the lock. */
    public static Store open(Path home, StoreOptions options) {
        HomeLock lock = HomeLock.acquire(home);
        try {
            return new Store(lock, true, options, false);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Opens the store of a home whose lock the caller already holds (and keeps: closing the store does not release it). */
    public static Store open(HomeLock lock, StoreOptions options) {
        if (!lock.isHeld()) throw new IllegalStateException("home lock of " + lock.home() + " is not held");
        return new Store(lock, false, options, false);
    }

    /**
     * Opens the store like a starting engine, but first reads every row of the database: a database
     * damaged anywhere (not only where the engine reads at start) is restored before this returns.
     * What {@code sabot store repair} runs.
     */
    public static Store openChecked(HomeLock lock, StoreOptions options) {
        if (!lock.isHeld()) throw new IllegalStateException("home lock of " + lock.home() + " is not held");
        return new Store(lock, false, options, true);
    }

    /**
     * H2's write delay: how often MVStore's background thread looks for lazy changes (metrics, history)
     * to write and housekeeps. 2 s rather than H2's 500 ms: its wake-ups were the largest idle cost of
     * the store (issue 13); what a crash can lose is only the lazy rows of the last 2 s, never a
     * journal group commit (those are made durable explicitly, see below).
     */
    static final int WRITE_DELAY_MS = 2000;

    /** The H2 URL of a database file {@code base}.mv.db. */
    static String url(Path base, int cacheSizeKb) {
        // WRITE_DELAY is never 0 on purpose: it keeps MVStore's background thread, whose
        // housekeeping compacts the file (with WRITE_DELAY=0 there is none, and a day of metrics grew the
        // file past 640 MB). Durability does not rely on it: the journal makes each group commit durable
        // with an explicit CHECKPOINT (see SqlBatchWriter#commit). TRACE_LEVEL_FILE=0: H2 would otherwise
        // create sabot.trace.db on the first error, with the process's umask (0644), in an owner-only home.
        return "jdbc:h2:file:" + base + ";WRITE_DELAY=" + WRITE_DELAY_MS + ";DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0"
                + ";LOCK_TIMEOUT=10000;CACHE_SIZE=" + cacheSizeKb;
    }

    /** What opening found in the database. */
    private record Opened(Connection writer, JdbcConnectionPool pool, int schema, long generation, String storeId,
                          RecoveredState loaded, boolean created) { }

    private Store(HomeLock lock, boolean ownsLock, StoreOptions options, boolean fullScan) {
        this.options = Objects.requireNonNull(options, "options");
        this.lock = lock;
        this.ownsLock = ownsLock;
        this.home = lock.home();
        if (home.toString().contains(";")) throw new StoreException("home " + home + " contains ';', which H2 URLs cannot hold");
        this.dbFile = home.resolve(DB_NAME + ".mv.db");
        this.url = url(home.resolve(DB_NAME), options.cacheSizeKb());
        this.snapshotFile = new SnapshotFile(home, options.fsync());
        boolean existed = sizeOf(dbFile) > 0;
        Snapshot snap = readSnapshot();
        StoreRepair.Restored restored = null;
        if (!existed && (snap != null || !Backups.list(home).isEmpty())) {
            restored = restore("the database file " + dbFile + " was missing or empty");
        }
        checkDbFile();
        Opened o;
        try {
            o = openDb(fullScan);
            if (o.created() && existed && restored == null) {
                // a file that was there but holds no Sabot tables (cut short, overwritten): as damaged as it gets
                closeQuietly(o.writer());
                o.pool().dispose();
                throw new DamagedStoreException("it held no Sabot data (cut short or overwritten?)");
            }
        } catch (StoreException e) {
            if (!damaged(e)) throw e;
            restored = restore("the database file " + dbFile + " could not be read: " + StoreFaults.detail(e));
            checkDbFile();
            o = openDb(false);
        }
        boolean fresh = restored != null || !existed || o.created();
        boolean sameLineage = snap != null && (fresh || snap.storeId().equals(o.storeId()));
        boolean useSnapshot = sameLineage && (fresh || snap.dbGeneration() > o.generation()
                || (snap.dbGeneration() == o.generation() && snap.ahead()));
        String id = o.storeId();
        if (snap != null && !sameLineage && !snap.storeId().isEmpty()) {
            notice("the snapshot file " + snapshotFile.path() + " belongs to another database (store " + snap.storeId()
                    + "); it was not applied and will be replaced");
        }
        try {
            this.batchWriter = new SqlBatchWriter(o.writer(), options.fsync());
            if (useSnapshot) {
                // generations keep growing across the restore; written with the next commit, so a full disk cannot stop the opening
                if (restored != null && !snap.storeId().isEmpty()) id = snap.storeId();
                batchWriter.continueFrom(Math.max(o.generation(), snap.dbGeneration()) + 1, id);
            }
        } catch (SQLException e) {
            closeQuietly(o.writer());
            o.pool().dispose();
            throw translate(e);
        }
        this.pool = o.pool();
        this.schemaVersion = o.schema();
        this.storeId = id;
        restrictFiles();
        state.load(o.loaded());
        this.journal = new JournalWriter(batchWriter, options.journalCapacity(), "sabot-journal");
        journal.describer(t -> StoreFaults.describe(t, home));
        journal.closePatience(options.safety().closePatience());
        journal.onAccept(state::apply);
        journal.onHealth(this::onJournalHealth);
        batchWriter.reopener(this::reopen);
        if (openFault != null) {
            batchWriter.inject(openFault); // opened read-only: the first write fails with the cause, and the journal reopens read-write
            notice("the database " + dbFile + " was opened read-only because " + StoreFaults.describe(openFault, home)
                    + "; changes are held in memory and in the snapshot file until it can be written");
        }
        Sql sql = new Sql(reads, dbFile.toString(), Sql.TRANSIENT_PATIENCE_NANOS);
        this.specs = new SpecRepository(sql, journal);
        this.desiredStates = new DesiredStateRepository(sql, journal);
        this.instances = new InstanceRepository(sql, journal);
        this.transitions = new TransitionRepository(sql, journal);
        this.results = new ResultRepository(sql, journal);
        this.metrics = new MetricRepository(sql, journal);
        this.assignments = new AssignmentRepository(sql, journal);
        this.offsets = new OffsetRepository(sql, journal);
        this.spans = new SpanRepository(sql, journal);
        this.events = new EventRepository(sql, journal);
        OpsSql opsSql = new OpsSql(reads, dbFile.toString()); // the current pool: reopening the database swaps it
        this.alerts = new AlertRepository(sql, opsSql);
        this.crashes = new CrashRepository(sql, opsSql);
        this.usage = new UsageRepository(sql, opsSql);
        if (restored != null) restoredNotices(restored, snap, useSnapshot);
        fleetStateLost = restored != null && !useSnapshot;
        if (useSnapshot) applySnapshot(snap, o, restored != null);
        this.retention = new RetentionTask(reads, options.retention(), dbFile, Clock.systemUTC());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sabot-store");
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        });
        if (options.scheduleRetention()) {
            long every = Math.max(1000, options.retention().interval().toMillis());
            // deletes need room too: no retention while the store cannot write
            scheduler.scheduleWithFixedDelay(() -> {
                if (journal.failure() == null) retention.run();
            }, every, every, TimeUnit.MILLISECONDS);
        }
        this.lastBackup = Backups.list(home).stream().findFirst().orElse(null);
        scheduler.scheduleWithFixedDelay(this::publishIfChanged, 1, 1, TimeUnit.SECONDS); // e.g. the disk freed while nothing was written
        long snapEvery = options.safety().snapshotEvery().toMillis();
        scheduler.scheduleWithFixedDelay(this::snapshotTick, 0, snapEvery, TimeUnit.MILLISECONDS);
        long first = Math.max(0, options.safety().firstBackupAfter().toMillis());
        // a full scan soon after opening (opening reads only the tables the engine starts from): damage
        // elsewhere is repaired before anyone trips over it
        if (!fullScan) scheduler.schedule(this::scanTick, Math.min(first, 10_000), TimeUnit.MILLISECONDS);
        if (!options.safety().backupEvery().isZero()) {
            long every = Math.max(1000, options.safety().backupEvery().toMillis());
            scheduler.scheduleWithFixedDelay(this::backupTick, first, Math.min(every, 60_000), TimeUnit.MILLISECONDS);
        }
    }

    // ---- opening ---------------------------------------------------------------------------------

    private Opened openDb(boolean fullScan) {
        try {
            return openDbAt(url, fullScan, null);
        } catch (StoreException e) {
            // H2 writes when it opens a database that was not closed cleanly, and may write again on the
            // first reads after it (a chunk rewrite, its background writer); on a full disk either fails,
            // and a failed write closes H2's store, so the reads of the opening fail too. Read-only, the
            // engine can still start and supervise; the journal holds every write and reopens read-write
            // once there is room (FullDiskTest#aRestartWhileTheDiskIsStillFullRevertsNothing,
            // FullDiskTest#aStartOnADiskWithNoByteLeftComesUpFromTheSnapshot).
            SQLException cause = sqlCause(e);
            StoreFaults.Kind k = StoreFaults.classify(e);
            if (cause == null || (k != StoreFaults.Kind.DISK_FULL && k != StoreFaults.Kind.IO_ERROR)) throw e;
            return openDbAt(url + ";ACCESS_MODE_DATA=r", fullScan, cause);
        }
    }

    private static SQLException sqlCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException) return (SQLException) c;
        }
        return null;
    }

    /** Opens the database at {@code u} and reads what the engine starts from; {@code readOnlyBecause} is why u is read-only. */
    private Opened openDbAt(String u, boolean fullScan, SQLException readOnlyBecause) {
        Connection w = null;
        JdbcConnectionPool p = null;
        try {
            int schema;
            boolean created;
            w = connect(u);
            openUrl = u;
            if (readOnlyBecause == null) {
                created = !Migrations.hasSchema(w);
                schema = Migrations.apply(w, dbFile);
            } else {
                schema = Migrations.current(w, dbFile, StoreFaults.describe(readOnlyBecause, home));
                created = false;
            }
            if (fullScan) {
                StoreRepair.Scan s = StoreRepair.scan(w);
                if (!s.ok()) throw new DamagedStoreException(dbFile + " has unreadable tables: " + s.problems());
            }
            long generation = SqlBatchWriter.readGeneration(w);
            String id = readStoreId(w);
            p = newPool();
            Sql sql = new Sql(p, dbFile.toString());
            Map<String, DesiredStateRecord> desired = new java.util.LinkedHashMap<>();
            for (DesiredStateRecord d : new DesiredStateRepository(sql, null).all()) desired.put(d.agent(), d);
            RecoveredState loaded = new RecoveredState(new SpecRepository(sql, null).all(), desired,
                    new InstanceRepository(sql, null).all(), new AssignmentRepository(sql, null).latestPerGroupTopic(),
                    new OffsetRepository(sql, null).all());
            openFault = readOnlyBecause;
            return new Opened(w, p, schema, generation, id, loaded, created);
        } catch (SQLException e) {
            closeQuietly(w);
            if (p != null) p.dispose();
            throw translate(e);
        } catch (RuntimeException e) {
            closeQuietly(w);
            if (p != null) p.dispose();
            if (e instanceof StoreException) throw e;
            throw new StoreException("cannot open database file " + dbFile + ": " + StoreFaults.detail(e), e);
        }
    }

    private JdbcConnectionPool newPool() {
        JdbcConnectionPool p = JdbcConnectionPool.create(openUrl, USER, "");
        p.setMaxConnections(options.readConnections());
        return p;
    }

    /** A failure that means the file cannot be used as it is (not a lock, a permission, a newer schema, a full disk). */
    private static boolean damaged(StoreException e) {
        return e instanceof DamagedStoreException || StoreFaults.classify(e) == StoreFaults.Kind.DAMAGED;
    }

    private StoreRepair.Restored restore(String reason) {
        try {
            return StoreRepair.restore(home, reason);
        } catch (IOException e) {
            throw new StoreException("cannot move the damaged database " + dbFile + " aside (" + StoreFaults.detail(e)
                    + "): " + reason, e);
        }
    }

    private Snapshot readSnapshot() {
        try {
            return snapshotFile.read();
        } catch (IOException e) {
            Path aside = home.resolve(SnapshotFile.NAME + StoreRepair.DAMAGED_SUFFIX + System.currentTimeMillis());
            try {
                Files.move(snapshotFile.path(), aside);
            } catch (IOException ignored) {
                aside = snapshotFile.path();
            }
            notice(StoreFaults.clean(e.getMessage()) + "; it was moved aside to " + aside + " and will be written again");
            return null;
        }
    }

    private void restoredNotices(StoreRepair.Restored r, Snapshot snap, boolean snapshotUsed) {
        StringBuilder sb = new StringBuilder(r.reason());
        if (r.movedAside() != null) sb.append("; it was moved aside to ").append(r.movedAside());
        for (Path bad : r.badBackups()) sb.append("; backup ").append(bad.getFileName()).append(" is damaged too, skipped");
        if (r.backup() != null) {
            sb.append("; restored the backup of ").append(r.backup().time()).append(" (").append(r.backup().file().getFileName())
                    .append("): history recorded after that (transitions, events, metrics, traces) could not be recovered");
        } else {
            sb.append("; there was no usable backup: a new database was created and the history it held could not be recovered");
        }
        if (snapshotUsed) {
            sb.append("; specs, desired state, instances and offsets come from the snapshot of ")
                    .append(Instant.ofEpochMilli(snap.writtenAtMs())).append(" (agents: ").append(names(snap.agents())).append(')');
        } else if (r.backup() != null) {
            sb.append("; there was no snapshot: specs and desired state are as of the backup, later changes to them could not be recovered");
        } else {
            sb.append("; there was no snapshot either: the fleet's specs could not be recovered (deploy them again)");
        }
        notice(sb.toString());
    }

    /** Lays the snapshot over what the database loaded: the journal writes the difference. */
    private void applySnapshot(Snapshot snap, Opened o, boolean afterRestore) {
        RecoveredState db = o.loaded();
        RecoveredState s = snap.state();
        KeyedState merged = new KeyedState();
        merged.load(s);
        for (OffsetRecord off : db.offsets()) merged.apply(off);          // offsets only move forward
        for (AssignmentRecord a : db.assignments().values()) merged.apply(a);
        List<JournalRecord> diff = merged.recordsToReach(db, Instant.now());
        for (JournalRecord r : diff) journal.submit(r); // accepted records update the in-memory state too
        state.load(merged.copy());
        if (afterRestore) return; // named in the restore notice
        List<String> gone = KeyedState.agentsOnlyIn(db, s), added = KeyedState.agentsOnlyIn(s, db);
        String why = snap.dbGeneration() > o.generation()
                ? "the database " + dbFile + " had lost its latest writes (generation " + o.generation() + ", the snapshot knew "
                        + snap.dbGeneration() + "; the file may have been truncated or replaced)"
                : "the database " + dbFile + " lacked the latest changes (the disk was full or failing when they were made, or the file lost its latest writes)";
        notice(why + ": specs, desired state, instances and offsets were taken from the snapshot of "
                + Instant.ofEpochMilli(snap.writtenAtMs()) + (added.isEmpty() ? "" : "; agents brought back: " + names(added))
                + (gone.isEmpty() ? "" : "; agents removed since: " + names(gone))
                + (snap.dbGeneration() > o.generation() ? "; history recorded after generation " + o.generation() + " could not be recovered" : ""));
    }

    private static String names(List<String> names) {
        if (names.isEmpty()) return "none";
        return names.size() <= 12 ? String.join(", ", names) : String.join(", ", names.subList(0, 12)) + " and " + (names.size() - 12) + " more";
    }

    private static String readStoreId(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT v FROM store_meta WHERE k = 'store_id'")) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    private static void writeMeta(Connection c, long generation, String storeId) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO store_meta (k, v) KEY (k) VALUES (?, ?)")) {
            ps.setString(1, "generation");
            ps.setString(2, Long.toString(generation));
            ps.executeUpdate();
            ps.setString(1, "store_id");
            ps.setString(2, storeId);
            ps.executeUpdate();
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    private void checkDbFile() {
        if (Files.exists(dbFile)) {
            if (!Files.isRegularFile(dbFile)) throw new StoreException("database file " + dbFile + " is not a regular file");
            if (!Files.isReadable(dbFile) || !Files.isWritable(dbFile)) {
                throw new StoreException("database file " + dbFile + " is not readable and writable by this user");
            }
        } else {
            try {
                Files.createFile(dbFile, HomeLock.ownerOnlyFile()); // H2 takes an empty file as a new database
            } catch (IOException e) {
                throw new StoreException("cannot create database file " + dbFile + ": " + StoreFaults.detail(e), e);
            }
        }
    }

    private Connection connect(String u) throws SQLException {
        return DriverManager.getConnection(u, USER, "");
    }

    private void restrictFiles() {
        HomeLock.ownerOnly(dbFile);
        HomeLock.ownerOnly(home.resolve(DB_NAME + ".trace.db"));
        HomeLock.ownerOnly(home.resolve(HomeLock.LOCK_FILE));
    }

    private StoreException translate(SQLException e) {
        String first = StoreFaults.clean(e.getMessage());
        switch (e.getErrorCode()) {
            case 90020: // DATABASE_ALREADY_OPEN_1: another process has the file open (not through HomeLock)
                return new HomeLockedException(home, -1, "another process has " + dbFile + " open");
            case 28000: // WRONG_USER_OR_PASSWORD
                return new StoreException("database file " + dbFile + " was not created by Sabot (" + first + ")", e);
            default:
        }
        StoreFaults.Kind k = StoreFaults.classify(e);
        if (k == StoreFaults.Kind.DAMAGED || e.getErrorCode() == 90048
                || (e.getErrorCode() == 50000 && k == StoreFaults.Kind.OTHER)) {
            return new DamagedStoreException("database file " + dbFile + " is damaged or not a Sabot/H2 2.x database ("
                    + StoreFaults.detail(e) + ")", e);
        }
        if (k == StoreFaults.Kind.DISK_FULL || k == StoreFaults.Kind.IO_ERROR) {
            return new StoreException("cannot open database file " + dbFile + ": " + StoreFaults.describe(e, home), e);
        }
        return new StoreException("cannot open database file " + dbFile + ": " + first, e);
    }

    /** The file cannot be used as it is: moved aside and restored. */
    static final class DamagedStoreException extends StoreException {
        private static final long serialVersionUID = 1L;

        DamagedStoreException(String message) { super(message); }

        DamagedStoreException(String message, Throwable cause) { super(message, cause); }
    }

    // ---- failing and recovering -----------------------------------------------------------------

    /**
     * Called on the journal's thread before it retries a failed batch: closes every connection and
     * opens the database again (H2 closes it for good after a write error); a damaged database is
     * repaired online. Throws when the database cannot be opened yet (the journal waits and calls again).
     */
    private Connection reopen(Throwable failure) throws Exception {
        StoreFaults.Kind k = StoreFaults.classify(failure);
        if (k == StoreFaults.Kind.DISK_FULL && usableSpace() < MIN_FREE_TO_RETRY
                && System.nanoTime() - lastRealAttemptNanos < FULL_RETRY_NANOS) {
            readOnlyReaders(); // a read-write database that failed a write is closed inside H2: readers must not wait 10 s
            throw new IOException("No space left on device (" + StoreFaults.bytes(Math.max(0, usableSpace())) + " free)");
        }
        lastRealAttemptNanos = System.nanoTime();
        pool.dispose();
        if (k == StoreFaults.Kind.DAMAGED) return repairOnline(failure);
        Connection c;
        try {
            c = connect(url);
        } catch (SQLException e) {
            StoreFaults.Kind k2 = StoreFaults.classify(e);
            if (k2 == StoreFaults.Kind.DISK_FULL || k2 == StoreFaults.Kind.IO_ERROR) {
                // H2 cannot open it for writing yet: readers get a read-only pool meanwhile (the next attempt disposes it)
                openUrl = url + ";ACCESS_MODE_DATA=r";
                pool = newPool();
            } else {
                pool = newPool();
            }
            throw e;
        }
        openUrl = url;
        try (Statement st = c.createStatement()) {
            st.executeQuery("SELECT v FROM store_meta WHERE k = 'generation'").close();
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        pool = newPool();
        return c;
    }

    /** While the disk is full, readers read through a read-only pool (H2 closes a read-write store whose write failed). */
    private void readOnlyReaders() { // the journal's thread only, like reopen
        String ro = url + ";ACCESS_MODE_DATA=r";
        if (ro.equals(openUrl)) return;
        pool.dispose();
        openUrl = ro;
        pool = newPool();
    }

    /** Restores a database found damaged while running, then writes the state the engine holds into it. */
    private Connection repairOnline(Throwable failure) throws Exception {
        String reason = "the database " + dbFile + " became unreadable while the engine ran (" + StoreFaults.detail(failure) + ")";
        StoreRepair.Restored r = StoreRepair.restore(home, reason);
        checkDbFile();
        Connection c = connect(url);
        openUrl = url;
        try {
            Migrations.apply(c, dbFile);
            long gen = Math.max(SqlBatchWriter.readGeneration(c), batchWriter.generation()) + 1;
            writeMeta(c, gen, storeId);
            restrictFiles();
            JdbcConnectionPool p = newPool();
            Sql sql = new Sql(p, dbFile.toString());
            Map<String, DesiredStateRecord> desired = new java.util.LinkedHashMap<>();
            for (DesiredStateRecord d : new DesiredStateRepository(sql, null).all()) desired.put(d.agent(), d);
            RecoveredState have = new RecoveredState(new SpecRepository(sql, null).all(), desired,
                    new InstanceRepository(sql, null).all(), new AssignmentRepository(sql, null).latestPerGroupTopic(),
                    new OffsetRepository(sql, null).all());
            List<JournalRecord> restoreState = state.recordsToReach(have, Instant.now());
            c.setAutoCommit(false);
            SqlBatchWriter w = new SqlBatchWriter(c, false);
            w.writeAll(restoreState);
            pool = p;
        } catch (Exception e) {
            closeQuietly(c);
            throw e;
        }
        backupProblem = null; // the damaged database it was about is gone
        StringBuilder sb = new StringBuilder(reason);
        if (r.movedAside() != null) sb.append("; it was moved aside to ").append(r.movedAside());
        sb.append(r.backup() != null ? "; restored the backup of " + r.backup().time() + " and the specs, desired state, instances and "
                + "offsets the engine holds: history recorded after the backup could not be recovered"
                : "; there was no usable backup: a new database holds the specs, desired state, instances and offsets the engine holds; "
                + "the history could not be recovered");
        notice(sb.toString());
        return c;
    }

    /** The home's file system, found once: finding it reads the whole mount table, the free space is one statfs (issue 13: idle cost). */
    private volatile java.nio.file.FileStore homeStore;

    private long usableSpace() {
        try {
            java.nio.file.FileStore fs = homeStore;
            if (fs == null) homeStore = fs = Files.getFileStore(home);
            return fs.getUsableSpace();
        } catch (IOException e) {
            homeStore = null;
            return Long.MAX_VALUE;
        }
    }

    private void onJournalHealth(JournalWriter.JournalHealth h) {
        if (!h.failing() && h.recoveredAfterMs() > 0 && h.recoveredAfterMs() < 2000 && h.notRecorded().isEmpty()
                && usableSpace() < StoreFaults.FULL_BELOW) {
            publish(); // a commit squeezed in on a disk that is still full: not news, the status still says it is full
            return;
        }
        if (!h.failing() && h.recoveredAfterMs() > 0) {
            StringBuilder sb = new StringBuilder("recording resumed after ").append(seconds(h.recoveredAfterMs()))
                    .append(" (nothing held was lost");
            if (!h.notRecorded().isEmpty()) {
                sb.append("; the queue filled up meanwhile, so these were not recorded: ");
                boolean first = true;
                for (Map.Entry<String, Long> e : h.notRecorded().entrySet()) {
                    sb.append(first ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey());
                    first = false;
                }
            }
            notice(sb.append(')').toString());
            try {
                journal.submit(new EventRecord(Instant.now(), "store", null, "store: " + notices().get(notices().size() - 1)));
            } catch (RuntimeException ignored) {
                // closing
            }
            if (!closing) {
                try {
                    scheduler.execute(this::snapshotTick);
                } catch (java.util.concurrent.RejectedExecutionException ignored) {
                    // closing: close writes the snapshot
                }
            }
        } else {
            publish();
        }
    }

    private static String seconds(long ms) {
        return ms < 10_000 ? String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0) : (ms / 1000) + " s";
    }

    private void notice(String text) {
        synchronized (notices) {
            noticeCount++;
            notices.add(text);
            while (notices.size() > MAX_NOTICES) notices.remove(0);
        }
        LOG.log(System.Logger.Level.DEBUG, "store: " + text); // people read it through the host (stderr, events, status)
        publish();
    }

    // ---- snapshot and backups -------------------------------------------------------------------

    private void snapshotTick() {
        try {
            flushSnapshot();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "snapshot: " + e.getMessage());
        }
    }

    /**
     * Writes the snapshot file if the state changed since it was last written. Returns true when the
     * file now holds the current state (false: it could not be written, e.g. the disk is full even
     * for the reserve). Called at every acknowledged operation and every second.
     */
    public boolean flushSnapshot() {
        synchronized (snapshotLock) {
            long[] version = new long[1];
            Snapshot s = journal.whileHeld(ahead -> {
                version[0] = state.version();
                // unchanged, unless the last one was written ahead of the database and the database has caught up
                if (version[0] == snapshotVersion && (!snapshotAhead || ahead)) return null;
                return new Snapshot(storeId, batchWriter.generation(), ahead, System.currentTimeMillis(), state.copy());
            });
            if (s == null) return stateSafe;
            boolean wasSafe = stateSafe;
            String was = snapshotProblem;
            try {
                snapshotFile.write(s);
                snapshotVersion = version[0];
                snapshotAhead = s.ahead();
                snapshotAtMs = s.writtenAtMs();
                snapshotProblem = null;
                stateSafe = true;
            } catch (IOException | RuntimeException e) {
                snapshotProblem = "cannot write the snapshot file " + snapshotFile.path() + ": " + StoreFaults.describe(e, home);
                stateSafe = false;
            }
            if (wasSafe != stateSafe || !Objects.equals(was, snapshotProblem)) publish();
            return stateSafe;
        }
    }

    private void scanTick() {
        if (closing) return;
        try (Connection c = reads.getConnection()) {
            StoreRepair.Scan s = StoreRepair.scan(c);
            if (!s.ok()) damagedWhileRunning(s);
        } catch (SQLException | RuntimeException e) {
            if (StoreFaults.classify(e) == StoreFaults.Kind.DAMAGED) {
                batchWriter.inject(new DamagedStoreException(dbFile + " is damaged: " + StoreFaults.detail(e), e));
                journal.submit(new EventRecord(Instant.now(), "store", null, "store: damaged database found"));
            }
        }
    }

    private void damagedWhileRunning(StoreRepair.Scan s) {
        backupProblem = "not taken: a full scan found the database damaged (" + s.problems() + ")";
        batchWriter.inject(new DamagedStoreException("File corrupted: " + dbFile + " has unreadable tables " + s.problems().keySet()));
        try {
            journal.submit(new EventRecord(Instant.now(), "store", null, "store: a full scan found damaged tables " + s.problems().keySet()));
        } catch (RuntimeException ignored) {
            // closing
        }
    }

    private void backupTick() {
        if (closing) return;
        try {
            backupIfDue(false);
        } catch (RuntimeException e) {
            backupProblem = "not taken: " + StoreFaults.detail(e);
        }
    }

    /**
     * Takes a backup when the newest one is older than the policy's interval (or always with
     * {@code force}), after a full scan of the database passed. Returns the backup, or null when
     * none was taken ({@link StoreStatus#backupProblem()} says why).
     */
    public Backups.Backup backupIfDue(boolean force) {
        List<Backups.Backup> have = Backups.list(home);
        long every = options.safety().backupEvery().toMillis();
        if (!force && !have.isEmpty() && have.get(0).time().toEpochMilli() > System.currentTimeMillis() - every * 9 / 10) return null;
        if (journal.failure() != null) {
            backupProblem = "not taken: the store is failing (" + StoreFaults.describe(journal.failure(), home) + ")";
            publish();
            return null;
        }
        long need = sizeOf(dbFile) + 16L * 1024 * 1024;
        if (usableSpace() < need) {
            backupProblem = "not taken: only " + StoreFaults.bytes(usableSpace()) + " free on the disk holding " + home
                    + " (a backup needs up to " + StoreFaults.bytes(need) + ")";
            publish();
            return null;
        }
        try (Connection c = reads.getConnection()) {
            StoreRepair.Scan s = StoreRepair.scan(c);
            if (!s.ok()) {
                damagedWhileRunning(s);
                publish();
                return null;
            }
            Backups.Result r = Backups.take(home, c, batchWriter.generation(), options.safety().backupsKept());
            lastBackup = r.backup();
            lastBackupMillis = r.millis();
            backupProblem = null;
            LOG.log(System.Logger.Level.DEBUG, "store: backup " + r.backup().file() + " (" + StoreFaults.bytes(r.backup().sizeBytes())
                    + ") in " + r.millis() + " ms");
            publish();
            return r.backup();
        } catch (SQLException | IOException | RuntimeException e) {
            backupProblem = "not taken: " + StoreFaults.describe(e, home);
            publish();
            return null;
        }
    }

    /** How long the latest backup took (ms), 0 when none was taken by this store. */
    public long lastBackupMillis() { return lastBackupMillis; }

    // ---- status ---------------------------------------------------------------------------------

    /** The store's health now. */
    public StoreStatus status() {
        JournalWriter.JournalHealth h = journal.health();
        String message = null;
        String problem = null;
        if (h.failing()) {
            problem = StoreFaults.describe(h.cause(), home);
            message = "not recording since " + Instant.ofEpochMilli(h.sinceMs()) + ": " + problem
                    + "; " + h.held() + (h.held() == 1 ? " record" : " records") + " held in memory and retried every second"
                    + (stateSafe ? "; specs and desired state are safe in the snapshot file" : "; the snapshot file cannot be written either");
        } else if (!stateSafe && snapshotProblem != null) {
            message = snapshotProblem;
            problem = snapshotProblem;
        }
        // a disk that is full stays a problem while H2 squeezes a commit into space freed inside its file:
        // the next write may fail, and the warning must not flicker with each one that does not
        boolean diskFull = usableSpace() < StoreFaults.FULL_BELOW;
        if (problem == null && diskFull) {
            problem = "the disk holding " + home + " is full" + StoreFaults.free(home);
            message = problem + ": the database still records for now, but any write may fail; free space on that disk";
        }
        Backups.Backup b = lastBackup;
        List<String> ns;
        long count;
        synchronized (notices) {
            ns = new ArrayList<>(notices);
            count = noticeCount;
        }
        return new StoreStatus(!h.failing() && stateSafe && !diskFull, message, problem, h.failing(), h.sinceMs(), h.held(), h.notRecorded(), stateSafe, snapshotAtMs,
                b == null ? 0 : b.time().toEpochMilli(), b == null ? 0 : b.sizeBytes(), backupProblem, ns, count);
    }

    /**
     * True when opening restored a damaged or missing database without a usable snapshot: the specs
     * and desired state are those of the backup (or none), so later changes to them were lost.
     */
    public boolean fleetStateLost() { return fleetStateLost; }

    /** What the store did on its own that people must know (repairs, restored snapshots, recording resumed). */
    public List<String> notices() {
        synchronized (notices) {
            return List.copyOf(notices);
        }
    }

    /** Hears every change of {@link #status()} (on the store's threads: do not block). */
    public void onStatus(Consumer<StoreStatus> listener) { listeners.add(listener); }

    private boolean publishedOk = true;      // guarded by listeners' publication (the scheduler thread or a journal callback)
    private String publishedProblem;

    private void publishIfChanged() {
        // the common case, every second: all was well and still is; no status built (issue 13: idle cost)
        if (publishedOk && publishedProblem == null && journal.failure() == null && stateSafe && snapshotProblem == null
                && usableSpace() >= StoreFaults.FULL_BELOW) return;
        StoreStatus s = status();
        if (s.ok() != publishedOk || !Objects.equals(s.problem(), publishedProblem)) publish();
    }

    private void publish() {
        if (listeners.isEmpty() || journal == null) return;
        StoreStatus s = status();
        publishedOk = s.ok();
        publishedProblem = s.problem();
        for (Consumer<StoreStatus> l : listeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "store: status listener failed: " + io.sabot.errors.UserMessages.describe(e));
            }
        }
    }

    /** A full check of the running store: every row of every table, the snapshot, the backups. */
    public StoreCheck check() {
        List<String> problems = new ArrayList<>();
        StoreRepair.Scan scan;
        try (Connection c = reads.getConnection()) {
            scan = StoreRepair.scan(c);
        } catch (SQLException | RuntimeException e) {
            scan = new StoreRepair.Scan(Map.of(), Map.of("database", StoreFaults.detail(e)));
        }
        scan.problems().forEach((t, p) -> problems.add("table " + t + " of " + dbFile + " cannot be read: " + p));
        if (!scan.ok()) damagedWhileRunning(scan);
        JournalWriter.JournalHealth h = journal.health();
        if (h.failing()) problems.add("not recording: " + StoreFaults.describe(h.cause(), home));
        if (snapshotProblem != null) problems.add(snapshotProblem);
        if (backupProblem != null && !options.safety().backupEvery().isZero()) problems.add("latest backup " + backupProblem);
        return StoreChecks.report(home, scan, batchWriter.generation(), problems, true);
    }

    // ---- accessors ------------------------------------------------------------------------------

    public Path home() { return home; }

    /** The H2 file, {@code <home>/sabot.mv.db}. */
    public Path databaseFile() { return dbFile; }

    /** The snapshot file, {@code <home>/sabot.snapshot.json}. */
    public Path snapshotFile() { return snapshotFile.path(); }

    /** Size of the database file in bytes. */
    public long databaseSize() {
        try {
            return Files.size(dbFile);
        } catch (IOException e) {
            throw new StoreException("cannot stat " + dbFile + ": " + StoreFaults.detail(e), e);
        }
    }

    public int schemaVersion() { return schemaVersion; }

    /** The database's commit generation (grows with every durable group commit). */
    public long generation() { return batchWriter.generation(); }

    /** The group-commit writer: the one write path. */
    public JournalWriter journal() { return journal; }

    public RetentionTask retention() { return retention; }

    public StateRecovery recovery() { return new StateRecovery(this); }

    /** The state the engine supervises, as accepted (ahead of the database while it fails). */
    RecoveredState keyedState() { return state.copy(); }

    public SpecRepository specs() { return specs; }

    public DesiredStateRepository desiredStates() { return desiredStates; }

    public InstanceRepository instances() { return instances; }

    public TransitionRepository transitions() { return transitions; }

    public ResultRepository results() { return results; }

    public MetricRepository metrics() { return metrics; }

    public AssignmentRepository assignments() { return assignments; }

    public OffsetRepository offsets() { return offsets; }

    public SpanRepository spans() { return spans; }

    public EventRepository events() { return events; }

    public AlertRepository alerts() { return alerts; }

    public CrashRepository crashes() { return crashes; }

    public UsageRepository usage() { return usage; }

    /**
     * Writes everything queued (retrying a failing store for the close patience), writes the
     * snapshot, closes the database and (if owned) releases the home lock. What could not be
     * written is named on stderr.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        closing = true;
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushSnapshot();
        journal.close();
        Map<String, Long> lost = journal.abandoned();
        if (!lost.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            lost.forEach((k, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ').append(k));
            LOG.log(System.Logger.Level.WARNING, "store: closed while " + StoreFaults.describe(journal.failure() == null
                    ? new IOException("the store was failing") : journal.failure(), home) + "; not written to the database: " + sb
                    + (stateSafe ? " (specs and desired state are in the snapshot file " + snapshotFile.path() + " and come back at the next start)"
                    : " (the snapshot file could not be written either: these changes are lost)"));
        }
        pool.dispose();
        batchWriter.close(); // last connection: H2 closes the database
        restrictFiles();
        if (ownsLock) lock.close();
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing to do
        }
    }

    /** For tests and diagnostics: table names of the schema. */
    static List<String> tables() {
        return List.of("agent_spec", "desired_state", "instance", "transition", "lifecycle_result", "metric_sample",
                "assignment", "committed_offset", "group_offset", "span", "event", "store_meta");
    }

    /** The read pool as it is now: reopening the database swaps it. */
    private final class CurrentPool implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            // a reader that comes while the journal swaps the pool waits for the new one (a few seconds at most)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (true) {
                try {
                    return pool.getConnection();
                } catch (IllegalStateException e) {
                    if (closed || System.nanoTime() > deadline) {
                        throw new SQLException("the store " + dbFile + " is being reopened after an error; try again", "08003", e);
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new SQLException("interrupted while the store " + dbFile + " was being reopened", "08003", ie);
                    }
                }
            }
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException { return getConnection(); }

        @Override
        public PrintWriter getLogWriter() { return null; }

        @Override
        public void setLogWriter(PrintWriter out) { }

        @Override
        public void setLoginTimeout(int seconds) { }

        @Override
        public int getLoginTimeout() { return 0; }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException { throw new SQLFeatureNotSupportedException(); }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException { throw new SQLException("not a wrapper"); }

        @Override
        public boolean isWrapperFor(Class<?> iface) { return false; }
    }
}
