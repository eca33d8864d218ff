package io.sabot.store;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: one writer thread, one bounded queue.
 *
 * <p>{@link #submit(JournalRecord)} queues a record and returns its ticket at once (tickets grow
 * in submission order). The writer thread takes everything queued (up to {@link #MAX_BATCH}),
 * writes it in one transaction (JDBC batches), commits, and then wakes the callers blocked in
 * {@link #awaitDurable(long)} for any ticket up to the last one of that batch. Many concurrent
 * callers therefore share one commit.
 *
 * <p>When the queue is full, {@code submit} of a durable record blocks until the writer has taken
 * the queue (back-pressure); a lazy record ({@link MetricRecord}, {@link SpanRecord}) is dropped,
 * counted in {@link JournalStats#droppedLazy()}, and {@link #DROPPED} returned.
 *
 * <p>If the database refuses a single record (e.g. a constraint), only that record is rejected:
 * awaiting its ticket throws {@link JournalException}.
 *
 * <p>Faults of the store itself (a full disk, an I/O error, H2 closing the database) never stop the
 * journal (JournalWriterTest#aFailingStoreIsRetriedAndNothingDurableIsLost): the batch is kept, the
 * journal reports itself failing ({@link #health()}, {@link HealthListener}), waits, asks the
 * {@link BatchWriter} to {@link BatchWriter#recover recover} (reopen the database) and tries the same
 * batch again, backing off from 100 ms to 1 s, until it is written. Meanwhile {@code submit} never
 * blocks: when the queue fills up it is compacted
 * (JournalWriterTest#whileFailingAFullQueueKeepsTheNewestStateAndCountsWhatItDrops): the newest
 * record per key (spec, desired state, instance, offset, removal, latest assignment of a topic) is
 * always kept, so what the engine needs to supervise is never lost; lazy records and the oldest
 * history records (transitions, results, events, older assignments) are dropped and counted by kind
 * in {@link JournalHealth#notRecorded()}. {@link #trySync()} is the barrier that does not wait while
 * the store fails; {@link #sync()} and {@link #awaitDurable} throw a {@link JournalException}
 * ("not recorded durably yet") instead of waiting for a disk that may never come back. Closing
 * tries to write what is held for at most the close patience, then reports what it abandoned.
 */
public final class JournalWriter implements AutoCloseable {
    /** Returned by {@link #submit} for a lazy record dropped because the queue was full. */
    public static final long DROPPED = -1L;
    private static final System.Logger LOG = System.getLogger(JournalWriter.class.getName());
    private static final int MAX_REMEMBERED_REJECTIONS = 10_000;
    private static final long FIRST_RETRY_MS = 100;
    private static final long MAX_RETRY_MS = 1000;
    /**
     * Most records per transaction. H2's MVStore walks a transaction's undo log at commit, so very
     * large transactions cost more per row than mid-size ones (measured here: 5k-row batches ~2x the
     * rows/s of 65k-row ones); the writer loops at once for the rest.
     */
    public static final int MAX_BATCH = 8_192;
    /**
     * How long the writer waits for more records after the first of a new batch while nobody awaits
     * durability ({@code -Dsabot.journal.lingerMs}, 0: never). Every durable batch ends in a
     * CHECKPOINT that serializes the B-tree pages it changed, the same hot pages (the tail of each
     * history table and its indexes) batch after batch: in a restart of 1,000 instances H2's
     * serialization and the journal were 20 % of all CPU samples. A few ms of gathering makes fewer,
     * larger batches. Nothing waits on it: an operation's end and every {@code commit} await
     * durability, which ends the lingering at once.
     */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("sabot.journal.lingerMs", 8));
    /** A batch this large is written at once. */
    private static final int LINGER_ENOUGH = 1_024;

    /** A queued record with its ticket. */
    public record Entry(long ticket, JournalRecord record) { }

    /** Writes one batch in one transaction. */
    @FunctionalInterface
    public interface BatchWriter {
        /**
         * Writes and commits all entries (in order).
         *
         * @return entries refused individually (ticket to cause); the rest are committed
         * @throws Exception if the batch could not be committed at all (the journal keeps it and retries)
         */
        Map<Long, Exception> write(List<Entry> batch) throws Exception;

        /** Called on the writer thread before a failed batch is tried again: reopen what the failure closed. */
        default void recover(Throwable failure) throws Exception { }
    }

    /** Hears the journal start failing and recover (called on the writer thread: must not block). */
    @FunctionalInterface
    public interface HealthListener {
        void changed(JournalHealth health);
    }

    /**
     * The journal's health.
     *
     * @param failing        true while batches cannot be written
     * @param cause          the latest failure (null when not failing)
     * @param sinceMs        wall-clock time the current failure began (0 when not failing)
     * @param attempts       failed attempts in the current failure
     * @param held           records held in memory, waiting to be written
     * @param notRecorded    records dropped while failing (by kind: "transitions", "metrics", ...) in the
     *                       current failure, or in the one that just ended when {@code recoveredAfterMs > 0}
     * @param recoveredAfterMs when the journal has just recovered: how long the failure lasted; else 0
     */
    public record JournalHealth(boolean failing, Throwable cause, long sinceMs, int attempts, long held,
                                Map<String, Long> notRecorded, long recoveredAfterMs) {
        public JournalHealth {
            notRecorded = Map.copyOf(notRecorded);
        }
    }

    private final BatchWriter writer;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final Condition durableChanged = lock.newCondition();
    private final Condition retryWake = lock.newCondition();
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final NavigableMap<Long, Exception> rejections = new TreeMap<>();
    private final Thread thread;
    private volatile java.util.function.Consumer<JournalRecord> onAccept;
    private volatile HealthListener healthListener;
    private volatile java.util.function.Function<Throwable, String> describer = StoreFaults::detail;
    private volatile long closePatienceMs = 10_000;

    // all guarded by lock
    private long lastTicket;
    private long lastKeyedTicket;
    private long durable;
    private Throwable trouble;
    private long troubleSinceMs;
    private long troubleSinceNanos;
    private int attempts;
    private int inFlight;
    private final Map<String, Long> notRecorded = new TreeMap<>();
    private long notRecordedTotal;
    private boolean closing;
    /** Callers blocked until something is durable: the writer does not linger while anyone waits. Guarded by lock. */
    private int waiters;
    private long closingAtNanos;
    private boolean stopped;
    private final Map<String, Long> abandoned = new TreeMap<>();
    private final List<JournalRecord> abandonedKeyed = new ArrayList<>();
    private long submitted;
    private long written;
    private long droppedLazy;
    private long rejected;
    private long batches;
    private int largestBatch;

    /**
     * @param writer     the transaction writer (called from the writer thread only)
     * @param capacity   queue bound
     * @param threadName name of the writer thread
     */
    public JournalWriter(BatchWriter writer, int capacity, String threadName) {
        if (capacity < 1) throw new IllegalArgumentException("capacity < 1");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.capacity = capacity;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Called with every durable record accepted, under the journal's lock, in ticket order (keep it short). */
    void onAccept(java.util.function.Consumer<JournalRecord> hook) { this.onAccept = hook; }

    /** Hears the journal start failing and recover. */
    public void onHealth(HealthListener l) { this.healthListener = l; }

    /** How failures are put in words (the store names its home). */
    void describer(java.util.function.Function<Throwable, String> d) { this.describer = Objects.requireNonNull(d); }

    /** How long {@link #close()} keeps retrying a failing store before it gives up on what is held. */
    public void closePatience(Duration d) { this.closePatienceMs = Math.max(0, d.toMillis()); }

    /**
     * Queues a record; never waits for the write while the store is failing.
     *
     * @return the record's ticket (&gt; 0), or {@link #DROPPED} for a lazy record when the queue is full
     * @throws JournalException if the journal is closed, or the caller is interrupted while blocked on a full queue
     */
    public long submit(JournalRecord record) {
        Objects.requireNonNull(record, "record");
        lock.lock();
        try {
            checkOpen();
            if (queue.size() >= capacity) {
                if (record.lazy()) {
                    droppedLazy++;
                    if (trouble != null) countNotRecorded(record, 1);
                    return DROPPED;
                }
                if (trouble != null) compact();
                while (queue.size() >= capacity && trouble == null) {
                    try {
                        notFull.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new JournalException("interrupted while waiting for room in the journal queue");
                    }
                    checkOpen();
                    if (trouble != null) compact();
                }
            }
            long ticket = ++lastTicket;
            queue.addLast(new Entry(ticket, record));
            submitted++;
            if (!record.lazy()) {
                if (key(record) != null) lastKeyedTicket = ticket;
                java.util.function.Consumer<JournalRecord> hook = onAccept;
                if (hook != null) hook.accept(record);
            }
            if (queue.size() == 1) notEmpty.signal();
            return ticket;
        } finally {
            lock.unlock();
        }
    }

    /** Submits and waits until durable. Returns the ticket. */
    public long commit(JournalRecord record) {
        long t = submit(record);
        awaitDurable(t);
        return t;
    }

    /** Submits all (in order) and waits until the last is durable; throws if any was rejected. */
    public void commitAll(Collection<? extends JournalRecord> records) {
        long first = 0;
        long last = 0;
        for (JournalRecord r : records) {
            long t = submit(r);
            if (t > 0) {
                if (first == 0) first = t;
                last = t;
            }
        }
        if (last == 0) return;
        awaitDurable(last);
        lock.lock();
        try {
            Map.Entry<Long, Exception> bad = rejections.ceilingEntry(first);
            if (bad != null && bad.getKey() <= last) {
                throw new JournalException("record " + bad.getKey() + " was rejected: " + bad.getValue().getMessage(),
                        bad.getValue());
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until the record with this ticket is committed durably.
     *
     * @throws JournalException if it was rejected, the store is failing (the record is still held and
     *                          will be written once it recovers), or the caller was interrupted
     */
    public void awaitDurable(long ticket) {
        if (!awaitDurable(ticket, null)) throw new AssertionError("unreachable");
    }

    /**
     * Blocks at most {@code timeout} until the record with this ticket is committed durably.
     *
     * @return true when durable, false on timeout
     * @throws JournalException if it was rejected, the store is failing, or the caller was interrupted
     */
    public boolean awaitDurable(long ticket, Duration timeout) {
        if (ticket == DROPPED) throw new IllegalArgumentException("a dropped record has no ticket to await");
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            if (ticket > lastTicket || ticket <= 0) throw new IllegalArgumentException("unknown ticket " + ticket);
            while (durable < ticket) {
                if (trouble != null) throw notYet();
                if (stopped) throw new JournalException("journal is closed; record " + ticket + " was not written");
                waiting();
                try {
                    if (timeout == null) {
                        durableChanged.await();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) return false;
                        durableChanged.awaitNanos(left);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new JournalException("interrupted while waiting for record " + ticket + " to be durable");
                } finally {
                    waiters--;
                }
            }
            Exception rej = rejections.get(ticket);
            if (rej != null) throw new JournalException("record " + ticket + " was rejected: " + rej.getMessage(), rej);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until everything submitted before this call (lazy records included) is committed.
     *
     * @throws JournalException if the store is failing (nothing is lost: what is held is written once it recovers)
     */
    public void sync() {
        if (!trySync()) throw notYetLocked();
    }

    /**
     * The barrier that never waits for a failing store: true once everything submitted before this
     * call is committed; false at once if the store is failing (or starts failing while waiting),
     * in which case the records are held and written once it recovers.
     */
    public boolean trySync() {
        lock.lock();
        try {
            if (!abandoned.isEmpty()) return false;
            long t = lastTicket;
            while (durable < t) {
                if (trouble != null || stopped) return false;
                waiting();
                try {
                    durableChanged.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new JournalException("interrupted in sync");
                } finally {
                    waiters--;
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds lock: one more waiter, and a lingering writer writes at once. */
    private void waiting() {
        waiters++;
        notEmpty.signal();
    }

    public JournalStats stats() {
        lock.lock();
        try {
            return new JournalStats(submitted, written, droppedLazy, rejected, batches, largestBatch, queue.size(),
                    capacity, trouble != null, notRecordedTotal);
        } finally {
            lock.unlock();
        }
    }

    /** The journal's health now. */
    public JournalHealth health() {
        lock.lock();
        try {
            return healthLocked(0);
        } finally {
            lock.unlock();
        }
    }

    private JournalHealth healthLocked(long recoveredAfterMs) {
        return new JournalHealth(trouble != null, trouble, trouble == null ? 0 : troubleSinceMs, attempts,
                queue.size() + inFlight, notRecorded, recoveredAfterMs);
    }

    /**
     * Runs {@code f} under the journal's lock (no record is accepted meanwhile), telling it whether
     * keyed records (specs, desired states, ...) were accepted that are not durable yet.
     */
    <T> T whileHeld(java.util.function.Function<Boolean, T> f) {
        lock.lock();
        try {
            return f.apply(lastKeyedTicket > durable);
        } finally {
            lock.unlock();
        }
    }

    /** The error the store is failing with now, or null. */
    public Throwable failure() {
        lock.lock();
        try {
            return trouble;
        } finally {
            lock.unlock();
        }
    }

    /** After {@link #close()}: records that could not be written before the close patience ran out, by kind (empty when none). */
    public Map<String, Long> abandoned() {
        lock.lock();
        try {
            return Map.copyOf(abandoned);
        } finally {
            lock.unlock();
        }
    }

    /** After {@link #close()}: the durable keyed records (specs, desired states, ...) among the abandoned ones. */
    public List<JournalRecord> abandonedKeyed() {
        lock.lock();
        try {
            return List.copyOf(abandonedKeyed);
        } finally {
            lock.unlock();
        }
    }

    /** Stops accepting records, writes everything queued (retrying a failing store for the close patience), and stops the writer thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!closing) {
                closing = true;
                closingAtNanos = System.nanoTime();
            }
            notEmpty.signalAll();
            notFull.signalAll();
            retryWake.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60) + closePatienceMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkOpen() {
        if (closing) throw new JournalException("journal is closed");
    }

    private JournalException notYet() {
        return new JournalException("not recorded durably yet: " + describer.apply(trouble)
                + " (held in memory and written once the store recovers)", trouble);
    }

    private JournalException notYetLocked() {
        lock.lock();
        try {
            if (trouble != null) return notYet();
            return new JournalException("journal is closed");
        } finally {
            lock.unlock();
        }
    }

    // ---- failing store: compaction --------------------------------------------------------------

    /** The key a record overwrites (the newest per key is all that matters), or null for history. */
    static String key(JournalRecord r) {
        if (r instanceof SpecRecord) return "s\u0000" + ((SpecRecord) r).name();
        if (r instanceof DesiredStateRecord) return "d\u0000" + ((DesiredStateRecord) r).agent();
        if (r instanceof InstanceRecord) return "i\u0000" + ((InstanceRecord) r).id();
        if (r instanceof AgentRemovalRecord) return "r\u0000" + ((AgentRemovalRecord) r).agent();
        if (r instanceof OffsetRecord) return "o\u0000" + ((OffsetRecord) r).topic() + '\u0000' + ((OffsetRecord) r).partition();
        if (r instanceof AssignmentRecord) return "a\u0000" + ((AssignmentRecord) r).topic();
        return null;
    }

    /** A name for counting what could not be recorded. */
    static String kind(JournalRecord r) {
        if (r instanceof TransitionRecord) return "transitions";
        if (r instanceof ResultRecord) return "operation results";
        if (r instanceof EventRecord) return "events";
        if (r instanceof AssignmentRecord) return "older partition assignments";
        if (r instanceof MetricRecord) return "metric samples";
        if (r instanceof SpanRecord) return "trace spans";
        if (r instanceof SpecRecord) return "specs";
        if (r instanceof DesiredStateRecord) return "desired states";
        if (r instanceof InstanceRecord) return "instance records";
        if (r instanceof OffsetRecord) return "offsets";
        if (r instanceof AgentRemovalRecord) return "agent removals";
        return "records";
    }

    private void countNotRecorded(JournalRecord r, long n) {
        notRecorded.merge(kind(r), n, Long::sum);
        notRecordedTotal += n;
    }

    /**
     * Keeps the newest record per key (offsets: the highest), drops lazy records, and drops the
     * oldest history records until at most half the capacity is used (keyed records are never
     * dropped: they are bounded by the fleet's size). Tickets keep their order; a dropped ticket
     * awaited later reports that it was not recorded.
     */
    private void compact() {
        List<Entry> all = new ArrayList<>(queue);
        Map<String, Integer> newest = new java.util.HashMap<>();
        Map<String, Long> maxOffset = new java.util.HashMap<>();
        int keyed = 0;
        for (int i = all.size() - 1; i >= 0; i--) {
            JournalRecord r = all.get(i).record();
            String k = key(r);
            if (k == null) continue;
            if (!newest.containsKey(k)) {
                newest.put(k, i);
                keyed++;
            }
            if (r instanceof OffsetRecord) maxOffset.merge(k, ((OffsetRecord) r).offset(), Math::max);
        }
        int historyBudget = Math.max(0, capacity / 2 - keyed);
        boolean[] keep = new boolean[all.size()];
        for (int i = all.size() - 1; i >= 0; i--) {
            JournalRecord r = all.get(i).record();
            String k = key(r);
            if (k != null) {
                keep[i] = newest.get(k) == i;
                if (!keep[i] && !(r instanceof OffsetRecord) && !(r instanceof AssignmentRecord)) continue; // superseded, nothing lost
            } else if (!r.lazy() && historyBudget > 0) {
                keep[i] = true;
                historyBudget--;
            }
            if (!keep[i] && (k == null || r instanceof AssignmentRecord)) countNotRecorded(r, 1);
        }
        queue.clear();
        for (int i = 0; i < all.size(); i++) {
            Entry e = all.get(i);
            if (keep[i]) {
                JournalRecord r = e.record();
                if (r instanceof OffsetRecord) {
                    OffsetRecord o = (OffsetRecord) r;
                    long max = maxOffset.get(key(r));
                    if (max != o.offset()) e = new Entry(e.ticket(), new OffsetRecord(o.topic(), o.partition(), max, o.time()));
                }
                queue.addLast(e);
            } else {
                remember(e.ticket(), new JournalException("not recorded: the store was failing and the queue was full"));
            }
        }
        notFull.signalAll();
        LOG.log(System.Logger.Level.DEBUG, "journal queue full while the store is failing: kept " + queue.size()
                + " of " + all.size() + " records (the newest state of each key and the newest history)");
    }

    private void remember(long ticket, Exception why) {
        rejections.put(ticket, why);
        while (rejections.size() > MAX_REMEMBERED_REJECTIONS) rejections.pollFirstEntry();
    }

    // ---- the writer thread ------------------------------------------------------------------------

    private void run() {
        List<Entry> batch = null;
        while (true) {
            if (batch == null) {
                batch = take();
                if (batch == null) return; // closing and drained
            }
            try {
                Map<Long, Exception> refused = writer.write(batch);
                committed(batch, refused);
                batch = null;
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                failed(t);
                // wait, then reopen, until the store takes a connection again; then the same batch again
                while (true) {
                    if (!pause()) {
                        giveUp(batch);
                        return;
                    }
                    try {
                        writer.recover(t);
                        break;
                    } catch (VirtualMachineError e) {
                        throw e;
                    } catch (Throwable r) {
                        failed(r);
                    }
                }
            }
        }
    }

    private List<Entry> take() {
        lock.lock();
        try {
            while (queue.isEmpty() && !closing) notEmpty.awaitUninterruptibly();
            long until = System.nanoTime() + LINGER_NANOS;
            long left;
            // submit signals only the first record of a batch, so this sleeps until a waiter or the deadline (none at 0 ms)
            while (waiters == 0 && !closing && queue.size() < LINGER_ENOUGH && (left = until - System.nanoTime()) > 0) {
                try {
                    notEmpty.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (queue.isEmpty()) {
                stopped = true;
                durableChanged.signalAll();
                return null;
            }
            int n = Math.min(queue.size(), MAX_BATCH);
            List<Entry> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) batch.add(queue.pollFirst());
            inFlight = n;
            notFull.signalAll();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void committed(List<Entry> batch, Map<Long, Exception> refused) {
        JournalHealth recoveredHealth = null;
        lock.lock();
        try {
            durable = batch.get(batch.size() - 1).ticket();
            inFlight = 0;
            batches++;
            largestBatch = Math.max(largestBatch, batch.size());
            if (refused != null && !refused.isEmpty()) {
                rejected += refused.size();
                refused.forEach(this::remember);
            }
            written += batch.size() - (refused == null ? 0 : refused.size());
            if (trouble != null) {
                long lasted = Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - troubleSinceNanos));
                trouble = null;
                attempts = 0;
                recoveredHealth = healthLocked(lasted);
                notRecorded.clear();
                LOG.log(System.Logger.Level.DEBUG, "journal recovered after " + lasted + " ms");
            }
            durableChanged.signalAll();
        } finally {
            lock.unlock();
        }
        if (recoveredHealth != null) tell(recoveredHealth);
    }

    private void failed(Throwable t) {
        JournalHealth h = null;
        lock.lock();
        try {
            boolean first = trouble == null;
            // "the database was closed" only echoes the error that closed it: keep that one as the cause
            if (first || StoreFaults.classify(t) != StoreFaults.Kind.CLOSED) trouble = t;
            attempts++;
            if (first) {
                troubleSinceMs = System.currentTimeMillis();
                troubleSinceNanos = System.nanoTime();
                h = healthLocked(0);
                LOG.log(System.Logger.Level.DEBUG, "journal cannot write, holding records and retrying: " + describer.apply(t));
            }
            durableChanged.signalAll(); // trySync callers return at once
            notFull.signalAll();        // blocked submitters compact instead of waiting
        } finally {
            lock.unlock();
        }
        if (h != null) tell(h);
    }

    private void tell(JournalHealth h) {
        HealthListener l = healthListener;
        if (l == null) return;
        try {
            l.changed(h);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "store: health listener failed: " + io.sabot.errors.UserMessages.describe(e));
        }
    }

    /** Waits before the next attempt; false when closing and the close patience has run out. */
    private boolean pause() {
        lock.lock();
        try {
            long delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(10, Math.max(0, attempts - 1)));
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
            while (true) {
                if (closing && System.nanoTime() - closingAtNanos > TimeUnit.MILLISECONDS.toNanos(closePatienceMs)) return false;
                long left = until - System.nanoTime();
                if (left <= 0) return true;
                try {
                    retryWake.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closing while the store still fails: what is held is abandoned, counted by kind, and the keyed records kept for the report. */
    private void giveUp(List<Entry> batch) {
        lock.lock();
        try {
            List<Entry> all = new ArrayList<>(batch);
            all.addAll(queue);
            queue.clear();
            inFlight = 0;
            Map<String, JournalRecord> newest = new java.util.LinkedHashMap<>();
            for (Entry e : all) {
                abandoned.merge(kind(e.record()), 1L, Long::sum);
                String k = key(e.record());
                if (k != null && !(e.record() instanceof InstanceRecord) && !(e.record() instanceof OffsetRecord)) newest.put(k, e.record());
                remember(e.ticket(), new JournalException("not recorded: the store was still failing when it closed"));
            }
            abandonedKeyed.addAll(newest.values());
            if (!all.isEmpty()) durable = Math.max(durable, all.get(all.size() - 1).ticket());
            stopped = true;
            durableChanged.signalAll();
            LOG.log(System.Logger.Level.DEBUG, "journal closed while the store was failing (" + describer.apply(trouble)
                    + "): " + all.size() + " records not written " + abandoned);
        } finally {
            lock.unlock();
        }
    }
}
