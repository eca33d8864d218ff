package io.sabot.store;

/** A journal record was not (or may not have been) written durably. */
public final class JournalException extends StoreException {
    private static final long serialVersionUID = 1L;

    public JournalException(String message) { super(message); }

    public JournalException(String message, Throwable cause) { super(message, cause); }
}
