package io.sabot.engine;

import java.util.List;

/**
 * The durable store's health as the engine reports it: in {@link EngineInfo#store()}, and as an
 * event of type {@code "store"} whenever it changes. The engine itself knows nothing of the store;
 * the host fills this in.
 *
 * @param ok             true while everything is recorded durably
 * @param message        what is wrong and what Sabot does about it, in a sentence (null when ok)
 * @param problem        what is wrong, alone and short, e.g. "the disk holding /x is full (0 bytes free)" (null when ok)
 * @param recording      false while the database cannot be written (everything is held in memory)
 * @param replyNotice    the notice every reply to an operation that needed durability carries while the
 *                       store fails, e.g. "not recorded durably: the disk holding /x is full ..." (null when ok)
 * @param sinceMs        when the current failure began (0 when ok)
 * @param heldRecords    records held in memory, waiting to be written
 * @param stateSafe      whether specs and desired state are safe in the snapshot file (a restart cannot revert them)
 * @param lastBackupAtMs when the newest backup of the database was taken (0: none)
 * @param lastBackupBytes its size
 * @param backupProblem  why the latest backup was not taken (null when it was)
 * @param notices        what the store did on its own that people must know (a damaged database restored,
 *                       recording resumed, what could not be recovered), oldest first
 */
public record StoreHealth(boolean ok, String message, String problem, boolean recording, String replyNotice, long sinceMs, long heldRecords, boolean stateSafe,
                          long lastBackupAtMs, long lastBackupBytes, String backupProblem, List<String> notices) {
    public StoreHealth {
        notices = notices == null ? List.of() : List.copyOf(notices);
    }
}
