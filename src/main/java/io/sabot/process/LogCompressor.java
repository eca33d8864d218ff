package io.sabot.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses rotated log files off the output thread: one daemon thread ({@code sabot-logs}) for
 * the whole JVM, which ends itself after a minute without work. gzip at the fastest level (agent
 * output compresses 5-50x even so; the CPU spent is bounded by what the output thread lets through,
 * see {@link OutputLoop}'s flood control). Writes go to {@code NAME.log.gz.part} (owner-only) and
 * are renamed into place by the log under its lock ({@link InstanceLog#compressPending}).
 */
final class LogCompressor {
    private LogCompressor() {}

    private static final ExecutorService POOL;

    static {
        ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "sabot-logs");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        p.allowCoreThreadTimeOut(true);
        POOL = p;
    }

    /** Queues a look at the log's uncompressed rotated files. */
    static void submit(InstanceLog log) {
        POOL.execute(log::compressPending);
    }

    /** Gzips {@code src} into {@code dst} (created owner-only, replaced if there); returns the bytes written. */
    static long gzip(Path src, Path dst) throws IOException {
        Files.deleteIfExists(dst);
        Set<StandardOpenOption> opts = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (InputStream in = Files.newInputStream(src);
             FileChannel outCh = InstanceLog.posixFs()
                     ? FileChannel.open(dst, opts, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                             java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))
                     : FileChannel.open(dst, opts);
             OutputStream raw = Channels.newOutputStream(outCh);
             GZIPOutputStream gz = new GZIPOutputStream(raw, 64 * 1024) {
                 { def.setLevel(Deflater.BEST_SPEED); }
             }) {
            in.transferTo(gz);
            gz.finish();
            gz.flush();
            return outCh.size();
        }
    }
}
