package io.sabot.agent;

import io.sabot.protocol.ProtocolMessages.Ack;
import io.sabot.protocol.ProtocolMessages.Assign;
import io.sabot.protocol.ProtocolMessages.Commit;
import io.sabot.protocol.ProtocolMessages.Drain;
import io.sabot.protocol.ProtocolMessages.Drained;
import io.sabot.protocol.ProtocolMessages.Heartbeat;
import io.sabot.protocol.ProtocolMessages.PartitionOffset;
import io.sabot.protocol.ProtocolMessages.Ready;
import io.sabot.protocol.ProtocolMessages.Revoke;
import io.sabot.protocol.ProtocolMessages.ToAgent;
import io.sabot.protocol.ProtocolMessages.ToEngine;
import io.sabot.protocol.ProtocolMessages;
import io.sabot.protocol.ProtocolReader;
import io.sabot.protocol.ProtocolWriter;
import io.sabot.stream.EmbeddedStream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The built-in agent runtime: one consumer loop, on the thread that calls {@link #run()}, that
 * applies engine messages between batches, round-robins over the assigned partitions, processes
 * batches of available records through an {@link AgentKind}, commits after every batch, and sends
 * heartbeats. Sending heartbeats from the consumer loop itself means a stuck loop stops them.
 *
 * <p>Batching: a partition is processed when {@code batchSize} records are available or its oldest
 * available record has waited {@code lingerMs}; when nothing is ready the loop parks until the
 * next record, linger deadline or heartbeat is due (or a message arrives), never spinning.
 *
 * <p>Stopping: {@code drain} (message) and SIGTERM ({@link #stopForSignal}) finish the batch,
 * commit every partition and send {@code drained}; stdin EOF finishes the batch, commits (to a
 * reader that is probably gone) and exits.
 */
public final class AgentRuntime implements ProtocolReader.Handler {
    /** Why the loop stops. */
    public enum Stop { NONE, DRAIN, SIGNAL, EOF }

    private static final class Part {
        final String topic;
        final int partition;
        EmbeddedStream stream;
        long position;

        Part(String topic, int partition, EmbeddedStream stream, long position) {
            this.topic = topic;
            this.partition = partition;
            this.stream = stream;
            this.position = position;
        }
    }

    private final AgentConfig config;
    private final AgentKind kind;
    private final ProtocolWriter writer;
    private final AgentLog log;
    private final AuditLog audit;
    private final Consumer<Integer> exit;
    private final ConcurrentLinkedQueue<ToAgent> inbox = new ConcurrentLinkedQueue<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final List<Part> parts = new ArrayList<>();
    private volatile Stop stop = Stop.NONE;
    private volatile Thread loopThread;
    private volatile boolean exiting;

    // heartbeat rate window (loop thread only)
    private static final int RATE_SAMPLES = 6;
    private final long[] sampleNanos = new long[RATE_SAMPLES];
    private final long[] sampleProcessed = new long[RATE_SAMPLES];
    private int samples;
    private int sampleHead;

    private int roundRobin;
    private volatile long processed;
    private long nextSummaryMs;

    /**
     * @param exit called with the exit status when the loop ends by itself (drain or EOF);
     *             {@code System::exit} in the agent process
     */
    public AgentRuntime(AgentConfig config, AgentKind kind, ProtocolWriter writer, AgentLog log, Consumer<Integer> exit) {
        this.config = config;
        this.kind = kind;
        this.writer = writer;
        this.log = log;
        this.exit = exit;
        this.audit = config.auditDir() == null ? null : new AuditLog(config.auditDir(), config.instance());
    }

    // ------------------------------------------------------------------ other threads

    /** A message from stdin (reader thread): queued and applied by the loop between batches. */
    @Override
    public void onMessage(ToAgent message) {
        inbox.add(message);
        wake();
    }

    /** stdin EOF (reader thread): the engine is gone; stop and exit promptly. */
    @Override
    public void onEof() {
        requestStop(Stop.EOF);
        try {
            // the loop exits by itself after its batch; halt if it cannot within a few seconds
            if (!finished.await(3, TimeUnit.SECONDS)) Runtime.getRuntime().halt(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGTERM (shutdown hook thread): stop after the batch, commit all, send {@code drained}.
     * Returns true if that happened within {@code drainTimeoutMs}.
     */
    public boolean stopForSignal() {
        requestStop(Stop.SIGNAL);
        try {
            boolean done = finished.await(config.drainTimeoutMs(), TimeUnit.MILLISECONDS);
            // after EOF too (SIGTERM and stdin EOF often come together); the drain path sent its own
            if (done && stop != Stop.DRAIN) writer.write(new Drained());
            return done;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True once the loop decided to exit by itself (the shutdown hook then has nothing to do). */
    public boolean exitingByItself() {
        return exiting;
    }

    private void requestStop(Stop why) {
        synchronized (this) {
            if (stop == Stop.NONE) stop = why;
        }
        wake();
    }

    private void wake() {
        Thread t = loopThread;
        if (t != null) LockSupport.unpark(t);
    }

    /** Total records processed (any thread). */
    public long processed() {
        return processed;
    }

    // ------------------------------------------------------------------ the loop

    /** Runs the consumer loop on the calling thread until drained, signalled or EOF. */
    public void run() {
        loopThread = Thread.currentThread();
        send(new Ready());
        log.info(new StringBuilder("agent ").append(config.agent()).append(" kind=").append(kind.name())
                .append(config.traceparent() != null ? " traceparent=".concat(config.traceparent()) : "").toString());
        long hbMs = config.heartbeatMs();
        long nextHeartbeat = System.currentTimeMillis() + hbMs;
        nextSummaryMs = System.currentTimeMillis() + 30_000;
        while (true) {
            long now = System.currentTimeMillis();
            applyInbox();
            if (stop != Stop.NONE) break;
            if (now >= nextHeartbeat) {
                heartbeat(now);
                nextHeartbeat = Math.max(nextHeartbeat + hbMs, now + hbMs / 2);
            }
            if (now >= nextSummaryMs) {
                log.info(kind.name() + ": processed=" + processed + " partitions=" + parts.size() + " " + kind.summary());
                nextSummaryMs = now + 30_000;
            }
            if (processOneBatch(now)) continue;
            long wakeAt = Math.min(nextHeartbeat, nextReadyMs(now));
            long waitMs = Math.max(1, Math.min(wakeAt - now, 1000));
            if (inbox.isEmpty() && stop == Stop.NONE) LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(waitMs));
        }
        Stop why = stop;
        for (Part p : parts) send(new Commit(p.topic, p.partition, p.position));
        if (audit != null) audit.close();
        log.info(kind.name() + ": stopping (" + why.name().toLowerCase() + "), processed=" + processed + " " + kind.summary());
        if (why == Stop.DRAIN) {
            send(new Drained());
            exiting = true;
            finished.countDown();
            exit.accept(0);
        } else if (why == Stop.EOF) {
            exiting = true;
            finished.countDown();
            exit.accept(0);
        } else {
            finished.countDown(); // the shutdown hook sends drained and ends the process
        }
    }

    private void applyInbox() {
        ToAgent m;
        while ((m = inbox.poll()) != null) {
            if (m instanceof Assign) {
                assign((Assign) m);
            } else if (m instanceof Revoke) {
                revoke((Revoke) m);
            } else if (m instanceof Drain) {
                requestStop(Stop.DRAIN);
            }
        }
    }

    private void assign(Assign a) {
        EmbeddedStream stream = new EmbeddedStream(a.rate(), a.originEpochMs());
        for (PartitionOffset po : a.partitions()) {
            Part p = find(a.topic(), po.partition());
            if (p == null) {
                parts.add(new Part(a.topic(), po.partition(), stream, po.offset()));
            } else {
                p.stream = stream;
                p.position = po.offset();
            }
        }
        log.info("assigned " + a.topic() + " " + a.partitions() + " (epoch " + a.epoch() + ", now " + parts.size() + " partitions)");
        send(new Ack(ProtocolMessages.OP_ASSIGN, a.epoch()));
    }

    private void revoke(Revoke r) {
        for (Integer partition : r.partitions()) {
            Part p = find(r.topic(), partition);
            if (p == null) continue;
            send(new Commit(p.topic, p.partition, p.position));
            parts.remove(p);
            kind.partitionRevoked(p.topic, p.partition);
            if (audit != null) audit.close(p.topic, p.partition);
        }
        log.info("revoked " + r.topic() + " " + r.partitions() + " (epoch " + r.epoch() + ", now " + parts.size() + " partitions)");
        send(new Ack(ProtocolMessages.OP_REVOKE, r.epoch()));
    }

    private Part find(String topic, int partition) {
        for (Part p : parts) if (p.partition == partition && p.topic.equals(topic)) return p;
        return null;
    }

    /** Processes one batch of the next ready partition (round robin); false if none is ready. */
    private boolean processOneBatch(long now) {
        int n = parts.size();
        for (int i = 0; i < n; i++) {
            int idx = (roundRobin + i) % n;
            Part p = parts.get(idx);
            long hw = p.stream.highWatermark(now);
            long available = hw - p.position;
            if (available <= 0) continue;
            if (available < config.batchSize() && now < p.stream.availableAtMs(p.position) + config.lingerMs()) continue;
            long start = p.position;
            long end = start + Math.min(available, config.batchSize());
            for (long o = start; o < end; o++) {
                kind.process(p.stream.recordAt(p.topic, p.partition, o));
            }
            kind.endBatch(p.topic, p.partition);
            if (audit != null) audit.batch(p.topic, p.partition, start, end, log);
            p.position = end;
            processed += end - start;
            send(new Commit(p.topic, p.partition, end));
            roundRobin = idx + 1;
            return true;
        }
        return false;
    }

    /** The earliest time a partition becomes ready (full batch or linger expired). */
    private long nextReadyMs(long now) {
        long next = Long.MAX_VALUE;
        for (Part p : parts) {
            long firstAt = p.stream.availableAtMs(p.position);
            if (firstAt == Long.MAX_VALUE) continue;
            long fullAt = p.stream.availableAtMs(p.position + config.batchSize() - 1);
            next = Math.min(next, Math.min(fullAt, firstAt + config.lingerMs()));
        }
        return Math.max(next, now + 1);
    }

    private void heartbeat(long now) {
        long nanos = System.nanoTime();
        long total = processed;
        sampleNanos[sampleHead] = nanos;
        sampleProcessed[sampleHead] = total;
        sampleHead = (sampleHead + 1) % RATE_SAMPLES;
        if (samples < RATE_SAMPLES) samples++;
        int oldest = samples < RATE_SAMPLES ? 0 : sampleHead;
        double rate = 0;
        long dt = nanos - sampleNanos[oldest];
        if (samples > 1 && dt > 0) rate = (total - sampleProcessed[oldest]) * 1e9 / dt;
        long lag = 0;
        for (Part p : parts) lag += Math.max(0, p.stream.highWatermark(now) - p.position);
        send(new Heartbeat(rate, lag, total));
    }

    private void send(ToEngine m) {
        writer.write(m);
    }
}
