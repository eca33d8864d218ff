package io.sabot.control;

/** The engine answered with an error the client has no more specific type for. */
public final class RemoteException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String kind;

    public RemoteException(String kind, String message) {
        super(message);
        this.kind = kind;
    }

    public String kind() { return kind; }
}
