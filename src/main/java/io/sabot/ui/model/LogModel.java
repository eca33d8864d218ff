package io.sabot.ui.model;

import io.sabot.engine.Engine;
import io.sabot.engine.Subscription;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The log tail of one instance: the last 500 lines, then new ones as they are written while
 * following. Lines from the follow thread go into a bounded queue the pulse drains, one addAll per
 * frame; at most {@link #MAX_LINES} are kept. It reads and follows only while active: a hidden
 * log tab holds no subscription.
 */
public final class LogModel implements AutoCloseable {
    public static final int MAX_LINES = 2_000;
    private final Engine engine;
    private final Background bg;
    private final ObservableList<String> lines = FXCollections.observableArrayList();
    private volatile BoundedQueue<String> incoming = new BoundedQueue<>(MAX_LINES);
    private Subscription sub;
    private int generation;
    private String want, shown;
    private boolean follow = true, active;

    private final Runnable wake;

    /** @param wake asks the UI for a tick when lines arrive */
    public LogModel(Engine engine, Background bg, Runnable wake) {
        this.engine = engine;
        this.bg = bg;
        this.wake = wake == null ? () -> { } : wake;
    }

    public ObservableList<String> lines() { return lines; }

    /** The instance to show (null: none). */
    public void show(String id) {
        want = id;
        sync();
    }

    public void setFollow(boolean on) {
        if (follow == on) return;
        follow = on;
        reopen();
    }

    public void setActive(boolean on) {
        if (active == on) return;
        active = on;
        sync();
    }

    /** Reads the tail again. */
    public void reopen() {
        shown = null;
        sync();
    }

    /** Whether a follow subscription is open now (tests). */
    public boolean following() { return sub != null; }

    private void sync() {
        String id = active ? want : null;
        if (id != null && id.equals(shown)) return;
        closeFollow();
        shown = id;
        lines.clear();
        if (id == null) return;
        int gen = ++generation;
        BoundedQueue<String> q = new BoundedQueue<>(MAX_LINES);
        incoming = q;
        boolean doFollow = follow;
        bg.read(() -> {
            List<String> tail = engine.logs(id, 500);
            Subscription s = doFollow ? engine.followLogs(id, line -> {
                q.offer(line);
                wake.run();
            }) : null;
            return new Object[]{tail, s};
        }, res -> {
            @SuppressWarnings("unchecked")
            List<String> tail = (List<String>) res[0];
            Subscription s = (Subscription) res[1];
            if (gen != generation) { // superseded while loading
                if (s != null) bg.run(s::close);
                return;
            }
            sub = s;
            lines.setAll(tail);
        }, err -> {
            if (gen == generation) lines.setAll("(cannot read the log: " + err.getMessage() + ")");
        });
    }

    private void closeFollow() {
        generation++;
        Subscription s = sub;
        sub = null;
        if (s != null) bg.run(s::close); // a remote unsubscribe may block
    }

    /** Called by the pulse: appends what arrived; true when lines were added. */
    public boolean tick() {
        if (sub == null) return false;
        List<String> got = incoming.drain();
        if (got.isEmpty()) return false;
        lines.addAll(got);
        if (lines.size() > MAX_LINES) lines.remove(0, lines.size() - MAX_LINES);
        return true;
    }

    @Override
    public void close() {
        active = false;
        closeFollow();
    }
}
