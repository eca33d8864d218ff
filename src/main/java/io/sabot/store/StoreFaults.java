package io.sabot.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;

/**
 * What went wrong with the store, in words for people. H2 reports a full disk as a "General
 * error" whose message nests three MVStore exceptions and a file channel's object name; users
 * must read "the disk holding /home/me/.local/share/sabot is full" instead. Guarantees (each
 * held by StoreFaultsTest): no sentence made here contains a Java class name; a full disk is
 * recognised whether it comes as an {@link IOException}, an H2 error or a file-system error;
 * a record refused by the database (a constraint, a value too long) is told apart from a fault of
 * the store itself, so the journal refuses one record only for the former and retries the latter.
 */
public final class StoreFaults {
    /** What kind of fault. */
    public enum Kind {
        /** no space left on the device (or quota exceeded) */
        DISK_FULL,
        /** any other input/output error of the file system */
        IO_ERROR,
        /** the file is not a readable H2 database (damaged, truncated, not ours) */
        DAMAGED,
        /** H2 closed the database after an earlier error; a new connection reopens it */
        CLOSED,
        /** anything else */
        OTHER
    }


    private StoreFaults() {}

    /** Classifies a failure of the store (walking the causes). */
    public static Kind classify(Throwable t) {
        Kind found = Kind.OTHER;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (noSpace(c)) return Kind.DISK_FULL;
            if (c instanceof SQLException) {
                int code = ((SQLException) c).getErrorCode();
                if (code == 90098 && found == Kind.OTHER) found = Kind.CLOSED;
                if (code == 90030 || code == 90048) found = Kind.DAMAGED;
                if ((code == 90028 || code == 90031) && found == Kind.OTHER) found = Kind.IO_ERROR;
            }
            String m = c.getMessage() == null ? "" : c.getMessage();
            if (m.contains("Unable to read the page") || m.contains("File corrupted") || m.contains("is corrupted")
                    || m.contains("Chunk") && m.contains("not found") || m.contains("File is corrupted")) {
                found = Kind.DAMAGED;
            }
            if (c instanceof IOException && found == Kind.OTHER) found = Kind.IO_ERROR;
            if (m.contains("Writing to") && m.contains("failed") && found == Kind.OTHER) found = Kind.IO_ERROR;
            if (m.contains("Reading from") && m.contains("failed") && found == Kind.OTHER) found = Kind.IO_ERROR;
        }
        return found;
    }

    /** Whether this exception (not its causes) says the device is full. */
    static boolean noSpace(Throwable c) {
        String m = c.getMessage();
        if (m == null) return false;
        String l = m.toLowerCase(Locale.ROOT);
        return l.contains("no space left on device") || l.contains("disk quota exceeded") || l.contains("enospc");
    }

    /**
     * A record the database refused for what it holds (SQL states 22xxx data exceptions and
     * 23xxx integrity constraints), as opposed to a fault of the store; only these are refused
     * one by one. Anything thrown by our own mapping code (a RuntimeException) is a record error too.
     */
    static boolean isRecordError(Throwable t) {
        if (t instanceof SQLException) {
            if (classify(t) != Kind.OTHER) return false;
            String state = ((SQLException) t).getSQLState();
            return state != null && (state.startsWith("22") || state.startsWith("23"));
        }
        return t instanceof RuntimeException && classify(t) == Kind.OTHER;
    }

    /**
     * A sentence for people about a failure to write or read the store of {@code home}, e.g.
     * "the disk holding /x is full (12 KiB free)" or "cannot write /x/sabot.mv.db: Input/output error".
     */
    public static String describe(Throwable t, Path home) {
        Path db = home == null ? null : home.resolve(Store.DB_NAME + ".mv.db");
        Kind kind = classify(t);
        if ((kind == Kind.CLOSED || kind == Kind.IO_ERROR || kind == Kind.OTHER) && usable(home) < FULL_BELOW) {
            kind = Kind.DISK_FULL; // whatever H2 says, a disk with nothing left is why
        }
        switch (kind) {
            case DISK_FULL:
                return "the disk holding " + home + " is full" + free(home);
            case DAMAGED:
                return "the database file " + db + " is damaged (" + detail(t) + ")";
            case CLOSED:
                return "the database " + db + " was closed after an earlier error and is being reopened";
            case IO_ERROR:
                return "cannot write " + (db == null ? "the store" : db) + ": " + detail(t);
            default:
                return "the store " + (db == null ? "" : db + " ") + "failed: " + detail(t);
        }
    }

    /** Below this many free bytes a disk counts as full. */
    public static final long FULL_BELOW = 256 * 1024;

    private static long usable(Path dir) {
        if (dir == null) return Long.MAX_VALUE;
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    /** " (12 KiB free)" for the file system holding {@code dir}, or "" when unknown. */
    static String free(Path dir) {
        if (dir == null) return "";
        try {
            long b = Files.getFileStore(dir).getUsableSpace();
            return " (" + bytes(b) + " free)";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The deepest useful message in the chain, without class names, H2 error codes or object ids. */
    public static String detail(Throwable t) {
        String best = null;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = ownWords(c);
            if (m != null && !m.isBlank()) best = m;
        }
        return best == null ? "no details" : shortDamage(best);
    }

    /** H2's damage reports carry page maps hundreds of characters long and advice meant for its own tools. */
    static String shortDamage(String m) {
        if (m.contains("Unable to read the page")) return "a page of the file cannot be read";
        if (m.contains("File corrupted while reading record")) return "a record of the file is corrupted";
        if (m.contains("Possible solution")) m = m.substring(0, m.indexOf("Possible solution")).strip();
        while (m.endsWith(".") || m.endsWith(",")) m = m.substring(0, m.length() - 1);
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    private static String ownWords(Throwable c) {
        if (c instanceof NoSuchFileException) return "no such file: " + ((NoSuchFileException) c).getFile();
        if (c instanceof AccessDeniedException) return "permission denied: " + ((AccessDeniedException) c).getFile();
        if (c instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) c;
            return (f.getFile() == null ? "" : f.getFile() + ": ") + (f.getReason() == null ? "input/output error" : f.getReason());
        }
        return clean(c.getMessage());
    }

    /** Removes Java class names, H2 error codes and object ids from a message; keeps the first line. */
    public static String clean(String message) {
        return io.sabot.errors.UserMessages.clean(message);
    }

    static String bytes(long b) {
        if (b < 1024) return b + " bytes";
        if (b < 1024 * 1024) return String.format(Locale.ROOT, "%.0f KiB", b / 1024.0);
        if (b < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MiB", b / 1048576.0);
        return String.format(Locale.ROOT, "%.2f GiB", b / 1073741824.0);
    }
}
