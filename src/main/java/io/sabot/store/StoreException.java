package io.sabot.store;

/** A store failure with a message fit for a user: it names the file or directory concerned. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) { super(message); }

    public StoreException(String message, Throwable cause) { super(message, cause); }
}
