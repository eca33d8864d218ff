package io.sabot.host;

import io.sabot.engine.Durability;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.StoreHealth;
import io.sabot.store.Store;
import io.sabot.store.StoreStatus;
import java.util.Objects;

/**
 * The store's health, told to the engine and to people: {@code EngineInfo.store}, a
 * {@code "store"} event whenever it changes, a {@code "notice"} event (recorded in the event log)
 * and a line on the engine's stderr for each thing the store did on its own, and the durability
 * barrier every acknowledged operation passes. The barrier never waits for a failing disk: it
 * writes the snapshot file and returns; the operation's reply then carries the notice
 * "not recorded durably: ..." (FullDiskTest).
 */
final class StoreWatch implements Durability {
    private static final System.Logger LOG = System.getLogger("io.sabot.host");
    private final Store store;
    private volatile LocalEngine engine;
    private StoreHealth last;       // guarded by this
    private long noticesTold;       // guarded by this

    StoreWatch(Store store) {
        this.store = store;
    }

    /** Starts telling the engine; the notices of opening (a repaired database) are told now. */
    void attach(LocalEngine e) {
        this.engine = e;
        e.storeHealthSource(this::health);
        store.onStatus(s -> changed(s));
        changed(store.status());
    }

    /** The durability barrier: everything so far in the database, or at least the snapshot file, without waiting for a failing disk. */
    @Override
    public void sync() {
        store.journal().trySync();
        store.flushSnapshot();
    }

    StoreHealth health() { return map(store.status()); }

    static StoreHealth map(StoreStatus s) {
        String reply = null;
        if (s.failing() || !s.stateSafe()) {
            boolean full = s.problem() != null && s.problem().contains(" is full");
            String when = full ? "once there is room" : "once the store recovers";
            if (s.failing()) {
                reply = "not recorded durably: " + s.problem() + (s.stateSafe()
                        ? "; specs and desired state are safe in the snapshot file, the rest is held in memory and written " + when
                        : "; held in memory only and written " + when + " (a restart before then loses it)");
            } else {
                reply = "not recorded durably: " + s.problem();
            }
        }
        return new StoreHealth(s.ok(), s.message(), s.problem(), !s.failing(), reply, s.sinceMs(), s.held(), s.stateSafe(), s.lastBackupAtMs(),
                s.lastBackupBytes(), s.backupProblem(), s.notices());
    }

    private void changed(StoreStatus s) {
        LocalEngine e = engine;
        if (e == null) return;
        io.sabot.engine.EngineRuntime rt = e.runtime();
        StoreHealth h = map(s);
        long count = s.noticesTotal();
        java.util.List<String> fresh;
        boolean publish;
        boolean wasOk;
        synchronized (this) {
            wasOk = last == null || last.ok();
            publish = last == null || last.ok() != h.ok() || !Objects.equals(last.message(), h.message())
                    || !Objects.equals(last.backupProblem(), h.backupProblem()) || last.lastBackupAtMs() != h.lastBackupAtMs()
                    || noticesTold != count;
            last = h;
            int n = (int) Math.min(h.notices().size(), count - noticesTold);
            fresh = h.notices().subList(h.notices().size() - n, h.notices().size());
            noticesTold = count;
        }
        for (String n : fresh) {
            LOG.log(System.Logger.Level.WARNING, "store: " + n);
            rt.publish(new EngineEvent.NoticeEvent("store: " + n));
        }
        if (wasOk && !h.ok()) LOG.log(System.Logger.Level.WARNING, "store: " + h.message());
        if (!wasOk && h.ok()) LOG.log(System.Logger.Level.WARNING, "store: recording everything again");
        if (publish) rt.publish(new EngineEvent.StoreEvent(h));
    }
}
