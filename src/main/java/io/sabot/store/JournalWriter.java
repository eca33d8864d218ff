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
 * awaiting its ticket throws {@link JournalException}. If a commit fails as a whole, the writer
 * stops: every waiter and every later call gets a {@link JournalException} with the cause.
 */
public final class JournalWriter implements AutoCloseable {
    /** Returned by {@link #submit} for a lazy record dropped because the queue was full. */
    public static final long DROPPED = -1L;
    private static final System.Logger LOG = System.getLogger(JournalWriter.class.getName());
    private static final int MAX_REMEMBERED_REJECTIONS = 10_000;
    /**
     * Most records per transaction. H2's MVStore walks a transaction's undo log at commit, so very
     * large transactions cost more per row than mid-size ones (measured here: 5k-row batches ~2x the
     * rows/s of 65k-row ones); the writer loops at once for the rest.
     */
    public static final int MAX_BATCH = 8_192;

    /** A queued record with its ticket. */
    public record Entry(long ticket, JournalRecord record) { }

    /** Writes one batch in one transaction. */
    @FunctionalInterface
    public interface BatchWriter {
        /**
         * Writes and commits all entries (in order).
         *
         * @return entries refused individually (ticket to cause); the rest are committed
         * @throws Exception if the batch could not be committed at all (the journal then stops)
         */
        Map<Long, Exception> write(List<Entry> batch) throws Exception;
    }

    private final BatchWriter writer;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final Condition durableChanged = lock.newCondition();
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final NavigableMap<Long, Exception> rejections = new TreeMap<>();
    private final Thread thread;

    // all guarded by lock
    private long lastTicket;
    private long durable;
    private Throwable fatal;
    private boolean closing;
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

    /**
     * Queues a record; never waits for the write.
     *
     * @return the record's ticket (&gt; 0), or {@link #DROPPED} for a lazy record when the queue is full
     * @throws JournalException if the journal is closed or has failed, or the caller is interrupted while
     *                          blocked on a full queue
     */
    public long submit(JournalRecord record) {
        Objects.requireNonNull(record, "record");
        lock.lock();
        try {
            checkUsable();
            if (queue.size() >= capacity) {
                if (record.lazy()) {
                    droppedLazy++;
                    return DROPPED;
                }
                while (queue.size() >= capacity) {
                    try {
                        notFull.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new JournalException("interrupted while waiting for room in the journal queue");
                    }
                    checkUsable();
                }
            }
            long ticket = ++lastTicket;
            queue.addLast(new Entry(ticket, record));
            submitted++;
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
     * @throws JournalException if it was rejected, the journal failed, or the caller was interrupted
     */
    public void awaitDurable(long ticket) {
        if (!awaitDurable(ticket, null)) throw new AssertionError("unreachable");
    }

    /**
     * Blocks at most {@code timeout} until the record with this ticket is committed durably.
     *
     * @return true when durable, false on timeout
     * @throws JournalException if it was rejected, the journal failed, or the caller was interrupted
     */
    public boolean awaitDurable(long ticket, Duration timeout) {
        if (ticket == DROPPED) throw new IllegalArgumentException("a dropped record has no ticket to await");
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            if (ticket > lastTicket || ticket <= 0) throw new IllegalArgumentException("unknown ticket " + ticket);
            while (durable < ticket) {
                if (fatal != null) {
                    throw new JournalException("journal failed before record " + ticket + " was written: "
                            + fatal.getMessage(), fatal);
                }
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
                }
            }
            Exception rej = rejections.get(ticket);
            if (rej != null) throw new JournalException("record " + ticket + " was rejected: " + rej.getMessage(), rej);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until everything submitted before this call (lazy records included) is committed. */
    public void sync() {
        long t;
        lock.lock();
        try {
            t = lastTicket;
        } finally {
            lock.unlock();
        }
        if (t == 0) return;
        lock.lock();
        try {
            while (durable < t) {
                if (fatal != null) throw new JournalException("journal failed: " + fatal.getMessage(), fatal);
                try {
                    durableChanged.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new JournalException("interrupted in sync");
                }
            }
        } finally {
            lock.unlock();
        }
    }

    public JournalStats stats() {
        lock.lock();
        try {
            return new JournalStats(submitted, written, droppedLazy, rejected, batches, largestBatch, queue.size(),
                    capacity, fatal != null);
        } finally {
            lock.unlock();
        }
    }

    /** The error that stopped the writer, or null. */
    public Throwable failure() {
        lock.lock();
        try {
            return fatal;
        } finally {
            lock.unlock();
        }
    }

    /** Stops accepting records, writes everything queued, and stops the writer thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkUsable() {
        if (fatal != null) throw new JournalException("journal failed: " + fatal.getMessage(), fatal);
        if (closing) throw new JournalException("journal is closed");
    }

    private void run() {
        while (true) {
            List<Entry> batch;
            lock.lock();
            try {
                while (queue.isEmpty() && !closing) notEmpty.awaitUninterruptibly();
                if (queue.isEmpty()) return; // closing and drained
                int n = Math.min(queue.size(), MAX_BATCH);
                batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) batch.add(queue.pollFirst());
                notFull.signalAll();
            } finally {
                lock.unlock();
            }
            Map<Long, Exception> refused;
            try {
                refused = writer.write(batch);
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.ERROR, "journal writer stopped: " + t, t);
                lock.lock();
                try {
                    fatal = t;
                    queue.clear();
                    durableChanged.signalAll();
                    notFull.signalAll();
                } finally {
                    lock.unlock();
                }
                return;
            }
            lock.lock();
            try {
                durable = batch.get(batch.size() - 1).ticket();
                batches++;
                largestBatch = Math.max(largestBatch, batch.size());
                if (refused != null && !refused.isEmpty()) {
                    rejected += refused.size();
                    rejections.putAll(refused);
                    while (rejections.size() > MAX_REMEMBERED_REJECTIONS) rejections.pollFirstEntry();
                }
                written += batch.size() - (refused == null ? 0 : refused.size());
                durableChanged.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
