package io.sabot.partition;

import java.util.PriorityQueue;

/** Virtual time for tests: tasks run only inside {@link #advance}, on the caller's thread. */
final class ManualScheduler implements Scheduler {
    private static final class Task {
        final long at;
        final long seq;
        final Runnable run;
        boolean cancelled;

        Task(long at, long seq, Runnable run) {
            this.at = at;
            this.seq = seq;
            this.run = run;
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) ->
            a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;

    ManualScheduler(long startMs) {
        this.now = startMs;
    }

    long now() {
        return now;
    }

    @Override
    public Cancellable schedule(long delayMs, Runnable task) {
        Task t = new Task(now + Math.max(0, delayMs), seq++, task);
        queue.add(t);
        return () -> t.cancelled = true;
    }

    /** Moves the clock forward, running every task that falls due on the way, in time order. */
    void advance(long ms) {
        long target = now + ms;
        while (!queue.isEmpty() && queue.peek().at <= target) {
            Task t = queue.poll();
            now = Math.max(now, t.at);
            if (!t.cancelled) {
                t.run.run();
            }
        }
        now = target;
    }

    int pending() {
        int n = 0;
        for (Task t : queue) {
            if (!t.cancelled) {
                n++;
            }
        }
        return n;
    }
}
