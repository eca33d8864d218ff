package io.sabot.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/**
 * Exactly one engine per home: an fcntl lock on {@code engine.lock}, which the kernel releases
 * when the holder dies however it dies, so a crashed engine never leaves the home locked. The
 * file's text names the holder for the second engine's error message.
 */
public final class HomeLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;
    private final Path home;

    private HomeLock(Path home, FileChannel channel, FileLock lock) {
        this.home = home;
        this.channel = channel;
        this.lock = lock;
    }

    public Path home() { return home; }

    /** Takes the home or fails with a message naming who holds it. Creates the home (mode 0700) if needed. */
    public static HomeLock acquire(Path home, String role) throws HomeLockedException, IOException {
        prepareHome(home);
        Path file = home.resolve("engine.lock");
        FileChannel ch = Files.exists(file)
                ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            String holder = holder(ch);
            ch.close();
            throw new HomeLockedException("home " + home + " is held by another engine: " + holder);
        }
        ch.truncate(0);
        String me = "pid " + ProcessHandle.current().pid() + " (sabot " + role + ", started " + Instant.now() + ")\n";
        ch.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(true);
        return new HomeLock(home, ch, l);
    }

    /** Who holds the home right now, or null if nobody does. Does not take the lock. */
    public static String holderOf(Path home) {
        Path file = home.resolve("engine.lock");
        if (!Files.exists(file)) return null;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l != null) {
                l.release();
                return null;
            }
            return holder(ch);
        } catch (OverlappingFileLockException e) {
            return "this process";
        } catch (IOException e) {
            return null;
        }
    }

    private static String holder(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(512);
        ch.read(buf, 0);
        String s = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).trim();
        return s.isEmpty() ? "an unknown process" : s;
    }

    /** The home exists and is private to its owner. */
    public static void prepareHome(Path home) throws IOException {
        if (Files.exists(home) && !Files.isDirectory(home)) throw new IOException("SABOT_HOME " + home + " is not a directory");
        if (!Files.exists(home)) {
            Files.createDirectories(home);
        }
        try {
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not POSIX, or not ours to change: the socket's own mode still protects it
        }
        if (!Files.isWritable(home)) throw new IOException("SABOT_HOME " + home + " is not writable");
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the kernel drops the lock with the process anyway
        }
    }
}
