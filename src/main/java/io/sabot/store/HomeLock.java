package io.sabot.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Exclusive ownership of a Sabot home by one live process.
 *
 * <p>{@link #acquire(Path)} creates the home (mode 0700) if needed, opens {@code engine.lock}
 * (mode 0600) <em>without truncating it</em>, and takes an OS file lock with
 * {@link FileChannel#tryLock()}. On success it writes the holder's pid, process start time and
 * command into the file; on failure it reads them back and throws a {@link HomeLockedException}
 * naming that process. A failed attempt never writes anything. The OS drops the lock when the
 * holder dies (also on {@code kill -9}), so a stale file is harmless: its content is replaced by the
 * next holder.
 *
 * <p>Call it before anything else touches the home; {@link Store#open(HomeLock, StoreOptions)}
 * takes the lock it should use.
 */
public final class HomeLock implements AutoCloseable {
    public static final String LOCK_FILE = "engine.lock";
    private static final int MAX_COMMAND_CHARS = 300;

    private final Path home;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private HomeLock(Path home, FileChannel channel, FileLock lock) {
        this.home = home;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the home, creating it (0700) if absent.
     *
     * @throws HomeLockedException if another live process (or this one) holds it
     * @throws StoreException if the home cannot be created or is not writable (the message names the path)
     */
    public static HomeLock acquire(Path home) {
        Path dir = prepareHome(home);
        Path file = dir.resolve(LOCK_FILE);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), ownerOnlyFile());
        } catch (IOException e) {
            throw new StoreException("cannot open lock file " + file + ": " + describe(e), e);
        }
        FileLock fl;
        try {
            fl = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            fl = null; // held by this very JVM
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StoreException("cannot lock " + file + ": " + describe(e), e);
        }
        if (fl == null) {
            String content = readQuietly(ch);
            closeQuietly(ch);
            Map<String, String> info = parse(content);
            long pid = parsePid(info.get("pid"));
            throw new HomeLockedException(dir, pid, describeHolder(info, pid));
        }
        try {
            // overwritten in place, then cut to length: a block the file already has is reused, so a
            // full disk does not keep an engine from starting (the holder's description is only a courtesy)
            byte[] bytes = holderContent().getBytes(StandardCharsets.UTF_8);
            ch.write(ByteBuffer.wrap(bytes), 0);
            ch.truncate(bytes.length);
            ch.force(true);
        } catch (IOException e) {
            if (StoreFaults.classify(e) != StoreFaults.Kind.DISK_FULL) {
                closeQuietly(ch);
                throw new StoreException("cannot write lock file " + file + ": " + describe(e), e);
            }
        }
        return new HomeLock(dir, ch, fl);
    }

    /** The home directory (absolute, normalized). */
    public Path home() { return home; }

    public boolean isHeld() {
        synchronized (this) { return !closed && lock.isValid(); }
    }

    /** Releases the lock; the file stays (emptied) so no other process can race on a deleted inode. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            channel.truncate(0);
        } catch (IOException ignored) {
            // best effort
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    // ---------------------------------------------------------------------------------------

    /** Creates the home with mode 0700 when missing; checks it is a writable directory. */
    static Path prepareHome(Path home) {
        Path dir = home.toAbsolutePath().normalize();
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) || Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new StoreException("home " + dir + " exists but is not a directory");
            }
        } else {
            try {
                Path parent = dir.getParent();
                if (parent != null) Files.createDirectories(parent);
                Files.createDirectory(dir, ownerOnlyDir());
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) {
                    throw new StoreException("home " + dir + " exists but is not a directory", e);
                }
            } catch (IOException | UnsupportedOperationException e) {
                throw new StoreException("cannot create home " + dir + ": " + describe(e), e);
            }
        }
        if (!Files.isWritable(dir) || !Files.isExecutable(dir)) {
            throw new StoreException("home " + dir + " is not writable by this user");
        }
        return dir;
    }

    static FileAttribute<?>[] ownerOnlyFile() {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))}
                : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] ownerOnlyDir() {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------"))} : new FileAttribute<?>[0];
    }

    static boolean posix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Sets mode 0600 on a file, ignoring file systems without POSIX permissions. */
    static void ownerOnly(Path file) {
        if (!posix() || !Files.exists(file)) return;
        try {
            Set<PosixFilePermission> perms = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            if (!Files.getPosixFilePermissions(file).equals(perms)) Files.setPosixFilePermissions(file, perms);
        } catch (IOException e) {
            throw new StoreException("cannot restrict permissions of " + file + ": " + describe(e), e);
        }
    }

    private static String holderContent() {
        ProcessHandle self = ProcessHandle.current();
        ProcessHandle.Info info = self.info();
        // sun.java.command is "<main class or jar> args..."; /proc cmdline is cut by the JDK at 4 KiB
        String javaCommand = System.getProperty("sun.java.command");
        String command = javaCommand != null && !javaCommand.isBlank()
                ? "java " + (javaCommand.endsWith(".jar") || javaCommand.contains(".jar ") ? "-jar " : "") + javaCommand
                : shortCommand(info.commandLine().orElse(info.command().orElse("?")));
        command = command.replace('\n', ' ');
        if (command.length() > MAX_COMMAND_CHARS) command = command.substring(0, MAX_COMMAND_CHARS) + "...";
        return "pid=" + self.pid() + "\n"
                + "started=" + info.startInstant().map(Instant::toString).orElse("?") + "\n"
                + "command=" + command + "\n"
                + "acquired=" + Instant.now() + "\n";
    }

    private static String describeHolder(Map<String, String> info, long pid) {
        if (pid <= 0) return "a process that has not recorded its pid yet (lock file " + LOCK_FILE + ")";
        StringBuilder sb = new StringBuilder("pid ").append(pid);
        if (pid == ProcessHandle.current().pid()) sb.append(" (this process)");
        else {
            String cmd = info.get("command");
            if (cmd != null && !cmd.isBlank()) sb.append(" (").append(shortCommand(cmd)).append(')');
        }
        String started = info.get("started");
        if (started != null && !started.equals("?")) sb.append(", started ").append(started);
        return sb.toString();
    }

    /** The command without the long class path, e.g. {@code java ... io.sabot.Main daemon}. */
    static String shortCommand(String cmd) {
        String[] parts = cmd.trim().split("\\s+");
        StringBuilder sb = new StringBuilder();
        boolean skipNext = false;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (skipNext) { skipNext = false; continue; }
            if (p.equals("-cp") || p.equals("-classpath") || p.equals("--class-path")) { skipNext = true; continue; }
            if (p.startsWith("-D") || p.startsWith("-XX:")) continue;
            if (i == 0) p = Path.of(p).getFileName() == null ? p : Path.of(p).getFileName().toString();
            if (sb.length() > 0) sb.append(' ');
            sb.append(p);
            if (sb.length() > 200) { sb.append(" ..."); break; }
        }
        return sb.toString();
    }

    private static Map<String, String> parse(String content) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : content.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        return m;
    }

    private static long parsePid(String s) {
        if (s == null) return -1;
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String readQuietly(FileChannel ch) {
        try {
            long size = Math.min(ch.size(), 8192);
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            ch.read(buf, 0);
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** The error in words (no Java class names): "permission denied: /x", "no space left on device". */
    static String describe(Throwable e) {
        return StoreFaults.detail(e);
    }
}
