package io.sabot.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An instance's log: the agent's stderr is appended to the file by the kernel (O_APPEND, so the
 * agent never waits on us), its non-protocol stdout lines by our pump. The last lines are also
 * kept in memory for tails and followers. The file is rotated (one previous generation kept)
 * when it passes {@code maxBytes}.
 */
public final class InstanceLog {
    public static final int RING_LINES = 2000;
    private final Path file;
    private final long maxBytes;
    private final ArrayDeque<String> ring = new ArrayDeque<>();
    private final List<Consumer<String>> followers = new CopyOnWriteArrayList<>();
    private FileChannel out;

    public InstanceLog(Path file, long maxBytes) throws IOException {
        this.file = file;
        this.maxBytes = maxBytes;
        ownerOnlyDir(file.getParent());
        this.out = open();
    }

    /** Logs may hold what agents print (tokens, data): owner-only, like the rest of the home. */
    private static final java.nio.file.attribute.FileAttribute<?> OWNER_ONLY_FILE =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

    /** Creates (or tightens) a logs folder to mode 0700. */
    public static void ownerOnlyDir(Path dir) throws IOException {
        if (!posix()) {
            Files.createDirectories(dir);
            return;
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // created meanwhile
            }
        }
        restrict(dir, "rwx------");
    }

    private static boolean posix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static void restrict(Path p, String mode) {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> want = java.nio.file.attribute.PosixFilePermissions.fromString(mode);
            if (!Files.getPosixFilePermissions(p).equals(want)) Files.setPosixFilePermissions(p, want);
        } catch (IOException | UnsupportedOperationException e) {
            // not ours to change (another owner's file): leave it
        }
    }

    private FileChannel open() throws IOException {
        FileChannel ch = posix()
                ? FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND), OWNER_ONLY_FILE)
                : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (posix()) restrict(file, "rw-------"); // a file left by an older version
        return ch;
    }

    public Path file() { return file; }

    /** One line from the agent's stdout or from the engine itself. */
    public void line(String line) {
        synchronized (this) {
            if (ring.size() == RING_LINES) ring.removeFirst();
            ring.addLast(line);
            try {
                out.write(java.nio.ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                // a full disk must not stop the agent: the line stays in memory
            }
        }
        for (Consumer<String> f : followers) f.accept(line);
    }

    /**
     * The last {@code n} lines, read from the file (so stderr, written by the kernel, is included).
     * Falls back to the in-memory ring if the file cannot be read.
     */
    public List<String> tail(int n) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            long chunk = Math.min(len, Math.max(64 * 1024L, (long) n * 200));
            while (true) {
                raf.seek(len - chunk);
                byte[] buf = new byte[(int) chunk];
                raf.readFully(buf);
                String s = new String(buf, StandardCharsets.UTF_8);
                String[] lines = s.split("\n", -1);
                int count = lines.length - 1; // after the last newline: empty or partial
                if (count >= n + 1 || chunk == len) {
                    List<String> outLines = new ArrayList<>();
                    int start = Math.max(chunk == len ? 0 : 1, count - n);
                    for (int i = start; i < count; i++) outLines.add(lines[i]);
                    if (!lines[lines.length - 1].isEmpty()) outLines.add(lines[lines.length - 1]);
                    return outLines.size() > n ? outLines.subList(outLines.size() - n, outLines.size()) : outLines;
                }
                chunk = Math.min(len, chunk * 4);
            }
        } catch (IOException e) {
            synchronized (this) {
                List<String> all = new ArrayList<>(ring);
                return all.subList(Math.max(0, all.size() - n), all.size());
            }
        }
    }

    /** Follows new lines written through {@link #line}; returns the unsubscribe action. */
    public Runnable follow(Consumer<String> sink) {
        followers.add(sink);
        return () -> followers.remove(sink);
    }

    /** Rotates the file when it is over its limit; called between spawns and periodically. */
    public synchronized void rotateIfNeeded() {
        try {
            if (Files.size(file) <= maxBytes) return;
            Path old = file.resolveSibling(file.getFileName() + ".1");
            Files.copy(file, old, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            if (posix()) restrict(old, "rw-------");
            // truncating in place keeps the agent's O_APPEND stderr descriptor valid
            out.truncate(0);
        } catch (IOException e) {
            // rotation is best effort
        }
    }

    public synchronized void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing to flush: every write went straight to the file
        }
    }
}
