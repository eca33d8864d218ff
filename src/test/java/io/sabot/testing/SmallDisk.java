package io.sabot.testing;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small real file system for a test: a tmpfs of the given size mounted on a folder of the test
 * (needs root, as this machine's tests run; skipped with a message naming why where it cannot
 * mount). {@link #fill()} writes a file until the device is full; {@link #free()} deletes it.
 * Closing unmounts (lazily, so a process still holding a file cannot make it fail).
 */
public final class SmallDisk implements AutoCloseable {
    public final Path dir;
    private final Path filler;

    private SmallDisk(Path dir) {
        this.dir = dir;
        this.filler = dir.resolve("filler");
    }

    /** Mounts a tmpfs of {@code megabytes} on {@code dir} (created), or skips the test. */
    public static SmallDisk mount(Path dir, int megabytes) throws Exception {
        Files.createDirectories(dir);
        String why;
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0700", "tmpfs", dir.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            why = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? null : "mount failed: " + out;
        } catch (IOException e) {
            why = "no mount command: " + e.getMessage();
        }
        String reason = why;
        Assumptions.assumeTrue(reason == null, () -> "skipped: cannot mount a small tmpfs for a full-disk test (needs root): " + reason);
        return new SmallDisk(dir);
    }

    /** Writes a file until the device refuses more; returns the bytes written. */
    public long fill() throws IOException {
        long n = 0;
        try (FileOutputStream out = new FileOutputStream(filler.toFile(), true)) {
            for (int chunk : new int[] {1 << 20, 64 << 10, 4 << 10, 512, 1}) {
                byte[] b = new byte[chunk];
                try {
                    while (true) {
                        out.write(b);
                        n += chunk;
                    }
                } catch (IOException full) {
                    // next, smaller chunk
                }
            }
        }
        return n;
    }

    /** Bytes free on the device now. */
    public long usable() throws IOException { return Files.getFileStore(dir).getUsableSpace(); }

    /** Deletes what {@link #fill()} wrote. */
    public void free() throws IOException { Files.deleteIfExists(filler); }

    @Override
    public void close() throws Exception {
        Process p = new ProcessBuilder("umount", "-l", dir.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(30, TimeUnit.SECONDS);
    }
}
