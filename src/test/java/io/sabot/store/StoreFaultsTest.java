package io.sabot.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.NoJavaNames;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** H2's errors as this machine produced them (engineering notes, "Faults seen here"), classified and put in words. */
class StoreFaultsTest {
    @TempDir
    Path home;

    static SQLException h2DiskFull() {
        IOException enospc = new IOException("No space left on device");
        RuntimeException mv = new IllegalStateException("Writing to sun.nio.ch.FileChannelImpl@1e8c0a9d failed; length 12288 at 4313088 [2.3.232/2]", enospc);
        return new SQLException("General error: \"org.h2.mvstore.MVStoreException: " + mv.getMessage() + "\" [50000-232]", "HY000", 50000, mv);
    }

    @Test
    void aFullDiskIsRecognisedWhateverWrapsIt() {
        assertThat(StoreFaults.classify(h2DiskFull())).isEqualTo(StoreFaults.Kind.DISK_FULL);
        assertThat(StoreFaults.classify(new IOException("No space left on device"))).isEqualTo(StoreFaults.Kind.DISK_FULL);
        assertThat(StoreFaults.classify(new java.nio.file.FileSystemException("/x", null, "Disk quota exceeded"))).isEqualTo(StoreFaults.Kind.DISK_FULL);
        assertThat(StoreFaults.classify(new SQLException("The database has been closed [90098-232]", "90098", 90098)))
                .isEqualTo(StoreFaults.Kind.CLOSED);
        assertThat(StoreFaults.classify(new SQLException("File corrupted while reading record", "90030", 90030)))
                .isEqualTo(StoreFaults.Kind.DAMAGED);
    }

    @Test
    void aRefusedRecordIsToldApartFromAFaultOfTheStore() {
        assertThat(StoreFaults.isRecordError(new SQLException("Value too long for column", "22001", 22001))).isTrue();
        assertThat(StoreFaults.isRecordError(new SQLException("Unique index or primary key violation", "23505", 23505))).isTrue();
        assertThat(StoreFaults.isRecordError(new IllegalArgumentException("unknown record type"))).isTrue();
        assertThat(StoreFaults.isRecordError(h2DiskFull())).isFalse();
        assertThat(StoreFaults.isRecordError(new SQLException("The database has been closed", "90098", 90098))).isFalse();
    }

    @Test
    void theDescriptionNamesTheDiskAndHoldsNoClassNames() {
        String d = StoreFaults.describe(h2DiskFull(), home);
        assertThat(d).startsWith("the disk holding " + home + " is full (").contains("free)");
        NoJavaNames.check("description", d);
        String closed = StoreFaults.describe(new SQLException("The database has been closed [90098-232]", "90098", 90098), home);
        NoJavaNames.check("description", closed);
        assertThat(StoreFaults.detail(new SQLException("Unable to read the page at position 0x1c00084bd9a, chunk chunk:7,block:24d,len:148,"
                + "pages:21f,livePages:1b1,max:17b500 [2.3.232/6]", "HY000", 50000))).isEqualTo("a page of the file cannot be read");
    }
}
