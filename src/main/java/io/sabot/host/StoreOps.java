package io.sabot.host;

import io.sabot.store.Backups;
import io.sabot.store.Store;
import java.util.LinkedHashMap;
import java.util.Map;

/** The store operations the control socket offers beside the engine's: {@code store-check}, {@code store-backup}. */
final class StoreOps {
    private StoreOps() {}

    /** Takes a backup now (after a full scan); the result names the file, or why none was taken. */
    static Map<String, Object> backupNow(Store store) {
        long t0 = System.nanoTime();
        Backups.Backup b = store.backupIfDue(true);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("taken", b != null);
        if (b != null) {
            out.put("file", b.file().toString());
            out.put("sizeBytes", b.sizeBytes());
            out.put("generation", b.generation());
            out.put("millis", (System.nanoTime() - t0) / 1_000_000);
        } else {
            out.put("problem", store.status().backupProblem());
        }
        return out;
    }
}
