package io.sabot.errors;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.regex.Pattern;

/**
 * Errors in words for people: what the CLI prints, what the control socket sends, what the
 * console shows. Never a Java class name, a stack frame or a library's internal error code
 * (UserMessagesTest#noClassNamesEvenFromLibraries). A programming error (a null pointer, a bad
 * cast) becomes "internal error in Sabot" and its details go to the engine's log instead.
 */
public final class UserMessages {
    static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:@[0-9a-f]+)?:?\\s*");
    private static final Pattern BARE_EXCEPTION = Pattern.compile("\\b[A-Z][A-Za-z0-9_]*(?:Exception|Error)\\b:?\\s*");
    private static final Pattern H2_CODE = Pattern.compile("\\s*\\[\\d{5}-\\d+\\]");
    private static final Pattern H2_VERSION = Pattern.compile("\\s*\\[\\d+\\.\\d+\\.\\d+/\\d+\\]");
    public static final String INTERNAL = "internal error in Sabot (a bug: the engine's log has the details)";

    private UserMessages() {}

    /** What went wrong, in a sentence. */
    public static String describe(Throwable t) {
        if (t == null) return "unknown error";
        if (t instanceof OutOfMemoryError) return "the engine ran out of memory";
        if (t instanceof StackOverflowError) return INTERNAL;
        if (t instanceof NoSuchFileException) return "no such file: " + ((NoSuchFileException) t).getFile();
        if (t instanceof AccessDeniedException) return "permission denied: " + ((AccessDeniedException) t).getFile();
        if (t instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) t;
            return (f.getFile() == null ? "" : f.getFile() + ": ") + (f.getReason() == null ? "input/output error" : f.getReason());
        }
        if ((t instanceof java.util.concurrent.ExecutionException || t instanceof java.util.concurrent.CompletionException
                || t instanceof java.lang.reflect.InvocationTargetException || t instanceof java.lang.reflect.UndeclaredThrowableException
                || t instanceof UncheckedIOException) && t.getCause() != null) {
            return describe(t.getCause());
        }
        if (t instanceof NullPointerException || t instanceof ClassCastException || t instanceof IndexOutOfBoundsException
                || t instanceof ArithmeticException || t instanceof java.util.ConcurrentModificationException
                || t instanceof ArrayStoreException || t instanceof NegativeArraySizeException || t instanceof AssertionError) {
            return INTERNAL;
        }
        String m = clean(t.getMessage());
        if (m == null || m.isBlank()) {
            if (t.getCause() != null && t.getCause() != t) return describe(t.getCause());
            return t instanceof java.io.IOException ? "input/output error" : INTERNAL;
        }
        return m;
    }

    /** Whether a throwable is a bug in Sabot (worth a stack trace in the engine's log) rather than a fault or bad input. */
    public static boolean isBug(Throwable t) {
        return INTERNAL.equals(describe(t));
    }

    /** A message without Java class names, H2 error codes or object ids; its first line. */
    public static String clean(String message) {
        if (message == null) return null;
        String m = message;
        int nl = m.indexOf('\n');
        if (nl >= 0) m = m.substring(0, nl);
        int sql = m.indexOf("; SQL statement:");
        if (sql >= 0) m = m.substring(0, sql);
        String before = m;
        m = CLASS_NAME.matcher(m).replaceAll("");
        m = BARE_EXCEPTION.matcher(m).replaceAll("");
        m = H2_CODE.matcher(m).replaceAll("");
        m = H2_VERSION.matcher(m).replaceAll("");
        if (!m.equals(before) || m.startsWith("General error: ")) {
            // a library's message (H2 nests quoted messages of its own): its quoting means nothing to people
            m = m.replace("General error: ", "").replace("\"", "").replace("  ", " ");
        }
        m = m.strip();
        while (m.endsWith(":") || m.endsWith(";")) m = m.substring(0, m.length() - 1).strip();
        return m;
    }
}
