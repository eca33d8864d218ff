package io.sabot.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.NoJavaNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class UserMessagesTest {
    @Test
    void noClassNamesEvenFromLibraries() {
        SQLException h2 = new SQLException("General error: \"org.h2.mvstore.MVStoreException: java.util.concurrent.ExecutionException: "
                + "org.h2.mvstore.MVStoreException: Writing to sun.nio.ch.FileChannelImpl@1e8c0a9d failed; length 12288 at 4313088 "
                + "[2.3.232/2]\" [50000-232]\nSQL statement: CHECKPOINT", "HY000", 50000);
        String[] said = {
            UserMessages.describe(new RuntimeException("io.sabot.store.JournalException: journal failed: The database has been closed [90098-232]")),
            UserMessages.describe(h2),
            UserMessages.describe(new ExecutionException(new IllegalStateException("java.lang.IllegalStateException: boom"))),
            UserMessages.describe(new NullPointerException("Cannot invoke \"String.length()\" because \"s\" is null")),
            UserMessages.describe(new ClassCastException("class java.lang.String cannot be cast to class java.lang.Integer")),
            UserMessages.describe(new OutOfMemoryError("Java heap space")),
            UserMessages.describe(new UncheckedIOException(new IOException("No space left on device"))),
            UserMessages.describe(new RuntimeException((String) null)),
        };
        for (String s : said) NoJavaNames.check("message", s);
        assertThat(said[0]).isEqualTo("journal failed: The database has been closed");
        assertThat(said[1]).contains("Writing to").contains("failed");
        assertThat(said[2]).isEqualTo("boom");
        assertThat(said[3]).isEqualTo(UserMessages.INTERNAL);
        assertThat(said[5]).isEqualTo("the engine ran out of memory");
        assertThat(said[6]).isEqualTo("No space left on device");
        assertThat(said[7]).isEqualTo(UserMessages.INTERNAL);
    }

    @Test
    void fileErrorsNameTheFile() {
        assertThat(UserMessages.describe(new NoSuchFileException("/x/spec.json"))).isEqualTo("no such file: /x/spec.json");
        assertThat(UserMessages.describe(new AccessDeniedException("/x/home"))).isEqualTo("permission denied: /x/home");
        assertThat(UserMessages.describe(new IllegalArgumentException("unknown op \"frobnicate\""))).isEqualTo("unknown op \"frobnicate\"");
        assertThat(UserMessages.isBug(new NullPointerException())).isTrue();
        assertThat(UserMessages.isBug(new IllegalArgumentException("--lines must be >= 0"))).isFalse();
    }
}
