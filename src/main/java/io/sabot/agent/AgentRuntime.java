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
import io.sabot.statestore.KeyValueStore;
import io.sabot.statestore.PartitionStore;
import io.sabot.statestore.StateConfig;
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
 *
 * <p>Kafka topics (an {@code assign} with {@code kafka}): read with {@link KafkaInput}
 * ({@code assign()}/{@code seek()}, no group), buffered per partition (paused past four batches).
 * Outputs ({@code outputs} message): every record a batch produced must be acknowledged by Kafka
 * before that batch's offset is committed, so a crash anywhere loses nothing (at least once, no
 * gap); a send that finally fails ends the process without committing (the engine restarts it from
 * its last commit). A Kafka client without a connection for {@value #UNHEALTHY_AFTER_MS} ms while it
 * has work makes the heartbeats say {@code healthy: false} with the reason. Kafka client calls may
 * block (creating a client loads and connects it, a first send waits for metadata): while the loop
 * is inside one, and for at most {@value #MAX_KAFKA_CALL_MS} ms, a helper thread repeats the last
 * heartbeat, so a slow broker is not mistaken for a stuck agent; a loop stuck anywhere else still
 * stops the heartbeats.
 */
public final class AgentRuntime implements ProtocolReader.Handler {
    /** Why the loop stops. */
    public enum Stop { NONE, DRAIN, SIGNAL, EOF }

    static final long UNHEALTHY_AFTER_MS = 3_000;
    static final long MAX_KAFKA_CALL_MS = 120_000;
    /** Set while the loop is inside a Kafka client call (0: not). */
    private volatile long inKafkaSinceMs;
    private volatile Heartbeat lastHeartbeat = new Heartbeat(0, 0, 0);
    private Thread kafkaHeartbeats;
    private static final int MAX_INFLIGHT_BATCHES = 8;

    /** A processed batch whose outputs are not all acknowledged yet. */
    private record Pending(KafkaOutputs.Batch batch, long end, long timestampMs) {}

    private static final class Part {
        final String topic;
        final int partition;
        EmbeddedStream stream;
        /** Kafka topics: the reader (null: the embedded stream). */
        KafkaInput input;
        final java.util.ArrayDeque<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> buffer;
        long firstBufferedAtMs;
        /** Next offset to process. */
        long position;
        /** Every record below it is processed and its outputs acknowledged: what may be committed. */
        long committed;
        long committedTimestampMs;
        /** A Kafka-coordinated group's partition with progress not yet committed to Kafka. */
        boolean groupDirty;
        final java.util.ArrayDeque<Pending> inflight = new java.util.ArrayDeque<>();
        /** State stores by name, once restored (null: none, or not yet). */
        java.util.Map<String, PartitionStore> stores;
        /** Set while the restore thread restores this partition's stores: no record is processed meanwhile. */
        volatile boolean restoring;
        volatile String restoreError;
        java.util.concurrent.Future<?> restore;
        /** Kafka input with durable stores: the changelog topics' cluster (null: the local changelog). */
        io.sabot.statestore.KafkaChangelog changelog;
        /** The kind has been given the restored stores. */
        boolean restoredNotified;

        Part(String topic, int partition, EmbeddedStream stream, long position) {
            this.topic = topic;
            this.partition = partition;
            this.stream = stream;
            this.position = position;
            this.committed = position;
            this.buffer = null;
        }

        Part(String topic, int partition, KafkaInput input, long position) {
            this.topic = topic;
            this.partition = partition;
            this.input = input;
            this.position = position;
            this.committed = position;
            this.buffer = new java.util.ArrayDeque<>();
        }

        boolean kafka() {
            return input != null;
        }
    }

    /** Kafka readers by cluster name (loop thread; the list is read by {@link #wake} from other threads). */
    private final java.util.Map<String, KafkaInput> inputs = new java.util.HashMap<>();
    private final java.util.concurrent.CopyOnWriteArrayList<KafkaInput> inputList = new java.util.concurrent.CopyOnWriteArrayList<>();
    private KafkaOutputs outputs;
    private long badRecords;
    private long nextGeneratorMs;

    private final AgentConfig config;
    private final StateConfig state;
    private final List<String> storeNames;
    /** Restores stores of newly assigned partitions off the loop, so heartbeats and other partitions go on. */
    private final java.util.concurrent.ExecutorService restorer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sabot-state-restore");
        t.setDaemon(true);
        return t;
    });
    /** Store progress by "store topic partition" (restore thread writes, loop reads for the stores report). */
    private final java.util.concurrent.ConcurrentHashMap<String, long[]> restoreProgress = new java.util.concurrent.ConcurrentHashMap<>();
    private boolean storesChanged;
    /** Changelog topics' writers by Kafka cluster (stores of Kafka input). */
    private final java.util.Map<String, io.sabot.statestore.KafkaChangelog> changelogs = new java.util.HashMap<>();
    private long nextStoresReportMs;
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
        this(config, StateConfig.fromEnv(System.getenv()), kind, writer, log, exit);
    }

    public AgentRuntime(AgentConfig config, StateConfig state, AgentKind kind, ProtocolWriter writer, AgentLog log, Consumer<Integer> exit) {
        this.config = config;
        this.state = state;
        this.storeNames = kind.stateStores();
        this.kind = kind;
        this.writer = writer;
        this.log = log;
        this.exit = exit;
        this.audit = config.auditDir() == null ? null : new AuditLog(config.auditDir(), config.instance());
        if (audit != null && kind instanceof FraudDetector fd) fd.onFlag((t, part, o) -> audit.flag(t, part, o, log));
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
        for (KafkaInput in : inputList) in.wakeup();
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
            checkOutputs();
            commitAcknowledged();
            commitGroups(now, false);
            if (storesChanged || (!storeNames.isEmpty() && now >= nextStoresReportMs && !parts.isEmpty())) reportStores(now);
            if (now >= nextHeartbeat) {
                heartbeat(now);
                nextHeartbeat = Math.max(nextHeartbeat + hbMs, now + hbMs / 2);
            }
            if (now >= nextSummaryMs) {
                log.info(kind.name() + ": processed=" + processed + " partitions=" + parts.size() + " " + kind.summary()
                        + (badRecords > 0 ? " badRecords=".concat(Long.toString(badRecords)) : ""));
                nextSummaryMs = now + 30_000;
            }
            boolean kafka = outputs != null || !inputList.isEmpty();
            if (kafka) enterKafka();
            try {
                if (outputs != null && now >= nextGeneratorMs) nextGeneratorMs = kind.tick(now);
                if (!inputList.isEmpty()) fetch(0, now);
                if (processOneBatch(now)) continue;
            } finally {
                if (kafka) exitKafka();
            }
            long wakeAt = Math.min(Math.min(nextHeartbeat, nextReadyMs(now)), outputs != null ? nextGeneratorMs : Long.MAX_VALUE);
            if (hasInflight()) wakeAt = Math.min(wakeAt, now + 5);
            long waitMs = Math.max(1, Math.min(wakeAt - now, 1000));
            if (inbox.isEmpty() && stop == Stop.NONE) {
                if (!inputList.isEmpty()) {
                    enterKafka();
                    try {
                        fetch(waitMs, now);
                    } finally {
                        exitKafka();
                    }
                } else {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(waitMs));
                }
            }
        }
        Stop why = stop;
        if (outputs != null) enterKafka();
        finishOutputs(Math.min(1_000, config.drainTimeoutMs()));
        for (Part p : parts) if (!(p.kafka() && p.input.subscribed())) send(new Commit(p.topic, p.partition, p.committed, p.committedTimestampMs));
        commitGroups(System.currentTimeMillis(), true);
        for (Part p : parts) closeStores(p);
        for (KafkaInput in : inputList) in.close();
        for (io.sabot.statestore.KafkaChangelog c : changelogs.values()) c.close();
        if (outputs != null) outputs.close();
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
            boolean kafka = (m instanceof Assign && ((Assign) m).kafka() != null) || m instanceof ProtocolMessages.Outputs
                    || m instanceof ProtocolMessages.Subscribe
                    || (m instanceof Revoke && !inputList.isEmpty());
            if (kafka) enterKafka();
            try {
                apply(m);
            } finally {
                if (kafka) exitKafka();
            }
        }
    }

    private void apply(ToAgent m) {
        {
            if (m instanceof Assign) {
                assign((Assign) m);
            } else if (m instanceof Revoke) {
                revoke((Revoke) m);
            } else if (m instanceof Drain) {
                requestStop(Stop.DRAIN);
            } else if (m instanceof ProtocolMessages.Outputs) {
                setOutputs((ProtocolMessages.Outputs) m);
            } else if (m instanceof ProtocolMessages.Subscribe) {
                subscribe((ProtocolMessages.Subscribe) m);
            }
        }
    }

    private void assign(Assign a) {
        if (a.kafka() != null) {
            assignKafka(a);
            return;
        }
        EmbeddedStream stream = new EmbeddedStream(a.rate(), a.originEpochMs());
        for (PartitionOffset po : a.partitions()) {
            Part p = find(a.topic(), po.partition());
            if (p == null) {
                p = new Part(a.topic(), po.partition(), stream, po.offset());
                parts.add(p);
            } else {
                p.stream = stream;
                p.position = po.offset();
                p.committed = po.offset();
                p.inflight.clear();
            }
            startRestore(p, po.offset());
        }
        log.info("assigned " + a.topic() + " " + a.partitions() + " (epoch " + a.epoch() + ", now " + parts.size() + " partitions)");
        send(new Ack(ProtocolMessages.OP_ASSIGN, a.epoch()));
    }

    private void revoke(Revoke r) {
        for (Integer partition : r.partitions()) {
            Part p = find(r.topic(), partition);
            if (p == null) continue;
            // only what is processed and whose outputs Kafka acknowledged is committed (bounded wait)
            awaitInflight(p, 3_000);
            send(new Commit(p.topic, p.partition, p.committed, p.committedTimestampMs));
            parts.remove(p);
            if (p.kafka()) p.input.revoke(p.topic, p.partition);
            kind.partitionRevoked(p.topic, p.partition);
            closeStores(p);
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
            if (p.inflight.size() >= MAX_INFLIGHT_BATCHES) continue; // outputs not acknowledged yet: back pressure
            if (!storesReady(p)) continue; // restored before its first record
            if (p.kafka()) {
                if (processKafkaBatch(p, now)) {
                    roundRobin = idx + 1;
                    return true;
                }
                continue;
            }
            long hw = p.stream.highWatermark(now);
            long available = hw - p.position;
            if (available <= 0) continue;
            if (available < config.batchSize() && now < p.stream.availableAtMs(p.position) + config.lingerMs()) continue;
            long start = p.position;
            long end = start + Math.min(available, config.batchSize());
            KafkaOutputs.Batch batch = outputs == null ? null : outputs.beginBatch();
            long ts = 0;
            for (long o = start; o < end; o++) {
                io.sabot.stream.Record rec = p.stream.recordAt(p.topic, p.partition, o);
                kind.process(rec);
                ts = rec.timestampMs();
            }
            kind.endBatch(p.topic, p.partition);
            if (audit != null) audit.batch(p.topic, p.partition, start, end, log);
            p.position = end;
            processed += end - start;
            batchDone(p, batch, end, ts);
            roundRobin = idx + 1;
            return true;
        }
        return false;
    }

    /** The earliest time a partition becomes ready (full batch or linger expired). */
    private long nextReadyMs(long now) {
        long next = Long.MAX_VALUE;
        for (Part p : parts) {
            if (p.restoring) continue; // the restore thread wakes the loop when done
            if (p.kafka()) {
                if (!p.buffer.isEmpty()) next = Math.min(next, p.buffer.size() >= config.batchSize() ? now : p.firstBufferedAtMs + config.lingerMs());
                continue;
            }
            long firstAt = p.stream.availableAtMs(p.position);
            if (firstAt == Long.MAX_VALUE) continue;
            long fullAt = p.stream.availableAtMs(p.position + config.batchSize() - 1);
            next = Math.min(next, Math.min(fullAt, firstAt + config.lingerMs()));
        }
        return Math.max(next, now + 1);
    }

    private void heartbeat(long now) {
        long nanos = System.nanoTime();
        long total = processed + kind.produced();
        sampleNanos[sampleHead] = nanos;
        sampleProcessed[sampleHead] = total;
        sampleHead = (sampleHead + 1) % RATE_SAMPLES;
        if (samples < RATE_SAMPLES) samples++;
        int oldest = samples < RATE_SAMPLES ? 0 : sampleHead;
        double rate = 0;
        long dt = nanos - sampleNanos[oldest];
        if (samples > 1 && dt > 0) rate = (total - sampleProcessed[oldest]) * 1e9 / dt;
        long lag = 0;
        for (Part p : parts) {
            if (p.kafka()) lag += p.buffer.size() + p.input.lag(p.topic, p.partition).orElse(0);
            else lag += Math.max(0, p.stream.highWatermark(now) - p.position);
        }
        String unhealthy = kafkaProblem(now);
        Heartbeat h = new Heartbeat(rate, lag, total, unhealthy == null, unhealthy);
        lastHeartbeat = h;
        send(h);
    }

    private void send(ToEngine m) {
        writer.write(m);
    }

    // ------------------------------------------------------------------ state stores

    /** Restores the partition's stores to {@code offset} on the restore thread; the partition waits for it. */
    private void startRestore(Part p, long offset) {
        if (storeNames.isEmpty()) return;
        closeStores(p); // assigned again (a new offset): restored again
        p.restoredNotified = false;
        p.restoreError = null;
        p.restoring = true;
        storesChanged = true;
        String topic = p.topic;
        int partition = p.partition;
        boolean report = state.durable();
        io.sabot.statestore.KafkaChangelog changelog = p.changelog;
        p.restore = restorer.submit(() -> {
            java.util.Map<String, PartitionStore> opened = new java.util.LinkedHashMap<>();
            try {
                for (String name : storeNames) {
                    String key = name + " " + topic + " " + partition;
                    restoreProgress.put(key, new long[] {0, 0});
                    io.sabot.statestore.KafkaChangelog.Partition remote = null;
                    if (changelog != null) {
                        String clTopic = io.sabot.statestore.KafkaChangelog.topicName(state.consumerGroup(), name);
                        changelog.ensureTopic(clTopic, topic);
                        remote = changelog.partition(clTopic, partition);
                    }
                    PartitionStore ps = state.open(name, topic, partition, remote);
                    opened.put(name, ps);
                    PartitionStore.Restored r = ps.restore(offset, (done, total) -> {
                        restoreProgress.put(key, new long[] {done, total});
                        if (report) send(new ProtocolMessages.Restore(name, topic, partition, done, total, false, null, 0));
                    });
                    long[] pr = restoreProgress.get(key);
                    if (!report) continue;
                    send(new ProtocolMessages.Restore(name, topic, partition, pr[0], pr[1], true, r.source(), r.durationMs()));
                    log.info("state store " + name + " of " + topic + ":" + partition + " restored to offset " + r.offset() + " from "
                            + r.source() + " (" + ps.changelogName() + ", " + r.changes() + " changes replayed, " + r.durationMs() + " ms)");
                    if (r.warning() != null) log.info("state store " + name + " of " + topic + ":" + partition + ": " + r.warning());
                }
                p.stores = opened;
            } catch (java.io.IOException | RuntimeException e) {
                for (PartitionStore ps : opened.values()) ps.close(false);
                p.restoreError = "state store of " + topic + ":" + partition + " cannot be restored: " + e.getMessage();
            } finally {
                p.restoring = false;
                wake();
            }
        });
    }

    /** True once the partition's stores are restored (the kind is given them the first time). */
    private boolean storesReady(Part p) {
        if (storeNames.isEmpty()) return true;
        if (p.restoring) return false;
        if (p.restoreError != null) fatal(p.restoreError);
        if (!p.restoredNotified) {
            p.restoredNotified = true;
            storesChanged = true;
            java.util.Map<String, KeyValueStore> view = new java.util.LinkedHashMap<>();
            if (p.stores != null) view.putAll(p.stores);
            kind.partitionRestored(p.topic, p.partition, view);
        }
        return true;
    }

    /** The batch's state changes become durable with the offset they reach, before that offset is committed. */
    private void commitStores(Part p, long end) {
        if (p.stores == null) return;
        try {
            for (PartitionStore ps : p.stores.values()) ps.commit(end);
        } catch (java.io.IOException | RuntimeException e) {
            fatal("state store of " + p.topic + ":" + p.partition + " cannot be written: " + e.getMessage());
        }
    }

    /** Closes the partition's stores (a checkpoint first: the next owner replays nothing). */
    private void closeStores(Part p) {
        if (storeNames.isEmpty()) return;
        if (p.restore != null) {
            try {
                p.restore.get(StateConfig.LOCK_TIMEOUT_MS + 60_000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // its error, if any, is in restoreError; a restore still running after that long is abandoned
            }
            p.restore = null;
        }
        if (p.stores != null) {
            for (PartitionStore ps : p.stores.values()) ps.close(true);
            p.stores = null;
        }
        for (String name : storeNames) restoreProgress.remove(name + " " + p.topic + " " + p.partition);
        storesChanged = true;
    }

    /** Tells the engine which stores this instance holds (when they change, and every 5 s). */
    private void reportStores(long now) {
        storesChanged = false;
        nextStoresReportMs = now + 5_000;
        if (!state.durable() || storeNames.isEmpty()) return;
        List<ProtocolMessages.StoreState> out = new ArrayList<>();
        for (Part p : parts) {
            for (String name : storeNames) {
                long[] pr = restoreProgress.getOrDefault(name + " " + p.topic + " " + p.partition, new long[2]);
                boolean restoring = p.restoring;
                PartitionStore ps = restoring || p.stores == null ? null : p.stores.get(name);
                out.add(new ProtocolMessages.StoreState(name, p.topic, p.partition, restoring ? "restoring" : "active",
                        ps == null ? 0 : ps.entries(), ps == null ? 0 : ps.bytes(), ps == null ? 0 : ps.diskBytes(), pr[0], pr[1]));
            }
        }
        send(new ProtocolMessages.Stores(out));
    }

    /** A store that cannot be restored or written: exit without committing; the restart restores again. */
    private void fatal(String why) {
        log.info(kind.name() + ": " + why + "; exiting without committing (a restart restores from the last commit)");
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(3);
    }

    // ------------------------------------------------------------------ Kafka

    private void enterKafka() {
        if (kafkaHeartbeats == null) {
            kafkaHeartbeats = new Thread(this::heartbeatWhileInKafka, "sabot-kafka-heartbeat");
            kafkaHeartbeats.setDaemon(true);
            kafkaHeartbeats.start();
        }
        inKafkaSinceMs = System.currentTimeMillis();
    }

    private void exitKafka() {
        inKafkaSinceMs = 0;
    }

    private void heartbeatWhileInKafka() {
        long period = config.heartbeatMs();
        while (true) {
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(period));
            long since = inKafkaSinceMs;
            long now = System.currentTimeMillis();
            if (exiting) return;
            if (since > 0 && now - since >= period && now - since < MAX_KAFKA_CALL_MS) {
                Heartbeat h = lastHeartbeat;
                if (now - since >= UNHEALTHY_AFTER_MS) {
                    h = new Heartbeat(h.rate(), h.lag(), h.processed(), false, "waiting on a Kafka cluster for " + (now - since) / 1000 + " s");
                }
                writer.write(h);
            }
        }
    }

    private void assignKafka(Assign a) {
        KafkaInput in = inputs.get(a.kafka().cluster());
        if (in == null) {
            in = new KafkaInput(a.kafka(), config.instance());
            inputs.put(a.kafka().cluster(), in);
            inputList.add(in);
        }
        for (PartitionOffset po : a.partitions()) {
            Part p = find(a.topic(), po.partition());
            if (p == null) {
                p = new Part(a.topic(), po.partition(), in, po.offset());
                parts.add(p);
            } else {
                p.buffer.clear();
                p.inflight.clear();
                p.position = po.offset();
                p.committed = po.offset();
            }
            p.changelog = changelogFor(a.kafka());
            startRestore(p, po.offset());
            in.assign(a.topic(), po.partition(), po.offset());
        }
    }

    /** Progress to commit: to the engine (it assigned the partition), or to Kafka (a group Kafka coordinates). */
    private void committed(Part p) {
        if (p.kafka() && p.input.subscribed()) {
            p.groupDirty = true;
            return;
        }
        send(new Commit(p.topic, p.partition, p.committed, p.committedTimestampMs));
    }

    private long nextGroupCommitMs;

    /** Commits the Kafka-coordinated groups' progress (at most every 200 ms; {@code sync}: all of it, now). */
    private void commitGroups(long now, boolean sync) {
        if (!sync && now < nextGroupCommitMs) return;
        nextGroupCommitMs = now + 200;
        for (KafkaInput in : inputList) {
            if (!in.subscribed()) continue;
            java.util.Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> m = new java.util.HashMap<>();
            for (Part p : parts) {
                if (p.input != in || !(p.groupDirty || sync)) continue;
                m.put(new org.apache.kafka.common.TopicPartition(p.topic, p.partition), new org.apache.kafka.clients.consumer.OffsetAndMetadata(p.committed));
                p.groupDirty = false;
            }
            in.commit(m, sync);
        }
    }

    /**
     * Joins a consumer group that Kafka coordinates: Kafka's rebalances (heard inside poll, on this
     * thread) add and drop partitions; a revoked partition's processed and acknowledged progress is
     * committed to Kafka before it goes; a lost one (this member was fenced) is dropped uncommitted.
     */
    private void subscribe(ProtocolMessages.Subscribe s) {
        io.sabot.kafka.GroupMembership g = new io.sabot.kafka.GroupMembership(s.group(), s.topics(), s.strategy(),
                s.host() == null ? "" : s.host(), config.instance());
        KafkaInput[] self = new KafkaInput[1];
        self[0] = new KafkaInput(s.kafka(), g, () -> lastHeartbeat.rate(), new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(java.util.Collection<org.apache.kafka.common.TopicPartition> ps) {
                for (org.apache.kafka.common.TopicPartition tp : ps) {
                    if (find(tp.topic(), tp.partition()) != null) continue;
                    Part p = new Part(tp.topic(), tp.partition(), self[0], self[0].position(tp.topic(), tp.partition()));
                    parts.add(p);
                    p.changelog = changelogFor(s.kafka());
                    startRestore(p, p.position);
                }
                if (!ps.isEmpty()) log.info("group " + s.group() + " assigned " + ps + " by Kafka (now " + parts.size() + " partitions)");
            }

            @Override
            public void onPartitionsRevoked(java.util.Collection<org.apache.kafka.common.TopicPartition> ps) {
                java.util.Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> m = new java.util.HashMap<>();
                for (org.apache.kafka.common.TopicPartition tp : ps) {
                    Part p = find(tp.topic(), tp.partition());
                    if (p == null) continue;
                    awaitInflight(p, 3_000);
                    m.put(tp, new org.apache.kafka.clients.consumer.OffsetAndMetadata(p.committed));
                    drop(p);
                }
                self[0].commit(m, true);
                if (!ps.isEmpty()) log.info("group " + s.group() + " revoked " + ps + " by Kafka (now " + parts.size() + " partitions)");
            }

            @Override
            public void onPartitionsLost(java.util.Collection<org.apache.kafka.common.TopicPartition> ps) {
                for (org.apache.kafka.common.TopicPartition tp : ps) {
                    Part p = find(tp.topic(), tp.partition());
                    if (p != null) drop(p);
                }
                if (!ps.isEmpty()) log.info("group " + s.group() + " lost " + ps + " (fenced by Kafka; the next owner resumes from the last commit)");
            }
        });
        inputs.put("group:" + s.group(), self[0]);
        inputList.add(self[0]);
        log.info("joined consumer group " + s.group() + " on cluster " + s.kafka().cluster() + " as " + g.clientId()
                + " (Kafka coordinates, strategy " + (s.strategy() == null ? "sticky" : s.strategy()) + ")");
    }

    /** The changelog topics' writer of a cluster (null: stores not durable, or none). */
    private io.sabot.statestore.KafkaChangelog changelogFor(ProtocolMessages.KafkaCluster k) {
        if (storeNames.isEmpty() || !state.durable()) return null;
        return changelogs.computeIfAbsent(k.cluster(), c -> new io.sabot.statestore.KafkaChangelog(c, k.bootstrapServers(), k.properties(),
                config.instance()));
    }

    private void drop(Part p) {
        parts.remove(p);
        kind.partitionRevoked(p.topic, p.partition);
        closeStores(p);
        if (audit != null) audit.close(p.topic, p.partition);
    }

    private void setOutputs(ProtocolMessages.Outputs o) {
        if (outputs != null) {
            outputs.flush(2_000);
            outputs.close();
        }
        outputs = o.topics().isEmpty() ? null : new KafkaOutputs(o.topics(), config.instance());
        kind.attach(outputs);
        nextGeneratorMs = 0;
        StringBuilder names = new StringBuilder();
        for (ProtocolMessages.OutputTopic t : o.topics()) names.append(' ').append(t.name()).append('@').append(t.kafka().cluster());
        log.info("outputs:".concat(names.toString()));
    }

    /** Moves fetched records into their partitions' buffers; waits at most {@code waitMs} for some. */
    private void fetch(long waitMs, long now) {
        for (KafkaInput in : inputList) {
            if (in.isEmpty()) {
                if (waitMs > 0 && inputList.size() == 1) LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(waitMs));
                continue;
            }
            for (org.apache.kafka.clients.consumer.ConsumerRecord<String, String> r : in.poll(waitMs / inputList.size())) {
                Part p = find(r.topic(), r.partition());
                if (p == null || !p.kafka() || r.offset() < p.position) continue; // revoked meanwhile, or before a re-seek
                if (p.buffer.isEmpty()) p.firstBufferedAtMs = now;
                p.buffer.add(r);
                if (p.buffer.size() >= 4 * config.batchSize()) in.pause(p.topic, p.partition, true);
            }
        }
    }

    private boolean processKafkaBatch(Part p, long now) {
        int available = p.buffer.size();
        if (available == 0) return false;
        if (available < config.batchSize() && now < p.firstBufferedAtMs + config.lingerMs()) return false;
        int n = Math.min(available, config.batchSize());
        KafkaOutputs.Batch batch = outputs == null ? null : outputs.beginBatch();
        long start = p.buffer.peekFirst().offset();
        long end = start;
        long ts = 0;
        for (int i = 0; i < n; i++) {
            org.apache.kafka.clients.consumer.ConsumerRecord<String, String> r = p.buffer.pollFirst();
            java.util.Map<String, Object> json = null;
            try {
                json = r.value() == null ? null : io.sabot.protocol.Json.parseObject(r.value());
            } catch (RuntimeException e) {
                badRecords++; // not JSON: skipped (it must not stall the partition), counted in the summary
            }
            kind.processJson(p.topic, p.partition, r.offset(), r.key(), json, r.timestamp());
            end = r.offset() + 1;
            ts = r.timestamp();
        }
        kind.endBatch(p.topic, p.partition);
        if (audit != null) audit.batch(p.topic, p.partition, start, end, log);
        p.position = end;
        processed += n;
        if (p.buffer.isEmpty()) p.input.pause(p.topic, p.partition, false);
        else p.firstBufferedAtMs = now;
        if (p.buffer.size() < 2 * config.batchSize()) p.input.pause(p.topic, p.partition, false);
        batchDone(p, batch, end, ts);
        return true;
    }

    /** Commits a processed batch now, or once its outputs are acknowledged. */
    private void batchDone(Part p, KafkaOutputs.Batch batch, long end, long ts) {
        commitStores(p, end);
        if (batch == null || (batch.done() && p.inflight.isEmpty())) {
            p.committed = end;
            p.committedTimestampMs = ts;
            committed(p);
        } else {
            p.inflight.add(new Pending(batch, end, ts));
        }
    }

    private boolean hasInflight() {
        for (Part p : parts) if (!p.inflight.isEmpty()) return true;
        return false;
    }

    /** Commits, per partition, the batches (in order) whose outputs are all acknowledged. */
    private void commitAcknowledged() {
        for (Part p : parts) {
            Pending last = null;
            while (!p.inflight.isEmpty() && p.inflight.peekFirst().batch().done()) last = p.inflight.pollFirst();
            if (last != null) {
                p.committed = last.end();
                p.committedTimestampMs = last.timestampMs();
                committed(p);
            }
        }
    }

    private void awaitInflight(Part p, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!p.inflight.isEmpty() && System.currentTimeMillis() < deadline) {
            checkOutputs();
            while (!p.inflight.isEmpty() && p.inflight.peekFirst().batch().done()) {
                Pending d = p.inflight.pollFirst();
                p.committed = d.end();
                p.committedTimestampMs = d.timestampMs();
            }
            if (!p.inflight.isEmpty()) LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    private void finishOutputs(long timeoutMs) {
        if (outputs == null) return;
        outputs.flush(timeoutMs);
        if (outputs.failure() != null) return;
        for (Part p : parts) {
            while (!p.inflight.isEmpty() && p.inflight.peekFirst().batch().done()) {
                Pending d = p.inflight.pollFirst();
                p.committed = d.end();
                p.committedTimestampMs = d.timestampMs();
            }
        }
    }

    /** A send that finally failed: exit without committing anything more; the engine restarts us from the last commit. */
    private void checkOutputs() {
        String f = outputs == null ? null : outputs.failure();
        if (f == null) return;
        log.info(kind.name() + ": " + f + "; exiting without committing (restart resumes from the last commit)");
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(3);
    }

    /** Why the agent cannot work now (its Kafka cluster unreachable), or null. */
    private String kafkaProblem(long now) {
        for (KafkaInput in : inputList) {
            long ms = in.disconnectedMs(now);
            if (ms >= UNHEALTHY_AFTER_MS) return "no connection to Kafka cluster \"" + in.cluster + "\" for " + ms / 1000 + " s (reading)";
        }
        if (outputs != null) {
            long ms = outputs.disconnectedMs(now);
            if (ms >= UNHEALTHY_AFTER_MS) return "no connection to the Kafka cluster of the outputs for " + ms / 1000 + " s (writing)";
        }
        return null;
    }
}
