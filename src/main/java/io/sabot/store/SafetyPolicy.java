package io.sabot.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How the store protects itself against a damaged database and a failing disk.
 *
 * @param snapshotEvery    how often the snapshot file is rewritten when the state changed (and at every
 *                         acknowledged operation); default 1 s
 * @param backupEvery      how often an online backup is taken (after a full scan of the database
 *                         passed); default 1 h; zero turns backups off
 * @param firstBackupAfter delay of the first backup after the store opens (when the newest backup is
 *                         older than {@code backupEvery}); default 2 min
 * @param backupsKept      how many backups are kept (newest first); default 3
 * @param closePatience    how long closing keeps retrying a failing store before it gives up on what it
 *                         holds (and names it); default 10 s
 */
public record SafetyPolicy(Duration snapshotEvery, Duration backupEvery, Duration firstBackupAfter, int backupsKept,
                           Duration closePatience) {
    public SafetyPolicy {
        Objects.requireNonNull(snapshotEvery, "snapshotEvery");
        Objects.requireNonNull(backupEvery, "backupEvery");
        Objects.requireNonNull(firstBackupAfter, "firstBackupAfter");
        Objects.requireNonNull(closePatience, "closePatience");
        if (backupsKept < 1) throw new IllegalArgumentException("backupsKept < 1");
        if (snapshotEvery.toMillis() < 10) throw new IllegalArgumentException("snapshotEvery < 10 ms");
    }

    public static SafetyPolicy defaults() {
        return new SafetyPolicy(Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofMinutes(2), 3, Duration.ofSeconds(10));
    }

    public SafetyPolicy withBackups(Duration every, Duration firstAfter, int kept) {
        return new SafetyPolicy(snapshotEvery, every, firstAfter, kept, closePatience);
    }

    public SafetyPolicy withClosePatience(Duration d) {
        return new SafetyPolicy(snapshotEvery, backupEvery, firstBackupAfter, backupsKept, d);
    }

    /**
     * The defaults with the daemon's environment applied: {@code SABOT_BACKUP_EVERY} (e.g. {@code 30m},
     * {@code 2h}, {@code 90s}, {@code 0} for none), {@code SABOT_BACKUP_FIRST_AFTER} and {@code SABOT_BACKUPS_KEPT}.
     *
     * @throws IllegalArgumentException naming the variable when a value is not understood
     */
    public static SafetyPolicy fromEnvironment(java.util.Map<String, String> env) {
        SafetyPolicy p = defaults();
        Duration every = duration(env, "SABOT_BACKUP_EVERY", p.backupEvery());
        Duration first = duration(env, "SABOT_BACKUP_FIRST_AFTER", p.firstBackupAfter());
        int kept = p.backupsKept();
        String k = env.get("SABOT_BACKUPS_KEPT");
        if (k != null && !k.isBlank()) {
            try {
                kept = Integer.parseInt(k.trim());
            } catch (NumberFormatException e) {
                kept = -1;
            }
            if (kept < 1 || kept > 1000) throw new IllegalArgumentException("SABOT_BACKUPS_KEPT must be a whole number from 1 to 1000, was \"" + k + "\"");
        }
        return p.withBackups(every, first, kept);
    }

    static Duration duration(java.util.Map<String, String> env, String name, Duration dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return dflt;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)?").matcher(v.trim());
        if (!m.matches()) throw new IllegalArgumentException(name + " must be a duration such as 90s, 30m or 2h, was \"" + v + "\"");
        long n = Long.parseLong(m.group(1));
        String u = m.group(2) == null ? "s" : m.group(2);
        switch (u) {
            case "ms": return Duration.ofMillis(n);
            case "m": return Duration.ofMinutes(n);
            case "h": return Duration.ofHours(n);
            case "d": return Duration.ofDays(n);
            default: return Duration.ofSeconds(n);
        }
    }
}
