package io.sabot.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import io.sabot.process.InstanceLog;

/**
 * {@code tail -F} of instance logs: every 100 ms each follower reads what was appended to the file
 * it holds open. Rotation renames the file and starts a new one; the follower notices the path now
 * names another file (its file key changed), reads the rest of the old one through its open
 * descriptor (still readable once renamed, compressed or deleted), then continues at the start of
 * the new file, so no line is lost across a rotation.
 *
 * <p>Bounded, so a flood costs a fixed amount: at most {@link #TICK_BYTES} and {@link #TICK_LINES}
 * per follower per tick (the engine's timer thread never spends long on it). A follower more than
 * {@link #BEHIND_BYTES} behind (the rest of its file, plus the new file after a rotation) jumps to
 * the newest output and says how much it skipped (a person cannot read a flood; the files have it);
 * so does one that finds, on reaching the end of a rotated file, that more than one rotation
 * happened since it opened it (whole files it never saw). Sinks must not block. Held by {@code LogRotationTest}.
 */
final class LogFollower {
    static final int TICK_BYTES = 256 * 1024;
    static final int TICK_LINES = 5_000;
    static final long BEHIND_BYTES = 4L << 20;

    private final ScheduledExecutorService timers;

    LogFollower(ScheduledExecutorService timers) { this.timers = timers; }

    Subscription follow(InstanceLog log, Consumer<String> sink) {
        Follow f = new Follow(log, sink);
        ScheduledFuture<?> task = timers.scheduleWithFixedDelay(f::tick, 100, 100, TimeUnit.MILLISECONDS);
        return () -> {
            task.cancel(false);
            try {
                timers.execute(f::close); // on the timer thread: never while a tick reads
            } catch (java.util.concurrent.RejectedExecutionException e) {
                f.close(); // the engine is closing: no tick runs any more
            }
        };
    }

    void close() { }

    private static final class Follow {
        private final InstanceLog log;
        private final Path path;
        private final Consumer<String> sink;
        private long generation; // the log's rotation count when the open file was its current one
        private FileChannel ch;
        private Object key;
        private long pos;
        private boolean started;
        private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

        Follow(InstanceLog log, Consumer<String> sink) {
            this.log = log;
            this.path = log.file();
            this.sink = sink;
            try {
                open(false); // from the end: only what comes from now on
            } catch (IOException e) {
                // not there yet: opened on a tick
            }
        }

        /** Opens the file the path names now, knowing its file key (the same before and after the open: no rotation between). */
        private void open(boolean fromStart) throws IOException {
            for (int attempt = 0; ; attempt++) {
                long r0 = log.rotations();
                Object before = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
                FileChannel c = FileChannel.open(path, StandardOpenOption.READ);
                try {
                    Object after = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
                    if ((before != null && !before.equals(after) || log.rotations() != r0) && attempt < 5) {
                        c.close(); // rotated meanwhile: which file c holds is not known
                        continue;
                    }
                    key = after;
                    generation = r0;
                    pos = fromStart ? 0 : c.size();
                } catch (IOException e) {
                    c.close();
                    throw e;
                }
                ch = c;
                started = true;
                return;
            }
        }

        void tick() {
            try {
                if (ch == null) {
                    open(started);
                }
                int[] budget = {TICK_BYTES, TICK_LINES};
                Object cur = currentKey();
                boolean rotated = cur != null && !cur.equals(key);
                long behind = ch.size() - pos + (rotated ? Files.size(path) : 0);
                if (behind > BEHIND_BYTES) {
                    skip(behind, rotated);
                    return;
                }
                if (!drain(budget)) return; // more to read in this file: next tick
                Object now = currentKey();
                if (now != null && !now.equals(key)) { // rotated: the rest of the old file is read, on to the new one
                    // lines may have been written to the old file after the read above and before the rotation
                    if (!drain(budget)) return;
                    flushPartial();
                    long from = generation;
                    ch.close();
                    ch = null;
                    open(true);
                    long missed = generation - from - 1;
                    if (missed > 0) {
                        sink.accept("[sabot] skipped " + missed + " rotated log file" + (missed == 1 ? "" : "s")
                                + " (output came faster than a follower is shown; the rotated files have it)");
                    }
                    drain(budget);
                } else if (ch.size() < pos) { // truncated in place
                    pos = 0;
                }
            } catch (NoSuchFileException e) {
                // between rename and the new file: the next tick finds it
            } catch (IOException | RuntimeException e) {
                // the file may be mid-rotation; try again next tick
            }
        }

        private Object currentKey() throws IOException {
            try {
                return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        /** Jumps to the end of the current file (after a rotation: of the new one), and says so. */
        private void skip(long skipped, boolean rotated) throws IOException {
            if (rotated) {
                ch.close();
                ch = null;
                open(false);
            } else {
                pos = ch.size();
            }
            partial.reset(); // the file's end is a line's end: the log writes whole lines
            sink.accept("[sabot] skipped " + skipped + " bytes of output (it came faster than a follower is shown; the log file has it)");
        }

        /** Reads within the budget; true when the file's end was reached. */
        private boolean drain(int[] budget) throws IOException {
            while (budget[0] > 0 && budget[1] > 0) {
                buf.clear();
                buf.limit(Math.min(buf.capacity(), budget[0]));
                int n = ch.read(buf, pos);
                if (n <= 0) return true;
                byte[] a = buf.array();
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (a[i] != '\n') continue;
                    if (partial.size() > 0) {
                        partial.write(a, start, i - start);
                        sink.accept(partial.toString(StandardCharsets.UTF_8));
                        partial.reset();
                    } else {
                        sink.accept(new String(a, start, i - start, StandardCharsets.UTF_8));
                    }
                    start = i + 1;
                    if (--budget[1] == 0) { // the line budget is spent: the rest of the chunk is read again next tick
                        pos += start;
                        budget[0] -= start;
                        return false;
                    }
                }
                if (start < n && partial.size() < (1 << 20)) partial.write(a, start, n - start);
                pos += n;
                budget[0] -= n;
            }
            return false;
        }

        private void flushPartial() {
            if (partial.size() > 0) sink.accept(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
        }

        void close() {
            try {
                if (ch != null) ch.close();
            } catch (IOException ignored) {
                // read-only
            }
            ch = null;
        }
    }
}
