package io.sabot.store;

import java.util.List;
import java.util.Map;

/**
 * The store's health, for people: {@code sabot agents status}, the console's status bar, the
 * control socket's notices.
 *
 * @param ok             true while everything is recorded
 * @param message        a sentence: what is wrong and what Sabot does about it (null when ok)
 * @param problem        what is wrong, alone, e.g. "the disk holding /x is full (12 KiB free)" (null when ok)
 * @param failing        true while the database cannot be written
 * @param sinceMs        when the current failure began (0 when ok)
 * @param held           records held in memory, waiting to be written
 * @param notRecorded    history dropped while failing, by kind
 * @param stateSafe      whether the snapshot file holds the current specs and desired state (so a
 *                       restart cannot revert them even while the database cannot be written)
 * @param snapshotAtMs   when the snapshot file was last written (0: never)
 * @param lastBackupAtMs when the newest backup was taken (0: none)
 * @param lastBackupBytes its size
 * @param backupProblem  why the latest backup was not taken (null when it was)
 * @param notices        what the store did on its own that people must know: a damaged database moved
 *                       aside and restored, recording resumed after a failure, what could not be recovered (the latest 20)
 * @param noticesTotal   how many notices there have been since the store opened
 */
public record StoreStatus(boolean ok, String message, String problem, boolean failing, long sinceMs, long held, Map<String, Long> notRecorded,
                          boolean stateSafe, long snapshotAtMs, long lastBackupAtMs, long lastBackupBytes,
                          String backupProblem, List<String> notices, long noticesTotal) {
    public StoreStatus {
        notRecorded = Map.copyOf(notRecorded);
        notices = List.copyOf(notices);
    }
}
