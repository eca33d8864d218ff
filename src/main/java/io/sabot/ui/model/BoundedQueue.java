package io.sabot.ui.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lock-free queue that keeps only the newest {@code capacity} items: engine threads offer,
 * the FX pulse drains. Dropping the oldest keeps a burst from growing memory or a pulse.
 */
public final class BoundedQueue<T> {
    private final ConcurrentLinkedQueue<T> q = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final int capacity;

    public BoundedQueue(int capacity) { this.capacity = capacity; }

    public void offer(T item) {
        q.offer(item);
        if (size.incrementAndGet() > capacity) {
            if (q.poll() != null) {
                size.decrementAndGet();
                dropped.incrementAndGet();
            }
        }
    }

    /** Everything queued so far, oldest first. */
    public List<T> drain() {
        List<T> out = new ArrayList<>(Math.min(size.get(), capacity));
        T t;
        while ((t = q.poll()) != null) {
            size.decrementAndGet();
            out.add(t);
        }
        return out;
    }

    public boolean isEmpty() { return q.isEmpty(); }

    public long dropped() { return dropped.get(); }
}
