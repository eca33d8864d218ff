package io.sabot.launch;

/**
 * The console cannot open a window here: {@link #getMessage()} names what is missing and how to
 * install it (Debian/Ubuntu and Fedora). The CLI prints it and exits 4.
 */
public final class ConsoleUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConsoleUnavailable(String message) { super(message, null, false, false); }
}
