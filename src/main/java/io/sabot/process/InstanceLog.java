package io.sabot.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An instance's log file. Everything the agent prints (stdout lines that are not protocol, and
 * stderr) and the engine's own {@code [sabot]} lines are written here by the engine, so every byte
 * passes {@link #append}: the size cap holds at write time. When a write would take the file past
 * {@code maxBytes}, the file is rotated first ({@code NAME.log} becomes {@code NAME.log.1}, older
 * generations move up, at most {@code keep} are kept) and a new file is started; a full file never
 * waits for a timer. With {@link LogPolicy#compress} a rotated file becomes {@code NAME.log.K.gz}
 * shortly after, on the {@code sabot-logs} thread ({@link LogCompressor}), never on the writer's.
 * The policy can change while the log is open ({@link #configure}: a redeploy).
 *
 * <p>Writes go straight to the file (no buffer held in memory: nothing lost on a crash of the
 * engine but the line being written), except the engine's lines about a death and its respawn,
 * held for the moment the respawn takes ({@link #lineLater}). A write that fails (full disk) is counted and noted in the
 * file once writing works again; the agent never waits on it. All logs of a home share a
 * {@link LogBudget}: when it is full the oldest rotated files go first, then output is dropped (and
 * counted, and said in the log once there is room). Followers ({@link #follow}) get each
 * line as it is written. The file is valid UTF-8 whatever the agent prints (malformed bytes are
 * written as U+FFFD). Held by {@code InstanceLogTest}.
 *
 * <p>The file is open only while it is written to: it is created at once, opened by the first write
 * and closed again once it has had no write for a while ({@link #releaseIfIdle}). Every descriptor
 * the engine holds is copied and closed again in each child it spawns (posix_spawn's closefrom), so a
 * fleet of quiet agents should not hold a log descriptor each: at 1,000 agents those were a quarter
 * of the engine's 4,000 descriptors and ~0.5 ms of every spawn (issue 13). Held by
 * {@code InstanceLogTest.aQuietLogHoldsNoDescriptorAndReopensOnTheNextWrite}.
 */
public final class InstanceLog {
    private final Path file;
    // guarded by this (the policy can change on a redeploy)
    private long maxBytes;
    private int keep;
    private boolean compress;
    private long maxAgeMs;        // 0: by size only
    private long firstWriteMs;    // wall time of the current file's first byte (0: empty)
    private long rotations;       // how many times the file was rotated: where a generation went meanwhile
    private final List<Consumer<String>> followers = new CopyOnWriteArrayList<>();
    private final LogBudget budget;
    // guarded by this
    private FileChannel out;      // null while no write came for a while (releaseIfIdle)
    private long lastWriteNanos;
    private long size;
    private long lostBytes;       // could not be written (disk full, I/O error)
    private long overBudgetBytes; // refused by the home's log budget
    private boolean closed;
    private byte[] pending;       // engine lines held by lineLater, written before the next write
    private long received;        // bytes the agent (and the engine) asked to write, for figures
    private long dropped;         // of those, refused by the budget or lost to I/O errors

    /** Rotated files kept by default beside the current one ({@code -Dsabot.logs.keep}). */
    public static final int DEFAULT_KEEP = Integer.getInteger("sabot.logs.keep", 3);

    public InstanceLog(Path file, long maxBytes) throws IOException {
        this(file, maxBytes, DEFAULT_KEEP);
    }

    /** A log capped at {@code maxBytes} per file, keeping {@code keep} rotated files beside it, uncompressed. */
    public InstanceLog(Path file, long maxBytes, int keep) throws IOException {
        this(file, new LogPolicy(maxBytes, keep, false));
    }

    public InstanceLog(Path file, LogPolicy policy) throws IOException {
        this.file = file;
        this.maxBytes = policy.maxFileBytes();
        this.keep = policy.keep();
        this.compress = policy.compress();
        this.maxAgeMs = policy.maxAgeMs();
        ownerOnlyDir(file.getParent());
        this.budget = LogBudget.of(file.getParent());
        try (FileChannel created = open()) { // created now (readers and `logs` expect it), opened again by the first write
            this.size = created.size();
        }
        counted(false); // closed for now: its room is kept
        if (size > 0) firstWriteMs = modifiedMs(file); // an older file: aged from its last write (its first is not known)
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

    static boolean posixFs() { return posix(); }

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
        FileChannel ch = reopen();
        if (posix()) restrict(file, "rw-------"); // a file left by an older version
        return ch;
    }

    private FileChannel reopen() throws IOException {
        return posix()
                ? FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND), OWNER_ONLY_FILE)
                : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /**
     * Closes the file if nothing was written to it for {@code idleMs} (the next write opens it again).
     * True if it is closed now.
     */
    public synchronized boolean releaseIfIdle(long idleMs) {
        if (out == null) return true;
        if (System.nanoTime() - lastWriteNanos < idleMs * 1_000_000L) return false;
        boolean was = dormant();
        try {
            out.close();
        } catch (IOException ignored) {
            // every write went straight to the file
        }
        out = null;
        counted(was);
        return true;
    }

    /** Caller holds this: closed for now, to be opened again by the next write (not closed for good). */
    private boolean dormant() { return out == null && !closed; }

    /** Caller holds this: tells FileDescriptors when {@link #dormant} changed from {@code was}. */
    private void counted(boolean was) {
        boolean now = dormant();
        if (now != was) FileDescriptors.dormant(now ? 1 : -1);
    }

    public Path file() { return file; }

    /** Bytes a single file may hold before it is rotated. */
    public synchronized long maxBytes() { return maxBytes; }

    /** The policy now in force. */
    public synchronized LogPolicy policy() { return new LogPolicy(maxBytes, keep, compress, maxAgeMs); }

    /**
     * Applies another policy from now on: a smaller cap rotates at the next write, generations past
     * a smaller {@code keep} go at once, and rotated files are compressed if it now asks for that.
     */
    public void configure(LogPolicy p) {
        boolean pending;
        synchronized (this) {
            if (p.equals(new LogPolicy(maxBytes, keep, compress, maxAgeMs))) return;
            int oldKeep = keep;
            maxBytes = p.maxFileBytes();
            keep = p.keep();
            compress = p.compress();
            maxAgeMs = p.maxAgeMs();
            for (int k = keep + 1; k <= Math.max(oldKeep, keep + 1); k++) {
                try {
                    delete(generation(k, false));
                    delete(generation(k, true));
                } catch (IOException e) {
                    // not ours to delete: the budget measures it anyway
                }
            }
            pending = compress && keep > 0 && !closed;
        }
        if (pending) LogCompressor.submit(this);
    }

    /** How many times the file was rotated since the log was opened (followers notice generations they missed). */
    public synchronized long rotations() { return rotations; }

    /** Bytes asked to be written since the log was opened, and of those the ones dropped (budget full, I/O error). */
    public synchronized long[] counters() { return new long[] {received, dropped}; }

    /** One line from the engine itself (or from an agent, as text). */
    public void line(String line) {
        appendLine(line.getBytes(StandardCharsets.UTF_8));
    }

    private void appendLine(byte[] b) {
        byte[] withNl = java.util.Arrays.copyOf(b, b.length + 1);
        withNl[b.length] = '\n';
        append(withNl, 0, withNl.length, false);
    }

    /** One line of the agent's output without its newline. */
    void appendLine(byte[] b, int off, int len) {
        byte[] withNl = new byte[len + 1];
        System.arraycopy(b, off, withNl, 0, len);
        withNl[len] = '\n';
        append(withNl, 0, len + 1);
    }

    /**
     * Whole lines of the agent's output, each ending in a newline: one write, rotated first when
     * it would take the file past its cap.
     */
    public void append(byte[] b, int off, int len) {
        append(b, off, len, true);
    }

    /**
     * {@code stay}: keep the file open after the write (the agent's output, which tends to come in
     * runs); the engine's own lines (a start, an exit) open and close it when it was closed. Lines
     * held by {@link #lineLater} are written first, in the same hold of the lock.
     */
    private void append(byte[] b, int off, int len, boolean stay) {
        for (int i = off; i < off + len; i++) {
            if (b[i] < 0) { // not all ASCII: make sure it is valid UTF-8 (bad bytes become U+FFFD), as readers expect
                b = new String(b, off, len, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
                off = 0;
                len = b.length;
                break;
            }
        }
        byte[] earlier;
        synchronized (this) {
            earlier = pending;
            pending = null;
            if (earlier == null && len <= 0) return;
            if (earlier != null) store(earlier, 0, earlier.length, len > 0 && stay);
            if (len > 0) store(b, off, len, stay);
        }
        if (followers.isEmpty()) return;
        if (earlier != null) tell(earlier, 0, earlier.length);
        if (len > 0) tell(b, off, len);
    }

    /**
     * An engine line written by the next write to this log, whoever makes it, or by
     * {@link #flushPending}: the crash path holds its lines until the respawn is under way (issue
     * 13), and whatever the new process prints still comes after them. Held by
     * {@code InstanceLogTest.heldLinesComeBeforeAnythingWrittenAfterThem}.
     */
    public void lineLater(String line) {
        byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            if (closed) return;
            if (pending == null) {
                pending = b;
            } else {
                byte[] both = java.util.Arrays.copyOf(pending, pending.length + b.length);
                System.arraycopy(b, 0, both, pending.length, b.length);
                pending = both;
            }
        }
    }

    /** Writes the lines held by {@link #lineLater}, if any. */
    public void flushPending() {
        append(NOTHING, 0, 0, false);
    }

    private static final byte[] NOTHING = new byte[0];

    /** Caller holds this: one write, rotated first when it would take the file past its cap, within the home's budget. */
    private void store(byte[] b, int off, int len, boolean stay) {
        if (closed) return;
        received += len;
        if (size > 0 && size + len > maxBytes) rotate();
        if (lostBytes > 0 && note(lostBytes + " bytes of output could not be written (disk full or an I/O error)")) lostBytes = 0;
        if (overBudgetBytes > 0 && note(overBudgetBytes + " bytes of output were dropped: the logs of this home had reached their budget of "
                + (budget.limit() >> 20) + " MiB")) {
            overBudgetBytes = 0;
        }
        if (!budget.take(len)) {
            overBudgetBytes += len;
            dropped += len;
        } else if (!write(b, off, len, stay)) {
            budget.released(len);
            lostBytes += len;
            dropped += len;
        }
    }

    /** Each line of {@code b} to the followers. */
    private void tell(byte[] b, int off, int len) {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                String l = new String(b, start, i - start, StandardCharsets.UTF_8);
                for (Consumer<String> f : followers) f.accept(l);
                start = i + 1;
            }
        }
    }

    /** Caller holds this: an engine line about output that was not written; true once it is in the file. */
    private boolean note(String text) {
        byte[] b = ("[sabot] " + text + "\n").getBytes(StandardCharsets.UTF_8);
        if (!budget.take(b.length)) return false;
        if (write(b, 0, b.length, true)) return true;
        budget.released(b.length);
        return false;
    }

    /** Caller holds this. */
    private boolean write(byte[] b, int off, int len, boolean stay) {
        try {
            if (out == null && !stay) {
                try (FileChannel once = reopen()) {
                    size = once.size();
                    writeAll(once, b, off, len);
                }
            } else {
                if (out == null) {
                    boolean was = dormant();
                    out = reopen();
                    counted(was);
                    size = out.size(); // the file as it is now (emptied or removed by hand meanwhile)
                }
                lastWriteNanos = System.nanoTime();
                writeAll(out, b, off, len);
            }
            if (size == 0) firstWriteMs = System.currentTimeMillis();
            size += len;
            return true;
        } catch (IOException e) {
            return false; // a full disk must not stop the agent
        }
    }

    private static void writeAll(FileChannel ch, byte[] b, int off, int len) throws IOException {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) ch.write(buf);
    }

    /** Caller holds this: NAME.log -> NAME.log.1 -> ... -> NAME.log.keep (each maybe .gz), and a new NAME.log. */
    private void rotate() {
        boolean was = dormant();
        try {
            if (out != null) out.close();
        } catch (IOException ignored) {
            // every write went straight to the file
        }
        try {
            rotations++;
            if (keep == 0) {
                delete(file);
            } else {
                delete(generation(keep, false));
                delete(generation(keep, true));
                for (int k = keep - 1; k >= 1; k--) {
                    for (boolean gz : new boolean[] {false, true}) {
                        Path from = generation(k, gz);
                        if (Files.exists(from)) Files.move(from, generation(k + 1, gz), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Files.move(file, generation(1, false), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                if (compress) LogCompressor.submit(this);
            }
        } catch (IOException e) {
            // cannot rename: the new file below starts empty anyway
        }
        try {
            out = open();
            counted(was);
            lastWriteNanos = System.nanoTime();
            long left = out.size(); // the rename failed: what was there goes
            out.truncate(0);
            if (left > 0) budget.released(left);
            size = 0;
            firstWriteMs = 0;
        } catch (IOException e) {
            out = null;
            closed = true; // the folder is gone: nothing more can be written
            counted(was);
        }
    }

    private void delete(Path p) throws IOException {
        long len = Files.exists(p) ? Files.size(p) : 0;
        if (Files.deleteIfExists(p)) budget.released(len);
    }

    private static long modifiedMs(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return System.currentTimeMillis();
        }
    }

    private Path generation(int k, boolean gz) { return file.resolveSibling(file.getFileName() + "." + k + (gz ? ".gz" : "")); }

    /**
     * On the {@code sabot-logs} thread: gzips each rotated file not yet compressed, one at a time.
     * The lock is held only to pick a file and to rename the result into place (a rotation meanwhile
     * moved it up by one generation per rotation; past {@code keep} it is gone and so is the result).
     */
    void compressPending() {
        Path part = file.resolveSibling(file.getFileName() + ".gz.part");
        for (int guard = 0; guard < 1000; guard++) {
            int g = -1;
            long r0;
            synchronized (this) {
                if (!compress) return;
                for (int k = 1; k <= keep; k++) {
                    if (Files.exists(generation(k, false))) {
                        g = k;
                        break;
                    }
                }
                if (g < 0) return;
                r0 = rotations;
            }
            Path src = generation(g, false);
            long srcLen;
            long gzLen;
            try {
                srcLen = Files.size(src);
                gzLen = LogCompressor.gzip(src, part);
            } catch (IOException e) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // left for the next attempt to replace
                }
                synchronized (this) {
                    if (rotations == r0) return; // not a rotation under our feet: a real error (disk full); the file stays as it is
                }
                continue;
            }
            synchronized (this) {
                int now = g + (int) Math.min(Integer.MAX_VALUE - g, rotations - r0);
                Path moved = generation(now, false);
                try {
                    if (now > keep || !Files.exists(moved)) {
                        Files.deleteIfExists(part);
                    } else {
                        Files.move(part, generation(now, true), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                        if (Files.deleteIfExists(moved)) budget.released(srcLen - gzLen);
                    }
                } catch (IOException e) {
                    return; // the folder changed under us: the budget measures what is there
                }
            }
        }
    }

    /**
     * The last {@code n} lines: of the current file, and of the newest rotated one (compressed or
     * not) where the current file has fewer than {@code n} (just after a rotation).
     */
    public List<String> tail(int n) {
        flushPending(); // held lines are the log's too: a reader (a crash report) sees them in their place
        List<String> cur = tail(file, n);
        if (cur.size() >= n) return cur;
        List<String> prev;
        synchronized (this) {
            Path plain = generation(1, false);
            Path gz = generation(1, true);
            if (Files.exists(plain)) prev = tail(plain, n - cur.size());
            else if (Files.exists(gz)) prev = tailGz(gz, n - cur.size());
            else return cur;
        }
        List<String> out = new ArrayList<>(prev);
        out.addAll(cur);
        return out;
    }

    private static List<String> tailGz(Path gz, int n) {
        java.util.ArrayDeque<String> last = new java.util.ArrayDeque<>();
        if (n <= 0) return List.of();
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(Files.newInputStream(gz), 64 * 1024), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                if (last.size() == n) last.removeFirst();
                last.addLast(l);
            }
        } catch (IOException e) {
            return List.of(); // being replaced: the current file's lines stand alone
        }
        return new ArrayList<>(last);
    }

    private static List<String> tail(Path file, int n) {
        if (n <= 0) return List.of();
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
            return List.of("[sabot] cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Follows new lines as they are written; returns the unsubscribe action. Sinks must not block. */
    public Runnable follow(Consumer<String> sink) {
        followers.add(sink);
        return () -> followers.remove(sink);
    }

    /** Rotates the file when it is over its limit (writes already rotate; this catches a file grown by hand). */
    public synchronized void rotateIfNeeded() {
        if (!closed && maxAgeMs > 0 && size > 0 && firstWriteMs > 0 && System.currentTimeMillis() - firstWriteMs >= maxAgeMs) {
            rotate();
            return;
        }
        if (!closed && size > maxBytes) rotate();
    }

    public void close() {
        flushPending(); // lines held by lineLater are not lost
        synchronized (this) {
            if (closed) return;
            boolean was = dormant();
            closed = true;
            counted(was);
            try {
                if (out != null) out.close();
            } catch (IOException ignored) {
                // nothing to flush: every write went straight to the file
            }
        }
    }
}
