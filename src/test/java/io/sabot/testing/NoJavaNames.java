package io.sabot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

/** Checks that text meant for people holds no Java class or exception names, stack frames or H2 error codes. */
public final class NoJavaNames {
    /** A qualified class name (io.sabot.store.JournalException), an exception's simple name, a stack frame, an H2 code. */
    public static final Pattern JAVA = Pattern.compile(
            "\\b(?:[a-z_][a-z0-9_]*\\.){2,}[A-Z][A-Za-z0-9_$]*|\\b[A-Z][A-Za-z0-9]*(?:Exception|Error)\\b|\\bat [a-z]+\\.[a-z]|\\[\\d{5}-\\d{3}\\]");

    private NoJavaNames() {}

    public static void check(String what, String text) {
        assertThat(text).as("%s must hold no Java class or exception names:%n%s", what, text).doesNotContainPattern(JAVA);
    }
}
