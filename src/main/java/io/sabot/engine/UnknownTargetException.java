package io.sabot.engine;

/** A name that is neither a deployed agent nor one of its instances (bad input: exit code 2). */
public final class UnknownTargetException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnknownTargetException(String message) { super(message); }
}
