package io.sabot.engine;

import io.sabot.concurrent.Threads;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Delivers engine events to listeners on a thread of its own, so publishing never waits for a
 * listener: the engine publishes under an instance's lock and returns at once, and no listener
 * (store, socket, console) can stall crash handling or deadlock against a deploy. Order is the
 * order of publishing (so per instance too). Transitions and every other event are never
 * dropped; a metrics snapshot still waiting when a newer one comes is replaced by it.
 * {@link #flush} waits until everything published so far was delivered: the engine calls it
 * before the store's durability barrier and before an operation returns.
 */
final class EventBus implements Ports.Events, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.sabot.engine");
    /** Stands in the queue for "the newest metrics snapshot", so a slow listener sees one, not a backlog. */
    private static final Object METRICS = new Object();
    /** Wakes the thread so it sees {@link #closed} (not an event: not counted as published). */
    private static final Object WAKE = new Object();

    private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<Object> queue = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** The event thread is parked (or about to park) waiting for an event. */
    private volatile boolean parked;
    /** Per thread: how deep in {@link #holdingWakes} it is, and whether it queued anything meanwhile. */
    private static final ThreadLocal<int[]> HOLD = ThreadLocal.withInitial(() -> new int[2]);
    private final AtomicReference<EngineEvent.MetricsEvent> metrics = new AtomicReference<>();
    private final AtomicLong published = new AtomicLong();
    private final Object deliveredLock = new Object();
    private long delivered; // guarded by deliveredLock
    private final Thread thread;
    private volatile boolean closed;

    EventBus() {
        this.thread = Threads.start("sabot-events", this::run);
    }

    @Override
    public Subscription subscribe(EngineListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void publish(EngineEvent e) {
        if (e instanceof EngineEvent.MetricsEvent m) {
            if (metrics.getAndSet(m) != null) return; // the queued marker will deliver this newer one
            published.incrementAndGet();
            queue.add(METRICS);
            wake();
            return;
        }
        published.incrementAndGet();
        queue.add(e);
        wake();
    }

    /**
     * Runs {@code body} with the events it publishes queued in order at once but the event thread
     * woken only when it ends: the crash path publishes BACKOFF and STARTING before it spawns, and
     * waking the event thread (and through it the store's journal) there let them take the CPU
     * from the respawn (issue 13). Delivery order is unchanged (events are queued when published).
     */
    void holdingWakes(Runnable body) {
        int[] h = HOLD.get();
        h[0]++;
        try {
            body.run();
        } finally {
            if (--h[0] == 0 && h[1] != 0) {
                h[1] = 0;
                wakeNow();
            }
        }
    }

    private void wake() {
        int[] h = HOLD.get();
        if (h[0] > 0) h[1] = 1;
        else wakeNow();
    }

    private void wakeNow() {
        if (parked) java.util.concurrent.locks.LockSupport.unpark(thread);
    }

    /** Waits until every event published before this call has reached every listener (never on the event thread itself). */
    void flush() {
        if (Thread.currentThread() == thread) return;
        wakeNow(); // even if this thread holds its wakes
        long target = published.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (deliveredLock) {
            while (delivered < target && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.log(System.Logger.Level.WARNING, "event listeners are " + (target - delivered) + " events behind after 30 s");
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(deliveredLock, left);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void run() {
        while (!closed || !queue.isEmpty()) {
            Object next = queue.poll();
            if (next == null) { // no timed poll: an idle engine's event thread sleeps until an event (close adds one)
                parked = true;
                if (queue.isEmpty() && !closed) java.util.concurrent.locks.LockSupport.park(this);
                parked = false;
                continue;
            }
            if (next == WAKE) continue;
            EngineEvent e = next == METRICS ? metrics.getAndSet(null) : (EngineEvent) next;
            if (e != null) deliver(e);
            synchronized (deliveredLock) {
                delivered++;
                deliveredLock.notifyAll();
            }
        }
    }

    private void deliver(EngineEvent e) {
        for (EngineListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable ex) {
                // one broken listener (even an AssertionError in a test's) must not end delivery to all
                LOG.log(System.Logger.Level.WARNING, "event listener failed on " + e.type() + ": " + io.sabot.errors.UserMessages.describe(ex), io.sabot.errors.UserMessages.isBug(ex) ? ex : null);
            }
        }
    }

    /** Delivers what is queued, then stops. */
    @Override
    public void close() {
        flush();
        closed = true;
        queue.add(WAKE);
        wakeNow();
        synchronized (deliveredLock) { deliveredLock.notifyAll(); }
        try {
            thread.join(2000);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
