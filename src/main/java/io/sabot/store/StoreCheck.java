package io.sabot.store;

import java.util.List;
import java.util.Map;

/**
 * What {@code sabot store check} reports (and {@code --json} prints).
 *
 * @param ok              no problem found
 * @param problems        each problem in a sentence (empty when ok)
 * @param database        the database file
 * @param databaseBytes   its size
 * @param generation      its commit generation (-1 when unreadable)
 * @param rows            rows per table that a full scan read
 * @param snapshot        the snapshot file
 * @param snapshotWrittenAt when it was written (ISO-8601; null when there is none)
 * @param snapshotAgents  agents it holds
 * @param snapshotVsDatabase how it stands against the database, in words
 * @param backups         the backups, newest first
 * @param movedAside      database files moved aside by earlier repairs
 * @param online          true when the running engine did the check
 */
public record StoreCheck(boolean ok, List<String> problems, String database, long databaseBytes, long generation,
                         Map<String, Long> rows, String snapshot, String snapshotWrittenAt, List<String> snapshotAgents,
                         String snapshotVsDatabase, List<BackupInfo> backups, List<String> movedAside, boolean online) {
    public StoreCheck {
        problems = List.copyOf(problems);
        rows = Map.copyOf(rows);
        snapshotAgents = snapshotAgents == null ? List.of() : List.copyOf(snapshotAgents);
        backups = List.copyOf(backups);
        movedAside = List.copyOf(movedAside);
    }

    /** One backup file. */
    public record BackupInfo(String file, String takenAt, long generation, long sizeBytes) { }
}
