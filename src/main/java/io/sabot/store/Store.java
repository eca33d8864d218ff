package io.sabot.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * The home is 0700, the database and lock files 0600. Record times are stored as epoch
 * milliseconds (span times as epoch nanoseconds): an {@code Instant} reads back truncated to ms.
 */
public final class Store implements AutoCloseable {
    public static final String DB_NAME = "sabot";
    static final String USER = "sabot";
    private static final System.Logger LOG = System.getLogger(Store.class.getName());

    private final Path home;
    private final Path dbFile;
    private final HomeLock lock;
    private final boolean ownsLock;
    private final JdbcConnectionPool pool;
    private final SqlBatchWriter batchWriter;
    private final JournalWriter journal;
    private final RetentionTask retention;
    private final ScheduledExecutorService scheduler;
    private final int schemaVersion;

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
            return new Store(lock, true, options);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Opens the store of a home whose lock the caller already holds (and keeps: closing the store does not release it). */
    public static Store open(HomeLock lock, StoreOptions options) {
        if (!lock.isHeld()) throw new IllegalStateException("home lock of " + lock.home() + " is not held");
        return new Store(lock, false, options);
    }

    private Store(HomeLock lock, boolean ownsLock, StoreOptions options) {
        Objects.requireNonNull(options, "options");
        this.lock = lock;
        this.ownsLock = ownsLock;
        this.home = lock.home();
        if (home.toString().contains(";")) throw new StoreException("home " + home + " contains ';', which H2 URLs cannot hold");
        this.dbFile = home.resolve(DB_NAME + ".mv.db");
        checkDbFile();
        // WRITE_DELAY stays at H2's 500 ms on purpose: it keeps MVStore's background thread, whose
        // housekeeping compacts the file (with WRITE_DELAY=0 there is none, and a day of metrics grew the
        // file past 640 MB). Durability does not rely on it: the journal makes each group commit durable
        // with an explicit CHECKPOINT (see SqlBatchWriter#commit).
        String url = "jdbc:h2:file:" + home.resolve(DB_NAME) + ";WRITE_DELAY=500;DB_CLOSE_ON_EXIT=FALSE"
                + ";LOCK_TIMEOUT=10000;CACHE_SIZE=" + options.cacheSizeKb();
        Connection writerConn = null;
        JdbcConnectionPool p = null;
        try {
            writerConn = connect(url);
            this.schemaVersion = Migrations.apply(writerConn, dbFile);
            restrictFiles();
            p = JdbcConnectionPool.create(url, USER, "");
            p.setMaxConnections(options.readConnections());
            this.pool = p;
            this.batchWriter = new SqlBatchWriter(writerConn, options.fsync());
        } catch (SQLException e) {
            closeQuietly(writerConn);
            if (p != null) p.dispose();
            throw translate(e);
        } catch (RuntimeException e) {
            closeQuietly(writerConn);
            if (p != null) p.dispose();
            throw e;
        }
        this.journal = new JournalWriter(batchWriter, options.journalCapacity(), "sabot-journal");
        Sql sql = new Sql(pool, dbFile.toString());
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
        OpsSql opsSql = new OpsSql(pool, dbFile.toString());
        this.alerts = new AlertRepository(sql, opsSql);
        this.crashes = new CrashRepository(sql, opsSql);
        this.usage = new UsageRepository(sql, opsSql);
        this.retention = new RetentionTask(pool, options.retention(), dbFile, Clock.systemUTC());
        if (options.scheduleRetention()) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sabot-retention");
                t.setDaemon(true);
                t.setPriority(Thread.NORM_PRIORITY - 1);
                return t;
            });
            long every = Math.max(1000, options.retention().interval().toMillis());
            scheduler.scheduleWithFixedDelay(retention, every, every, TimeUnit.MILLISECONDS);
        } else {
            scheduler = null;
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
                throw new StoreException("cannot create database file " + dbFile + ": " + HomeLock.describe(e), e);
            }
        }
    }

    private Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, USER, "");
    }

    private void restrictFiles() {
        HomeLock.ownerOnly(dbFile);
        HomeLock.ownerOnly(home.resolve(DB_NAME + ".trace.db"));
        HomeLock.ownerOnly(home.resolve(HomeLock.LOCK_FILE));
    }

    private StoreException translate(SQLException e) {
        String first = firstLine(e.getMessage());
        switch (e.getErrorCode()) {
            case 90020: // DATABASE_ALREADY_OPEN_1: another process has the file open (not through HomeLock)
                return new HomeLockedException(home, -1, "another process has " + dbFile + " open (" + first + ")");
            case 90030: // FILE_CORRUPTED_1
            case 90048: // FILE_VERSION_ERROR_1
            case 50000: // GENERAL_ERROR_1 (MVStore format errors)
                return new StoreException("database file " + dbFile + " is corrupted or not a Sabot/H2 2.x database ("
                        + first + "); move it aside to start with an empty store", e);
            case 28000: // WRONG_USER_OR_PASSWORD
                return new StoreException("database file " + dbFile + " was not created by Sabot (" + first + ")", e);
            default:
                return new StoreException("cannot open database file " + dbFile + ": " + first, e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public Path home() { return home; }

    /** The H2 file, {@code <home>/sabot.mv.db}. */
    public Path databaseFile() { return dbFile; }

    /** Size of the database file in bytes. */
    public long databaseSize() {
        try {
            return Files.size(dbFile);
        } catch (IOException e) {
            throw new StoreException("cannot stat " + dbFile + ": " + e.getMessage(), e);
        }
    }

    public int schemaVersion() { return schemaVersion; }

    /** The group-commit writer: the one write path. */
    public JournalWriter journal() { return journal; }

    public RetentionTask retention() { return retention; }

    public StateRecovery recovery() { return new StateRecovery(this); }

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

    /** Writes everything queued, stops retention, closes the database and (if owned) releases the home lock. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        journal.close();
        if (journal.failure() != null) {
            LOG.log(System.Logger.Level.WARNING, "store closed after a journal failure: " + journal.failure());
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
                "assignment", "committed_offset", "group_offset", "span", "event");
    }
}
