package io.sabot.engine;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code tail -f} of instance logs. The agent's stderr is written to the file by the kernel, so
 * following means reading the file as it grows (every 100 ms), and starting over when rotation
 * truncates it.
 */
final class LogFollower {
    private final ScheduledExecutorService timers;

    LogFollower(ScheduledExecutorService timers) { this.timers = timers; }

    Subscription follow(Path file, Consumer<String> sink) {
        final long[] pos = {file.toFile().length()};
        final StringBuilder partial = new StringBuilder();
        ScheduledFuture<?> f = timers.scheduleWithFixedDelay(() -> {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                long len = raf.length();
                if (len < pos[0]) pos[0] = 0; // rotated
                if (len == pos[0]) return;
                raf.seek(pos[0]);
                byte[] buf = new byte[(int) Math.min(len - pos[0], 1 << 20)];
                raf.readFully(buf);
                pos[0] += buf.length;
                partial.append(new String(buf, StandardCharsets.UTF_8));
                int nl;
                while ((nl = partial.indexOf("\n")) >= 0) {
                    sink.accept(partial.substring(0, nl));
                    partial.delete(0, nl + 1);
                }
            } catch (IOException | RuntimeException e) {
                // the file may be mid-rotation; try again next tick
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    void close() { }
}
