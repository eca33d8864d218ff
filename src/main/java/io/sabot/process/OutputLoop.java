package io.sabot.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Serves every agent's pipes from one thread ({@code sabot-output}), whatever the number of
 * agents: stdout and stderr read ends (non-blocking, in one epoll set) and, while something is
 * queued for them, the protocol agents' stdin write ends.
 *
 * <p>Reading: a readable pipe is read in chunks of up to 64 KiB, at most {@link #CHUNKS_PER_WAKE}
 * chunks per wake-up so one flooding agent cannot starve the others (epoll is level-triggered: the
 * rest is read on the next round). Lines are split in place: on stdout, a line that starts with
 * {@code @sabot } goes to the protocol callback; every other line, stdout and stderr alike, goes
 * to the instance's {@link InstanceLog} as raw bytes, one write per run of lines (a chunk of 30,000
 * short lines is one write). Lines over {@link #MAX_LINE} are cut (head logged, never parsed).
 *
 * <p>Flood control: each pipe may be read at {@link #rateBytesPerSec} on average (bursts up to
 * {@link #burstBytes}); past that it is left out of the epoll set until its allowance has grown
 * back, so a flooding agent blocks on its own full pipe (back-pressure: nothing is dropped) and
 * the engine's CPU for it is bounded whatever it prints. Defaults 4 MiB/s and 16 MiB per pipe
 * ({@code -Dsabot.output.rateBytes}, {@code -Dsabot.output.burstBytes}).
 *
 * <p>Writing: {@link StdinPipe#send} writes at once (non-blocking) when nothing is queued;
 * what the pipe does not take is queued and written when epoll reports the pipe writable. The
 * caller never waits on the agent.
 *
 * <p>Descriptors are closed only under the loop's rules: readers by the loop itself (at EOF),
 * stdin pipes under their own lock after leaving the epoll set; epoll data carries a unique token,
 * never the bare fd, so an event for a closed and reused descriptor number is ignored.
 * Guarantees held by {@code NativeProcessTest} (lines, protocol split, cut lines, a flood and a
 * quiet agent side by side, stdin that is not read).
 */
final class OutputLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger("io.sabot.process");
    static final int MAX_LINE = 64 * 1024;
    static final String PREFIX = "@sabot ";
    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK = 64 * 1024;
    static final int CHUNKS_PER_WAKE = 4;
    private static final int MAX_EVENTS = 256;
    final long rateBytesPerSec = Long.getLong("sabot.output.rateBytes", 4L << 20);
    final long burstBytes = Long.getLong("sabot.output.burstBytes", 16L << 20);
    /** Readers over their allowance, by the time they may be read again (loop thread only). */
    private final java.util.PriorityQueue<Reader> paused = new java.util.PriorityQueue<>(
            java.util.Comparator.comparingLong((Reader r) -> r.resumeAtNanos));

    private final int epfd;
    private final Map<Long, Object> channels = new ConcurrentHashMap<>();
    private final AtomicLong tokens = new AtomicLong(1);
    private final NativeBuf events = new NativeBuf((long) LinuxNative.EPOLL_EVENT_SIZE * MAX_EVENTS);
    private final NativeBuf readBuf = new NativeBuf(CHUNK);
    private final byte[] bytes = new byte[CHUNK];

    OutputLoop() throws IOException {
        epfd = LinuxNative.epoll_create1(LinuxNative.O_CLOEXEC);
        if (epfd < 0) throw new IOException("epoll_create1: " + LinuxNative.describe(LinuxNative.errno()));
        Thread t = new Thread(null, this, "sabot-output", 256 * 1024);
        t.setDaemon(true);
        t.start();
    }

    private void ctl(int op, int fd, int events, long token) throws IOException {
        try (NativeBuf ev = NativeBuf.zeroed(LinuxNative.EPOLL_EVENT_SIZE)) {
            ev.setInt(0, events);
            ev.setLong(LinuxNative.EPOLL_DATA_OFFSET, token);
            if (LinuxNative.epoll_ctl(epfd, op, fd, ev) != 0) {
                throw new IOException("epoll_ctl: " + LinuxNative.describe(LinuxNative.errno()));
            }
        }
    }

    /** Starts reading {@code fd} (non-blocking, owned by the loop from now on). */
    void read(int fd, InstanceLog log, Consumer<String> protocol) throws IOException {
        Reader r = new Reader(fd, tokens.getAndIncrement(), log, protocol);
        r.allowance = burstBytes;
        r.refilledAtNanos = System.nanoTime();
        channels.put(r.token, r);
        try {
            ctl(LinuxNative.EPOLL_CTL_ADD, fd, LinuxNative.EPOLLIN, r.token);
        } catch (IOException e) {
            channels.remove(r.token);
            LinuxNative.close(fd);
            throw e;
        }
    }

    /** A stdin pipe's write end (non-blocking), written through this loop when the agent is slow. */
    StdinPipe stdin(int fd) { return new StdinPipe(fd, tokens.getAndIncrement()); }

    /** Readers open now (for tests). */
    int readers() {
        int n = 0;
        for (Object o : channels.values()) if (o instanceof Reader) n++;
        return n;
    }

    @Override
    public void run() {
        while (true) {
            int timeoutMs = -1;
            if (!paused.isEmpty()) timeoutMs = (int) Math.max(0, Math.min(1000, (paused.peek().resumeAtNanos - System.nanoTime() + 999_999) / 1_000_000));
            int n = LinuxNative.epoll_wait(epfd, events, MAX_EVENTS, timeoutMs);
            resumeDue();
            if (n < 0) {
                if (LinuxNative.errno() == LinuxNative.EINTR) continue;
                LOG.log(System.Logger.Level.WARNING, "output: epoll_wait failed: " + LinuxNative.describe(LinuxNative.errno()));
                return;
            }
            for (int i = 0; i < n; i++) {
                long base = (long) i * LinuxNative.EPOLL_EVENT_SIZE;
                long token = events.getLong(base + LinuxNative.EPOLL_DATA_OFFSET);
                Object c = channels.get(token);
                try {
                    if (c instanceof Reader) drain((Reader) c);
                    else if (c instanceof StdinPipe) ((StdinPipe) c).writable();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "output: " + e, e);
                }
            }
        }
    }

    private void drain(Reader r) {
        long now = System.nanoTime();
        r.allowance = Math.min(burstBytes, r.allowance + (now - r.refilledAtNanos) * rateBytesPerSec / 1_000_000_000L);
        r.refilledAtNanos = now;
        for (int k = 0; k < CHUNKS_PER_WAKE; k++) {
            if (r.allowance <= 0) {
                pause(r, now);
                return;
            }
            long got = LinuxNative.read(r.fd, readBuf, Math.min(CHUNK, r.allowance));
            if (got > 0) {
                r.allowance -= got;
                r.bytesRead += got;
                readBuf.read(0, bytes, 0, (int) got);
                r.feed(bytes, (int) got);
                if (got < CHUNK && r.allowance > 0) return; // drained for now
            } else if (got == 0) {
                r.finish();
                closeReader(r);
                return;
            } else {
                int err = LinuxNative.errno();
                if (err == LinuxNative.EINTR) continue;
                if (err != LinuxNative.EAGAIN) {
                    r.finish();
                    closeReader(r);
                }
                return;
            }
        }
    }

    /** Out of allowance: off the epoll set until a quarter of the burst has grown back. */
    private void pause(Reader r, long now) {
        if (LinuxNative.epoll_ctl(epfd, LinuxNative.EPOLL_CTL_DEL, r.fd, null) != 0) return;
        r.pauses++;
        r.resumeAtNanos = now + (burstBytes / 4 - r.allowance) * 1_000_000_000L / Math.max(1, rateBytesPerSec);
        paused.add(r);
    }

    private void resumeDue() {
        long now = System.nanoTime();
        while (!paused.isEmpty() && paused.peek().resumeAtNanos <= now) {
            Reader r = paused.poll();
            if (!channels.containsKey(r.token)) continue;
            try {
                ctl(LinuxNative.EPOLL_CTL_ADD, r.fd, LinuxNative.EPOLLIN, r.token);
            } catch (IOException e) {
                r.finish();
                channels.remove(r.token);
                LinuxNative.close(r.fd);
            }
        }
    }

    /** Bytes read and pauses so far of every open reader of {@code log} (for tests and diagnostics). */
    long[] readStats(InstanceLog log) {
        long[] out = new long[2];
        for (Object o : channels.values()) {
            if (o instanceof Reader r && r.log == log) {
                out[0] += r.bytesRead;
                out[1] += r.pauses;
            }
        }
        return out;
    }

    private void closeReader(Reader r) {
        channels.remove(r.token);
        LinuxNative.epoll_ctl(epfd, LinuxNative.EPOLL_CTL_DEL, r.fd, null);
        LinuxNative.close(r.fd);
    }

    /** One stdout or stderr pipe: splits lines, logs runs of them, hands protocol lines over. */
    private static final class Reader {
        final int fd;
        final long token;
        final InstanceLog log;
        final Consumer<String> protocol; // null: stderr, or an agent without the protocol
        byte[] partial; // the head of a line not yet ended, up to MAX_LINE bytes
        int partialLen;
        long dropped;
        // flood control (loop thread only)
        long allowance;
        long refilledAtNanos;
        long resumeAtNanos;
        long bytesRead;
        long pauses;

        Reader(int fd, long token, InstanceLog log, Consumer<String> protocol) {
            this.fd = fd;
            this.token = token;
            this.log = log;
            this.protocol = protocol;
        }

        void feed(byte[] b, int n) {
            int i = 0;
            if (partialLen > 0 || dropped > 0) { // finish the line left over from the previous chunk
                int nl = indexOf(b, i, n);
                int end = nl < 0 ? n : nl;
                keep(b, i, end);
                if (nl < 0) return;
                i = nl + 1;
                emitPartial();
            }
            int runStart = i; // start of the run of log lines not yet written
            while (i < n) {
                int nl = indexOf(b, i, n);
                if (nl < 0) break;
                if (protocol != null && startsWithPrefix(b, i, nl)) {
                    if (i > runStart) log.append(b, runStart, i - runStart);
                    protocolLine(new String(b, i + PREFIX_BYTES.length, trimCr(b, i, nl) - i - PREFIX_BYTES.length, StandardCharsets.UTF_8));
                    runStart = nl + 1;
                }
                i = nl + 1;
            }
            if (i > runStart) log.append(b, runStart, i - runStart);
            if (i < n) keep(b, i, n);
        }

        /** End of stream: a last line without a newline still counts. */
        void finish() {
            if (partialLen > 0 || dropped > 0) emitPartial();
        }

        private void keep(byte[] b, int from, int to) {
            int len = to - from;
            int room = MAX_LINE - partialLen;
            int take = Math.min(room, len);
            if (take > 0) {
                if (partial == null) partial = new byte[Math.max(256, Math.min(MAX_LINE, take * 2))];
                if (partial.length < partialLen + take) {
                    partial = java.util.Arrays.copyOf(partial, Math.min(MAX_LINE, Math.max(partial.length * 2, partialLen + take)));
                }
                System.arraycopy(b, from, partial, partialLen, take);
                partialLen += take;
            }
            dropped += len - take;
        }

        private void emitPartial() {
            int len = partialLen;
            long cut = dropped;
            partialLen = 0;
            dropped = 0;
            if (cut > 0) {
                String head = new String(partial, 0, Math.min(len, 200), StandardCharsets.UTF_8);
                log.line(head + "... [line of " + (len + cut) + " bytes cut]");
            } else if (protocol != null && startsWithPrefix(partial, 0, len)) {
                protocolLine(new String(partial, PREFIX_BYTES.length, trimCr(partial, 0, len) - PREFIX_BYTES.length, StandardCharsets.UTF_8));
            } else {
                log.appendLine(partial, 0, len);
            }
            if (partial.length > 4096) partial = null; // a long line once does not pin 64 KiB per agent
        }

        private void protocolLine(String json) {
            try {
                protocol.accept(json);
            } catch (RuntimeException e) {
                log.line("[sabot] bad protocol line ignored: " + e.getMessage());
            }
        }

        private static int trimCr(byte[] b, int from, int end) {
            return end > from && b[end - 1] == '\r' ? end - 1 : end;
        }

        private static boolean startsWithPrefix(byte[] b, int from, int end) {
            if (end - from < PREFIX_BYTES.length) return false;
            for (int k = 0; k < PREFIX_BYTES.length; k++) if (b[from + k] != PREFIX_BYTES[k]) return false;
            return true;
        }

        private static int indexOf(byte[] b, int from, int to) {
            for (int k = from; k < to; k++) if (b[k] == '\n') return k;
            return -1;
        }
    }

    /**
     * A protocol agent's stdin. {@link #send} never waits: it writes what the pipe takes now and
     * queues the rest (up to {@link AgentProcess#MAX_QUEUED_BYTES}); the loop writes the queue
     * when the pipe has room.
     */
    final class StdinPipe {
        private final int fd;
        private final long token;
        // guarded by this
        private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        private int headWritten;
        private long queuedBytes;
        private boolean closed;
        private boolean armed;
        private boolean refused;
        private boolean refusalReported;

        StdinPipe(int fd, long token) {
            this.fd = fd;
            this.token = token;
        }

        synchronized boolean send(byte[] b) {
            if (closed) return false;
            if (queuedBytes + b.length > AgentProcess.MAX_QUEUED_BYTES) {
                refused = true;
                return false;
            }
            if (queue.isEmpty()) {
                int w = writeSome(b, 0);
                if (w < 0) return false;
                if (w == b.length) return true;
                queue.add(b);
                headWritten = w;
                queuedBytes += b.length - w;
                arm();
                return !closed;
            }
            queue.add(b);
            queuedBytes += b.length;
            return true;
        }

        synchronized boolean firstRefusal() {
            if (!refused || refusalReported) return false;
            refusalReported = true;
            return true;
        }

        /** The loop: the pipe has room (or its reader is gone). */
        synchronized void writable() {
            while (!closed && !queue.isEmpty()) {
                byte[] b = queue.peek();
                int w = writeSome(b, headWritten);
                if (w < 0) return;
                queuedBytes -= w - headWritten;
                if (w < b.length) {
                    headWritten = w;
                    return; // still full: stay armed
                }
                queue.poll();
                headWritten = 0;
            }
            if (armed && !closed) {
                armed = false;
                channels.remove(token);
                LinuxNative.epoll_ctl(epfd, LinuxNative.EPOLL_CTL_DEL, fd, null);
            }
        }

        /** Writes from {@code off}; returns the new offset, or -1 if the pipe is broken (then closed). */
        private int writeSome(byte[] b, int off) {
            int left = b.length - off;
            try (NativeBuf m = new NativeBuf(left)) {
                m.write(0, b, off, left);
                long w = 0;
                while (w < left) {
                    long r = LinuxNative.write(fd, m.share(w), left - w);
                    if (r > 0) {
                        w += r;
                        continue;
                    }
                    int err = LinuxNative.errno();
                    if (err == LinuxNative.EINTR) continue;
                    if (err == LinuxNative.EAGAIN) break;
                    closeLocked(); // EPIPE: the agent closed its stdin or is gone
                    return -1;
                }
                return off + (int) w;
            }
        }

        private void arm() {
            if (armed) return;
            armed = true;
            channels.put(token, this);
            try {
                ctl(LinuxNative.EPOLL_CTL_ADD, fd, LinuxNative.EPOLLOUT, token);
            } catch (IOException e) {
                closeLocked();
            }
        }

        synchronized void close() { closeLocked(); }

        private void closeLocked() {
            if (closed) return;
            closed = true;
            queue.clear();
            queuedBytes = 0;
            if (armed) {
                channels.remove(token);
                LinuxNative.epoll_ctl(epfd, LinuxNative.EPOLL_CTL_DEL, fd, null);
                armed = false;
            }
            LinuxNative.close(fd);
        }
    }
}
