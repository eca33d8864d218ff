package io.sabot.importer;

/**
 * A file that cannot be imported: not one of the known formats, unreadable, or malformed. The
 * message names the file and what is wrong (the CLI prints it and exits 2).
 */
public final class ImportException extends Exception {
    private static final long serialVersionUID = 1L;

    public ImportException(String message) { super(message); }
}
