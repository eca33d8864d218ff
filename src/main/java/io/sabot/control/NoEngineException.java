package io.sabot.control;

/** No engine answers on this home's control socket (exit code 3). */
public final class NoEngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoEngineException(String message) { super(message); }
}
